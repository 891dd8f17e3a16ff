/**
 * What tools may call outside the runtime, as interfaces the runtime defines and the services
 * implement (`services/tools/org-port.ts`). The runtime never imports services: a run or a
 * `tools.invoke` call hands these in through the {@link ToolContext}.
 */

/** A harness as the assistant's tools list it. */
export interface OrgHarnessItem {
  id: string;
  name: string;
  description: string;
  kind: string;
  status: string;
  built_in: boolean;
  default_model: string | null;
}

/** An agent as the assistant's tools list it. */
export interface OrgAgentItem {
  id: string;
  name: string;
  slug: string;
  harness_id: string;
  version: string;
  description: string;
}

/** An execution as the assistant's tools list it (`task`: the first characters of its message). */
export interface OrgExecutionItem {
  id: string;
  harness_id: string | null;
  agent_id: string | null;
  status: string;
  model: string;
  task: string;
  started_at: string;
  completed_at: string | null;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
}

/** Today's usage (UTC day) against the organization's limits. */
export interface OrgUsageToday {
  date: string;
  resets_at: string;
  requests: { you: number; organization: number; quota_per_user: number };
  tokens: { used: number; budget: number };
}

/** What a delegated task came to (`finished` false: it outlived the wait and can be followed by id). */
export interface DelegationResult {
  execution_id: string;
  harness_id: string;
  agent_id: string | null;
  status: string;
  finished: boolean;
  output: string;
  error: string | null;
}

/**
 * Organization-scoped verbs for tools: every call is filtered by the caller's organization (another
 * organization's harness is "not found"). Expected failures reject with a `ToolError`
 * (`harness_not_found`, `agent_not_found`, `delegation_refused`, `model_not_available`, `rate_limited`, …).
 */
export interface OrgPort {
  listHarnesses(input: { limit: number }): Promise<{ total: number; harnesses: OrgHarnessItem[] }>;
  listAgents(input: { harness?: string; limit: number }): Promise<{ total: number; agents: OrgAgentItem[] }>;
  recentExecutions(input: { harness?: string; status?: string; limit: number }): Promise<{ total: number; executions: OrgExecutionItem[] }>;
  usageToday(): Promise<OrgUsageToday>;
  /**
   * Starts `task` on a harness of the organization (optionally as one of its agents), charged to the
   * caller's run, and waits up to `waitSeconds` for it to finish.
   */
  delegate(input: {
    harness: string;
    agent?: string;
    task: string;
    waitSeconds: number;
    signal?: AbortSignal;
    /** The delegating tool call: a redone call attaches to the task it started. */
    toolCallId?: string;
  }): Promise<DelegationResult>;
}

/** Whose memory a memory tool acts on: the run's harness and agent (typed ids). */
export interface MemoryOwnerRef {
  harnessId: string;
  agentId: string;
}

/** A core-memory block as the memory tools and the system prompt see it. `chars`/`limit` in characters. */
export interface MemoryBlockItem {
  label: string;
  value: string;
  read_only: boolean;
  limit: number;
  chars: number;
}

/** An archive entry found by `searchArchive`; `relevance_score` 0–1 relative to the best hit. */
export interface ArchiveHit {
  id: string;
  content: string;
  relevance_score: number;
  created_at: string;
  tags: string[];
}

/**
 * The agent's memory (Open Harness domain 8) for the memory tools and the system-prompt section:
 * every call is scoped to the run's organization and agent, and every write goes through the same
 * limits as the API (a block's character limit, read-only blocks, the archive's size). Expected
 * failures reject with a `ToolError` (`memory_block_not_found`, `memory_block_read_only`,
 * `memory_block_limit_exceeded`, `memory_limit_exceeded`, `validation_error`).
 */
export interface MemoryPort {
  blocks(owner: MemoryOwnerRef): Promise<MemoryBlockItem[]>;
  /** Appends `text` to block `label` on a new line. */
  appendToBlock(owner: MemoryOwnerRef, input: { label: string; text: string }): Promise<MemoryBlockItem>;
  /** Replaces the one occurrence of `oldText` in block `label` with `newText`. */
  replaceInBlock(owner: MemoryOwnerRef, input: { label: string; oldText: string; newText: string }): Promise<MemoryBlockItem>;
  insertArchive(owner: MemoryOwnerRef, input: { content: string; tags?: string[] }): Promise<{ id: string; created_at: string }>;
  /** Full-text search of the archive, best first, at most `limit` hits. */
  searchArchive(owner: MemoryOwnerRef, input: { query: string; limit: number }): Promise<ArchiveHit[]>;
}

/** One todo as the planning tool writes it. */
export interface PlanTodo {
  content: string;
  status: "pending" | "in_progress" | "completed";
}

/** A task of the run's plan (Open Harness `PlanTask`; `order` is its 1-based position). */
export interface PlanTaskItem extends PlanTodo {
  id: string;
  order: number;
}

/**
 * The run's plan (Open Harness domain 12), implemented by the `ExecutionRun` that owns it and handed to
 * the tools of that run only. `writeTodos` replaces the whole list (a todo with the content of an
 * existing task keeps its id); every change reaches the plan stream and the run's `progress` events.
 */
export interface PlanPort {
  read(): Promise<PlanTaskItem[]>;
  writeTodos(todos: PlanTodo[]): Promise<PlanTaskItem[]>;
}

/** A subagent as the `task` tool offers it to the model. */
export interface SubagentItem {
  name: string;
  description: string;
  /** idle | running | completed | failed. */
  status: string;
}

/** The run a `task` call delegates from (from its tool scope and context). */
export interface DelegatingRunRef {
  executionId: string;
  /** Its depth (0: started by a client). */
  depth: number;
  metering: { subject: string; surface: string };
  toolCallId?: string;
}

/** What a subagent's task came to: its execution, status and answer (`finished` false: it outlived the wait). */
export interface SubagentTaskResult {
  subagent: string;
  execution_id: string;
  status: string;
  finished: boolean;
  output: string;
  error: string | null;
}

/**
 * An agent's subagents (Open Harness domain 9) for the `task` tool: every call is scoped to the run's
 * organization and agent. `runTask` starts the task as a child execution of the delegating run (charged
 * to its subject and its organization's budget) and waits for it up to `waitSeconds`; when `signal`
 * aborts (the run is cancelled) the task is cancelled too. Expected failures reject with a `ToolError`
 * (`subagent_not_found`, `subagent_busy`, `rate_limited`, `model_not_available`, …).
 */
export interface SubagentPort {
  list(owner: MemoryOwnerRef): Promise<SubagentItem[]>;
  runTask(
    owner: MemoryOwnerRef,
    input: { subagent: string; task: string; parent: DelegatingRunRef; waitSeconds: number; signal?: AbortSignal },
  ): Promise<SubagentTaskResult>;
}
