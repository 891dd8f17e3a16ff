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
