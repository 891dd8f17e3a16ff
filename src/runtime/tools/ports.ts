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
  delegate(input: { harness: string; agent?: string; task: string; waitSeconds: number; signal?: AbortSignal }): Promise<DelegationResult>;
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
