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

/** The agent a tool acts for (its memory, its subagents): the run's harness and agent (typed ids). */
export interface AgentRef {
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
  blocks(owner: AgentRef): Promise<MemoryBlockItem[]>;
  /** Appends `text` to block `label` on a new line. */
  appendToBlock(owner: AgentRef, input: { label: string; text: string }): Promise<MemoryBlockItem>;
  /** Replaces the one occurrence of `oldText` in block `label` with `newText`. */
  replaceInBlock(owner: AgentRef, input: { label: string; oldText: string; newText: string }): Promise<MemoryBlockItem>;
  insertArchive(owner: AgentRef, input: { content: string; tags?: string[] }): Promise<{ id: string; created_at: string }>;
  /** Full-text search of the archive, best first, at most `limit` hits. */
  searchArchive(owner: AgentRef, input: { query: string; limit: number }): Promise<ArchiveHit[]>;
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
  list(owner: AgentRef): Promise<SubagentItem[]>;
  runTask(
    owner: AgentRef,
    input: { subagent: string; task: string; parent: DelegatingRunRef; waitSeconds: number; signal?: AbortSignal },
  ): Promise<SubagentTaskResult>;
}

/**
 * A file or directory of a workspace as its path index records it. `path` is the normalised,
 * workspace-relative path (`notes/a.md`; see `normalizeWorkspacePath`), `name` its last segment.
 * Directories have `size_bytes` 0 and no `mime_type`.
 */
export interface WorkspaceEntry {
  path: string;
  name: string;
  type: "file" | "directory";
  /** Bytes of the file (0 for a directory). */
  size_bytes: number;
  mime_type: string | null;
  /** ISO 8601 time of the last write. */
  modified_at: string;
  /** A starter file marked `is_readonly`: every write and delete of it is refused (`read_only`). */
  readonly: boolean;
}

/** A byte range of a read: `length` bytes from `offset`, or the last `suffix` bytes. */
export type WorkspaceRange = { offset: number; length?: number } | { suffix: number };

/** What a read returns: the entry, the (ranged) body and the version tag to write back against. */
export interface WorkspaceReadResult {
  entry: WorkspaceEntry;
  body: ReadableStream<Uint8Array>;
  /** Bytes in `body` (the range's length when ranged). */
  size: number;
  /** The stored version, for {@link WorkspaceWriteOptions.ifMatch}. */
  etag: string;
  /** The range served, when one was asked for: first byte and length. */
  range?: { offset: number; length: number };
}

/** Options of {@link WorkspacePort.write}. */
export interface WorkspaceWriteOptions {
  /** Content type to store (default: guessed from the extension). */
  mimeType?: string;
  /** `false`: refuse (`already_exists`) when a file is there already. Default `true` (replace). */
  overwrite?: boolean;
  /** Write only if the stored version still has this etag (from a read); else `conflict`. */
  ifMatch?: string;
}

/** Bytes a workspace write accepts: a stream must be of known length (a `FixedLengthStream`'s readable side). */
export type WorkspaceBody = ReadableStream | ArrayBuffer | ArrayBufferView | string | Blob;

/**
 * One workspace: the files a run's tools and `files.*` act on — R2 objects beside a path index, so
 * stat, listing and glob never scan R2 (`services/workspace/store.ts`). Every path is normalised
 * already (`normalizeWorkspacePath`); `""` is the root. Expected failures reject with a `ToolError`:
 * `not_found`, `is_a_directory`, `not_a_directory`, `already_exists`, `directory_not_empty`,
 * `read_only` (a starter file marked read-only), `conflict` (`ifMatch` failed), `invalid_path`.
 */
export interface WorkspacePort {
  /** The entry at `path`, or `null`; the root is a directory that always exists. */
  stat(path: string): Promise<WorkspaceEntry | null>;
  /** A file's bytes (a range of them when asked). @throws ToolError `not_found`, `is_a_directory` */
  read(path: string, range?: WorkspaceRange): Promise<WorkspaceReadResult>;
  /**
   * Creates or replaces the file at `path`, creating missing parent directories.
   * @throws ToolError `is_a_directory`, `not_a_directory` (a parent is a file), `already_exists`, `read_only`, `conflict`
   */
  write(path: string, body: WorkspaceBody, options?: WorkspaceWriteOptions): Promise<{ entry: WorkspaceEntry; created: boolean }>;
  /** `mkdir -p`: creates the directory and its parents; `created: false` when it existed. @throws ToolError `not_a_directory` */
  mkdir(path: string): Promise<{ entry: WorkspaceEntry; created: boolean }>;
  /**
   * Deletes a file, or a directory that is empty (or everything below it with `recursive`).
   * @throws ToolError `not_found`, `directory_not_empty`, `read_only` (the file, or a read-only file below the directory), `invalid_path` (the root)
   */
  remove(path: string, options?: { recursive?: boolean }): Promise<{ removed: number }>;
  /**
   * The directory's children (every descendant with `recursive`), in path order, at most `limit`.
   * @throws ToolError `not_found`, `not_a_directory`
   */
  list(dir: string, options: { recursive?: boolean; limit: number }): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }>;
  /** The files whose path starts with the string `prefix` (`""`: all), in path order, at most `limit`. */
  files(prefix: string, options: { limit: number }): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }>;
}

/** Whose tools a port call is for: the harness, and the agent and session of the run (when there is one). */
export interface PortScope {
  orgId: string;
  harnessId: string;
  agentId: string | null;
  sessionId?: string | null;
  executionId?: string;
}

/** A tool of an MCP server in force for a scope, as the server described it. */
export interface McpToolDescriptor {
  serverId: string;
  /** The server's name on the harness (`mcpServers` key, package directory, mcp.connect name). */
  serverName: string;
  /** The tool's name on the server. */
  name: string;
  description: string;
  /** JSON Schema of the tool's input, as the server gave it. */
  inputSchema: Record<string, unknown>;
}

/** A server whose tools a run goes without, and why (down, needs consent, blocked by the policy). */
export interface McpServerUnavailable {
  serverId: string;
  serverName: string;
  reason: string;
}

/**
 * The MCP servers of a harness (and agent) for tools: listing their tools (through the short catalog
 * cache, filtered by a package's enabled/disabled lists) and calling one. Each call connects, calls and
 * closes within its deadline; failures reject with a `ToolError` (`mcp_server_unavailable`,
 * `network_blocked`, `mcp_tool_error`, …) so the run goes on.
 */
export interface McpPort {
  listTools(scope: PortScope): Promise<{ tools: McpToolDescriptor[]; unavailable: McpServerUnavailable[] }>;
  callTool(input: {
    scope: PortScope;
    serverId: string;
    tool: string;
    args: Record<string, unknown>;
    signal?: AbortSignal;
    onProgress?: (progress: { percentage: number; message: string }) => void;
  }): Promise<Record<string, unknown>>;
}

/** A custom (webhook) tool registered on a harness. */
export interface CustomToolDescriptor {
  id: string;
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * Custom tools (`tools.register`): listing a harness's, and calling one — a signed POST to its webhook,
 * whose answer (JSON, or a stream of NDJSON lines / SSE events) is the tool's output. Failures reject
 * with a `ToolError` (`webhook_failed`, `webhook_timeout`, `network_blocked`, …).
 */
export interface CustomToolPort {
  listTools(scope: PortScope): Promise<CustomToolDescriptor[]>;
  call(input: {
    scope: PortScope;
    toolId: string;
    args: Record<string, unknown>;
    callId: string;
    signal?: AbortSignal;
    onChunk?: (
      chunk: { type: "output"; data: Record<string, unknown> } | { type: "progress"; percentage: number; message: string },
    ) => void;
  }): Promise<Record<string, unknown>>;
}

/** What a `web_fetch` got: the final response after redirects, its body cut at the byte limit. */
export interface WebFetchResponse {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  contentType: string;
  /** Response headers a reader may want (content type, length, last-modified, …). */
  headers: Record<string, string>;
  /** The URLs redirected through, in order (the first is the one asked for). */
  redirects: string[];
  body: Uint8Array;
  /** True when the body was longer than the limit and was cut. */
  truncated: boolean;
}

/**
 * Outbound HTTP for `web_fetch`, under the run's network policy and the SSRF rules, checked at every
 * redirect hop, with the time and size limits of the deployment. Failures reject with a `ToolError`
 * (`network_blocked` naming the rule, `timeout`, `too_many_redirects`, `fetch_failed`).
 */
export interface WebPort {
  fetch(input: { url: string; method: "GET" | "HEAD"; signal?: AbortSignal }): Promise<WebFetchResponse>;
}

/** A skill enabled for a run, as the model is told about it. */
export interface EnabledSkill {
  id: string;
  name: string;
  description: string;
  /** The version in force for this run (a pinned version, else the skill's current one). */
  version: string;
  /** The skill's files, relative to its folder (SKILL.md included). */
  files: { path: string; size_bytes: number }[];
}

/**
 * The skills of one run (or one `tools.*` call), read-only: which are enabled (the agent's, the
 * harness's `skills` capability ref, the request's), and their files. Implemented by
 * `services/tools/skill-port.ts`, bound to one tool scope; the enabled set is read once per port.
 */
export interface SkillPort {
  /** The enabled skills, in precedence order (request, agent, harness), names unique. */
  enabled(): Promise<EnabledSkill[]>;
  /** A file of an enabled skill (`path` relative to its folder), or null when there is no such file or skill. */
  read(name: string, path: string): Promise<Uint8Array | null>;
}
