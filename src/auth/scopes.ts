/**
 * API scopes. An API key may hold `*` (everything in its organization) or a list of these; OAuth
 * access tokens with the `api` scope carry all of them but `assistant` (`auth/resources.ts`). Reads and
 * writes are separate; the operation table (`src/operations/`) names the scope each operation needs.
 */
export const SCOPES = {
  harnessesRead: "harnesses:read",
  harnessesWrite: "harnesses:write",
  agentsRead: "agents:read",
  agentsWrite: "agents:write",
  executionsRead: "executions:read",
  executionsWrite: "executions:write",
  sessionsRead: "sessions:read",
  sessionsWrite: "sessions:write",
  skillsRead: "skills:read",
  skillsWrite: "skills:write",
  mcpRead: "mcp:read",
  mcpWrite: "mcp:write",
  toolsRead: "tools:read",
  /** Register, unregister and invoke tools (invoking one may write files or call out). */
  toolsWrite: "tools:write",
  memoryRead: "memory:read",
  memoryWrite: "memory:write",
  filesRead: "files:read",
  filesWrite: "files:write",
  /** Hooks, webhooks and the harness event stream. */
  hooksRead: "hooks:read",
  hooksWrite: "hooks:write",
  /** Read the organization's usage ledger (`/api/v1/usage`). */
  usageRead: "usage:read",
  /** Read the organization's settings, limits, members, API keys and machine clients (`/api/v1`). */
  organizationRead: "organization:read",
  /**
   * Change the organization's settings and limits, invite and manage members, create and revoke API keys
   * and machine clients (users additionally need the owner or admin role: `services/organizations/access.ts`).
   */
  organizationWrite: "organization:write",
  /** Talk to the assistant (chat, MCP tools). */
  assistant: "assistant",
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
