/**
 * The operation table: every operation of every surface declared once — id, method, path, the scope it
 * needs, whether this deployment serves it and, for the Open Harness API, the capability-manifest gate
 * (spec §8.4). Routes take their method, path, operation id and scope guard from here
 * (`routes/operation-route.ts`); every unserved Open Harness operation becomes a documented 501 stub
 * (`routes/v1/unsupported.ts`); the capability manifest is derived from it (`operations/manifest.ts`);
 * the OpenAPI document is built from the routes. Serving an operation: set `served: true` and write its
 * route — `createApp` refuses to start when the two disagree.
 *
 * Paths are relative to the surface's base (`/v1`, `/api/v1`, `/api/external/v1`, or `/` for the front
 * door), OpenAPI style (`{param}`). `{path}` in the Files domain spans several segments
 * (`/files/notes/2026/a.md`); a single URL-encoded segment works too (spec §9.3 R3).
 */
import type { SCOPES } from "../auth/scopes.ts";

/** HTTP methods of the table (WebSocket upgrades are `get`). */
export type OperationMethod = "get" | "post" | "put" | "patch" | "delete";

/** The scope names of `auth/scopes.ts`. */
export type ScopeName = keyof typeof SCOPES;

/** The 11 capability-manifest domains (spec §2.4), in spec order. */
export const CAPABILITY_DOMAINS = [
  "agents",
  "skills",
  "mcp",
  "execution",
  "sessions",
  "memory",
  "subagents",
  "files",
  "hooks",
  "planning",
  "models",
] as const;

export type CapabilityDomain = (typeof CAPABILITY_DOMAINS)[number];

/** One row of the table. */
export interface OperationEntry {
  method: OperationMethod;
  path: string;
  /** The scope a caller needs (`null`: no credentials required — auth-optional or self-authenticating). */
  scope: ScopeName | null;
  /** True when this deployment answers it (otherwise a 501 stub, for Open Harness operations). */
  served: boolean;
  /** Domain named in problem bodies (`error.domain`), e.g. `execution`, `files`, `registry`. */
  domain: string;
  /** The capability-manifest operation string that gates it (spec §8.4), when one does. */
  capability?: readonly [CapabilityDomain, string];
  /** An outbound call (a webhook), not a route. */
  outbound?: true;
}

const entry = (
  method: OperationMethod,
  path: string,
  scope: ScopeName | null,
  domain: string,
  served: boolean,
  capability?: readonly [CapabilityDomain, string],
) => ({ method, path, scope, served, domain, ...(capability ? { capability } : {}) }) as const;

const H = "/harnesses/{harnessId}";

/** The Open Harness API (spec §0.4, 116 operations), mounted at `/v1` (and unprefixed, §9.1 #4). */
export const OPEN_HARNESS_OPERATIONS = {
  // Domain 1 — Harness Registry
  "harnesses.list": entry("get", "/harnesses", "harnessesRead", "registry", true),
  "harnesses.get": entry("get", H, "harnessesRead", "registry", true),
  "harnesses.register": entry("post", "/harnesses", "harnessesWrite", "registry", true),
  "harnesses.update": entry("patch", H, "harnessesWrite", "registry", true),
  "harnesses.unregister": entry("delete", H, "harnessesWrite", "registry", true),
  "harnesses.capabilities": entry("get", `${H}/capabilities`, "harnessesRead", "registry", true),
  "harnesses.health": entry("get", `${H}/health`, null, "registry", true),
  "harnesses.validateCredentials": entry("post", `${H}/validate-credentials`, "harnessesWrite", "registry", true),
  // Domain 2 — Agents
  "agents.list": entry("get", `${H}/agents`, "agentsRead", "agents", true),
  "agents.create": entry("post", `${H}/agents`, "agentsWrite", "agents", true, ["agents", "create"]),
  "agents.get": entry("get", `${H}/agents/{agentId}`, "agentsRead", "agents", true),
  "agents.update": entry("patch", `${H}/agents/{agentId}`, "agentsWrite", "agents", true, ["agents", "update"]),
  "agents.delete": entry("delete", `${H}/agents/{agentId}`, "agentsWrite", "agents", true, ["agents", "delete"]),
  "agents.clone": entry("post", `${H}/agents/{agentId}/clone`, "agentsWrite", "agents", true, ["agents", "clone"]),
  "agents.export": entry("get", `${H}/agents/{agentId}/export`, "agentsRead", "agents", true, ["agents", "export"]),
  "agents.import": entry("post", `${H}/agents/import`, "agentsWrite", "agents", true, ["agents", "import"]),
  // Domain 3 — Skills
  "skills.list": entry("get", `${H}/skills`, "skillsRead", "skills", true),
  "skills.register": entry("post", `${H}/skills`, "skillsWrite", "skills", true, ["skills", "register"]),
  "skills.get": entry("get", `${H}/skills/{skillId}`, "skillsRead", "skills", true),
  "skills.update": entry("patch", `${H}/skills/{skillId}`, "skillsWrite", "skills", true),
  "skills.uninstall": entry("delete", `${H}/skills/{skillId}`, "skillsWrite", "skills", true),
  "skills.listVersions": entry("get", `${H}/skills/{skillId}/versions`, "skillsRead", "skills", true, ["skills", "version"]),
  "skills.rollback": entry("post", `${H}/skills/{skillId}/rollback`, "skillsWrite", "skills", true, ["skills", "rollback"]),
  "skills.discover": entry("post", `${H}/skills/discover`, "skillsRead", "skills", true, ["skills", "discover"]),
  "skills.validate": entry("post", `${H}/skills/validate`, "skillsRead", "skills", true, ["skills", "validate"]),
  "skills.download": entry("get", `${H}/skills/{skillId}/download`, "skillsRead", "skills", true),
  "skills.upgrade": entry("post", `${H}/skills/{skillId}/upgrade`, "skillsWrite", "skills", true, ["skills", "version"]),
  // Domain 4 — MCP Servers
  "mcp.list": entry("get", `${H}/mcp-servers`, "mcpRead", "mcp", true),
  "mcp.connect": entry("post", `${H}/mcp-servers`, "mcpWrite", "mcp", true, ["mcp", "connect"]),
  "mcp.get": entry("get", `${H}/mcp-servers/{serverId}`, "mcpRead", "mcp", true),
  "mcp.update": entry("patch", `${H}/mcp-servers/{serverId}`, "mcpWrite", "mcp", true, ["mcp", "connect"]),
  "mcp.disconnect": entry("delete", `${H}/mcp-servers/{serverId}`, "mcpWrite", "mcp", true, ["mcp", "disconnect"]),
  "mcp.listTools": entry("get", `${H}/mcp-servers/{serverId}/tools`, "mcpRead", "mcp", true, ["mcp", "tools"]),
  "mcp.listResources": entry("get", `${H}/mcp-servers/{serverId}/resources`, "mcpRead", "mcp", true, ["mcp", "resources"]),
  "mcp.listPrompts": entry("get", `${H}/mcp-servers/{serverId}/prompts`, "mcpRead", "mcp", true, ["mcp", "prompts"]),
  "mcp.health": entry("post", `${H}/mcp-servers/{serverId}/health`, "mcpRead", "mcp", true),
  // Domain 5 — Tools (no manifest domain)
  "tools.list": entry("get", `${H}/tools`, "toolsRead", "tools", true),
  "tools.get": entry("get", `${H}/tools/{toolId}`, "toolsRead", "tools", true),
  "tools.register": entry("post", `${H}/tools`, "toolsWrite", "tools", true),
  "tools.unregister": entry("delete", `${H}/tools/{toolId}`, "toolsWrite", "tools", true),
  "tools.invoke": entry("post", `${H}/tools/{toolId}/invoke`, "toolsWrite", "tools", true),
  "tools.invokeStream": entry("post", `${H}/tools/{toolId}/invoke/stream`, "toolsWrite", "tools", true),
  // Domain 6 — Execution
  "execution.run": entry("post", `${H}/execute`, "executionsWrite", "execution", true, ["execution", "sync"]),
  "execution.stream": entry("post", `${H}/execute/stream`, "executionsWrite", "execution", true, ["execution", "stream"]),
  "execution.list": entry("get", `${H}/executions`, "executionsRead", "execution", true, ["execution", "sync"]),
  "execution.get": entry("get", `${H}/executions/{executionId}`, "executionsRead", "execution", true, ["execution", "sync"]),
  "execution.attachStream": entry("get", `${H}/executions/{executionId}/stream`, "executionsRead", "execution", true, [
    "execution",
    "stream",
  ]),
  "execution.cancel": entry("post", `${H}/executions/{executionId}/cancel`, "executionsWrite", "execution", true, ["execution", "cancel"]),
  "execution.result": entry("get", `${H}/executions/{executionId}/result`, "executionsRead", "execution", true, ["execution", "sync"]),
  "execution.listArtifacts": entry("get", `${H}/executions/{executionId}/artifacts`, "executionsRead", "execution", true, [
    "execution",
    "artifacts",
  ]),
  "execution.downloadArtifact": entry("get", `${H}/executions/{executionId}/artifacts/{artifactId}`, "executionsRead", "execution", true, [
    "execution",
    "artifacts",
  ]),
  "execution.listToolCalls": entry("get", `${H}/executions/{executionId}/tool-calls`, "executionsRead", "execution", true, [
    "execution",
    "tool-calls",
  ]),
  "execution.sendInput": entry("post", `${H}/executions/{executionId}/input`, "executionsWrite", "execution", true),
  // Domain 7 — Sessions
  "sessions.list": entry("get", `${H}/sessions`, "sessionsRead", "sessions", true, ["sessions", "create"]),
  "sessions.create": entry("post", `${H}/sessions`, "sessionsWrite", "sessions", true, ["sessions", "create"]),
  "sessions.get": entry("get", `${H}/sessions/{sessionId}`, "sessionsRead", "sessions", true, ["sessions", "create"]),
  "sessions.update": entry("patch", `${H}/sessions/{sessionId}`, "sessionsWrite", "sessions", true, ["sessions", "create"]),
  "sessions.end": entry("delete", `${H}/sessions/{sessionId}`, "sessionsWrite", "sessions", true, ["sessions", "create"]),
  "sessions.resume": entry("post", `${H}/sessions/{sessionId}/resume`, "sessionsWrite", "sessions", true, ["sessions", "resume"]),
  "sessions.history": entry("get", `${H}/sessions/{sessionId}/history`, "sessionsRead", "sessions", true, ["sessions", "history"]),
  "sessions.fork": entry("post", `${H}/sessions/{sessionId}/fork`, "sessionsWrite", "sessions", true, ["sessions", "fork"]),
  // A socket starts turns and cancels runs: it needs the write scope.
  "sessions.connect": entry("get", `${H}/sessions/{sessionId}/connect`, "sessionsWrite", "sessions", true, ["sessions", "create"]),
  "sessions.sendMessage": entry("post", `${H}/sessions/{sessionId}/message`, "sessionsWrite", "sessions", true, ["sessions", "create"]),
  "sessions.sendMessageStream": entry("post", `${H}/sessions/{sessionId}/message/stream`, "sessionsWrite", "sessions", true, [
    "sessions",
    "create",
  ]),
  // Domain 8 — Memory
  "memory.get": entry("get", `${H}/agents/{agentId}/memory`, "memoryRead", "memory", true, ["memory", "blocks"]),
  "memory.listBlocks": entry("get", `${H}/agents/{agentId}/memory/blocks`, "memoryRead", "memory", true, ["memory", "blocks"]),
  "memory.getBlock": entry("get", `${H}/agents/{agentId}/memory/blocks/{label}`, "memoryRead", "memory", true, ["memory", "blocks"]),
  "memory.updateBlock": entry("put", `${H}/agents/{agentId}/memory/blocks/{label}`, "memoryWrite", "memory", true, ["memory", "blocks"]),
  "memory.createBlock": entry("post", `${H}/agents/{agentId}/memory/blocks`, "memoryWrite", "memory", true, ["memory", "blocks"]),
  "memory.deleteBlock": entry("delete", `${H}/agents/{agentId}/memory/blocks/{label}`, "memoryWrite", "memory", true, ["memory", "blocks"]),
  "memory.search": entry("post", `${H}/agents/{agentId}/memory/search`, "memoryRead", "memory", true, ["memory", "search"]),
  "memory.getArchive": entry("get", `${H}/agents/{agentId}/memory/archive`, "memoryRead", "memory", true, ["memory", "archive"]),
  "memory.addToArchive": entry("post", `${H}/agents/{agentId}/memory/archive`, "memoryWrite", "memory", true, ["memory", "archive"]),
  "memory.export": entry("post", `${H}/agents/{agentId}/memory/export`, "memoryRead", "memory", true),
  "memory.import": entry("post", `${H}/agents/{agentId}/memory/import`, "memoryWrite", "memory", true),
  // Domain 9 — Subagents (children of agents: the agents scopes)
  "subagents.list": entry("get", `${H}/agents/{agentId}/subagents`, "agentsRead", "subagents", true, ["subagents", "spawn"]),
  "subagents.spawn": entry("post", `${H}/agents/{agentId}/subagents`, "agentsWrite", "subagents", true, ["subagents", "spawn"]),
  "subagents.get": entry("get", `${H}/agents/{agentId}/subagents/{subagentId}`, "agentsRead", "subagents", true, ["subagents", "spawn"]),
  "subagents.terminate": entry("delete", `${H}/agents/{agentId}/subagents/{subagentId}`, "agentsWrite", "subagents", true, [
    "subagents",
    "terminate",
  ]),
  "subagents.delegate": entry("post", `${H}/agents/{agentId}/subagents/{subagentId}/delegate`, "agentsWrite", "subagents", true, [
    "subagents",
    "delegate",
  ]),
  "subagents.delegateStream": entry(
    "post",
    `${H}/agents/{agentId}/subagents/{subagentId}/delegate/stream`,
    "agentsWrite",
    "subagents",
    true,
    ["subagents", "delegate"],
  ),
  "subagents.result": entry("get", `${H}/agents/{agentId}/subagents/{subagentId}/result`, "agentsRead", "subagents", true, [
    "subagents",
    "result",
  ]),
  "subagents.attachStream": entry("get", `${H}/agents/{agentId}/subagents/{subagentId}/stream`, "agentsRead", "subagents", true, [
    "subagents",
    "delegate",
  ]),
  // Domain 10 — Files & Artifacts
  "files.list": entry("get", `${H}/files`, "filesRead", "files", true, ["files", "read"]),
  "files.read": entry("get", `${H}/files/{path}`, "filesRead", "files", true, ["files", "read"]),
  "files.write": entry("put", `${H}/files/{path}`, "filesWrite", "files", true, ["files", "write"]),
  "files.delete": entry("delete", `${H}/files/{path}`, "filesWrite", "files", true, ["files", "delete"]),
  "files.search": entry("post", `${H}/files/search`, "filesRead", "files", true, ["files", "search"]),
  "files.upload": entry("post", `${H}/files/upload`, "filesWrite", "files", true, ["files", "upload"]),
  "files.uploadBatch": entry("post", `${H}/files/upload-batch`, "filesWrite", "files", true, ["files", "upload"]),
  "files.download": entry("get", `${H}/files/{path}/download`, "filesRead", "files", true, ["files", "download"]),
  "files.downloadBatch": entry("post", `${H}/files/download-batch`, "filesRead", "files", true, ["files", "download"]),
  "files.mkdir": entry("post", `${H}/files/mkdir`, "filesWrite", "files", true, ["files", "write"]),
  // Domain 11 — Hooks & Events
  "hooks.list": entry("get", `${H}/hooks`, "hooksRead", "hooks", true),
  "hooks.register": entry("post", `${H}/hooks`, "hooksWrite", "hooks", true),
  "hooks.get": entry("get", `${H}/hooks/{hookId}`, "hooksRead", "hooks", true),
  "hooks.update": entry("patch", `${H}/hooks/{hookId}`, "hooksWrite", "hooks", true),
  "hooks.unregister": entry("delete", `${H}/hooks/{hookId}`, "hooksWrite", "hooks", true),
  "hooks.streamEvents": entry("get", `${H}/events/stream`, "hooksRead", "hooks", true, ["hooks", "events"]),
  "hooks.listEvents": entry("get", `${H}/events`, "hooksRead", "hooks", true, ["hooks", "events"]),
  "webhooks.register": entry("post", `${H}/webhooks`, "hooksWrite", "hooks", true),
  "webhooks.list": entry("get", `${H}/webhooks`, "hooksRead", "hooks", true),
  "webhooks.delete": entry("delete", `${H}/webhooks/{webhookId}`, "hooksWrite", "hooks", true),
  "webhooks.executionCompleted": { ...entry("post", "{callback_url}", null, "hooks", true), outbound: true },
  // Domain 12 — Planning & Tasks
  "planning.get": entry("get", `${H}/executions/{executionId}/plan`, "executionsRead", "planning", true, ["planning", "todos"]),
  "planning.update": entry("patch", `${H}/executions/{executionId}/plan`, "executionsWrite", "planning", true, ["planning", "update"]),
  "planning.listTasks": entry("get", `${H}/executions/{executionId}/plan/tasks`, "executionsRead", "planning", true, ["planning", "todos"]),
  "planning.updateTask": entry("patch", `${H}/executions/{executionId}/plan/tasks/{taskId}`, "executionsWrite", "planning", true, [
    "planning",
    "task-tracking",
  ]),
  "planning.stream": entry("get", `${H}/executions/{executionId}/plan/stream`, "executionsRead", "planning", true, ["planning", "todos"]),
  // Domain 13 — Conformance & Diagnostics (harness-level: the harnesses scopes)
  "conformance.run": entry("post", `${H}/conformance/run`, "harnessesWrite", "conformance", true),
  "conformance.stream": entry("get", `${H}/conformance/run/stream`, "harnessesRead", "conformance", true),
  "conformance.results": entry("get", `${H}/conformance/results`, "harnessesRead", "conformance", true),
  "conformance.status": entry("get", `${H}/conformance/status`, "harnessesRead", "conformance", true),
  "diagnostics.get": entry("get", `${H}/diagnostics`, "harnessesRead", "diagnostics", true),
  "diagnostics.logs": entry("get", `${H}/logs`, "harnessesRead", "diagnostics", true),
  "diagnostics.streamLogs": entry("get", `${H}/logs/stream`, "harnessesRead", "diagnostics", true),
} as const satisfies Record<string, OperationEntry>;

/** The management API (`/api/v1`): the organization, its people and keys, Everruns-style harness definitions. */
export const MANAGEMENT_OPERATIONS = {
  "organization.get": entry("get", "/organization", "organizationRead", "organization", true),
  "organization.update": entry("patch", "/organization", "organizationWrite", "organization", true),
  "organization.limits.get": entry("get", "/organization/limits", "organizationRead", "organization", true),
  "organization.limits.update": entry("patch", "/organization/limits", "organizationWrite", "organization", true),
  "usage.list": entry("get", "/usage", "usageRead", "organization", true),
  "members.list": entry("get", "/members", "organizationRead", "organization", true),
  "members.update": entry("patch", "/members/{membershipId}", "organizationWrite", "organization", true),
  "members.remove": entry("delete", "/members/{membershipId}", "organizationWrite", "organization", true),
  "invitations.create": entry("post", "/invitations", "organizationWrite", "organization", true),
  "invitations.cancel": entry("delete", "/invitations/{invitationId}", "organizationWrite", "organization", true),
  "invitations.listReceived": entry("get", "/invitations/received", "organizationRead", "organization", true),
  "invitations.accept": entry("post", "/invitations/{invitationId}/accept", "organizationWrite", "organization", true),
  "invitations.decline": entry("post", "/invitations/{invitationId}/decline", "organizationWrite", "organization", true),
  "apiKeys.list": entry("get", "/api-keys", "organizationRead", "organization", true),
  "apiKeys.create": entry("post", "/api-keys", "organizationWrite", "organization", true),
  "apiKeys.revoke": entry("delete", "/api-keys/{keyId}", "organizationWrite", "organization", true),
  "oauthClients.list": entry("get", "/oauth-clients", "organizationRead", "organization", true),
  "oauthClients.create": entry("post", "/oauth-clients", "organizationWrite", "organization", true),
  "oauthClients.revoke": entry("delete", "/oauth-clients/{clientId}", "organizationWrite", "organization", true),
  "harnessDefinitions.list": entry("get", "/harnesses", "harnessesRead", "harness_definitions", true),
  "harnessDefinitions.create": entry("post", "/harnesses", "harnessesWrite", "harness_definitions", true),
  "harnessDefinitions.get": entry("get", "/harnesses/{harnessId}", "harnessesRead", "harness_definitions", true),
  "harnessDefinitions.update": entry("patch", "/harnesses/{harnessId}", "harnessesWrite", "harness_definitions", true),
  "harnessDefinitions.delete": entry("delete", "/harnesses/{harnessId}", "harnessesWrite", "harness_definitions", true),
  "harnessDefinitions.copy": entry("post", "/harnesses/{harnessId}/copy", "harnessesWrite", "harness_definitions", true),
  "harnessDefinitions.resolved": entry("get", "/harnesses/{harnessId}/resolved", "harnessesRead", "harness_definitions", true),
  "capabilities.list": entry("get", "/capabilities", "harnessesRead", "harness_definitions", true),
  "webhookDeliveries.list": entry("get", "/harnesses/{harnessId}/webhooks/{webhookId}/deliveries", "hooksRead", "hooks", true),
  "webhookDeliveries.redeliver": entry(
    "post",
    "/harnesses/{harnessId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver",
    "hooksWrite",
    "hooks",
    true,
  ),
} as const satisfies Record<string, OperationEntry>;

/** The external API (`/api/external/v1`): one-request chat. */
export const EXTERNAL_OPERATIONS = {
  "assistant.chat": entry("post", "/chat", "assistant", "assistant", true),
} as const satisfies Record<string, OperationEntry>;

/**
 * The front door (absolute paths): the authorization server (RFC 8414, 7591, 6749, 7009, 7662, OIDC),
 * the account and consent pages, and the MCP server with its RFC 9728 metadata. These authenticate
 * their callers themselves (client authentication, cookies, MCP bearer challenges) and are not part
 * of the OpenAPI document.
 */
export const FRONT_DOOR_OPERATIONS = {
  "oauth.metadata": entry("get", "/.well-known/oauth-authorization-server", null, "oauth", true),
  "oidc.metadata": entry("get", "/.well-known/openid-configuration", null, "oauth", true),
  "oauth.jwks": entry("get", "/api/auth/oauth2/jwks", null, "oauth", true),
  "oauth.register": entry("post", "/api/auth/oauth2/register", null, "oauth", true),
  "oauth.authorize": entry("get", "/api/auth/oauth2/authorize", null, "oauth", true),
  "oauth.consent": entry("post", "/api/auth/oauth2/authorize", null, "oauth", true),
  "oauth.token": entry("post", "/api/auth/oauth2/token", null, "oauth", true),
  "oauth.revoke": entry("post", "/api/auth/oauth2/revoke", null, "oauth", true),
  "oauth.introspect": entry("post", "/api/auth/oauth2/introspect", null, "oauth", true),
  "oidc.userinfo": entry("get", "/api/auth/oauth2/userinfo", null, "oauth", true),
  "oidc.userinfoPost": entry("post", "/api/auth/oauth2/userinfo", null, "oauth", true),
  "account.signInPage": entry("get", "/api/auth/sign-in", null, "account", true),
  "account.signIn": entry("post", "/api/auth/sign-in", null, "account", true),
  "account.signUpPage": entry("get", "/api/auth/sign-up", null, "account", true),
  "account.signUp": entry("post", "/api/auth/sign-up", null, "account", true),
  "account.signOut": entry("post", "/api/auth/sign-out", null, "account", true),
  "account.signedIn": entry("get", "/api/auth/signed-in", null, "account", true),
  "account.invitationsPage": entry("get", "/api/auth/invitations", null, "account", true),
  "account.acceptInvitation": entry("post", "/api/auth/invitations/{id}/accept", null, "account", true),
  "account.declineInvitation": entry("post", "/api/auth/invitations/{id}/decline", null, "account", true),
  "mcp.server": entry("post", "/api/mcp", null, "mcp_server", true),
  "mcp.resourceMetadata": entry("get", "/.well-known/oauth-protected-resource/api/mcp", null, "mcp_server", true),
  "mcp.rootResourceMetadata": entry("get", "/.well-known/oauth-protected-resource", null, "mcp_server", true),
  // The harness as an MCP client: where a person lands after consenting to an MCP server's OAuth.
  "mcpClient.oauthCallback": entry("get", "/api/mcp-client/oauth/callback", null, "mcp", true),
  "console.home": entry("get", "/console", null, "console", true),
  "console.page": entry("get", "/console/*", null, "console", true),
  "console.token": entry("post", "/console/token", null, "console", true),
} as const satisfies Record<string, OperationEntry>;

export type OpenHarnessOperationId = keyof typeof OPEN_HARNESS_OPERATIONS;
export type ManagementOperationId = keyof typeof MANAGEMENT_OPERATIONS;
export type ExternalOperationId = keyof typeof EXTERNAL_OPERATIONS;

/** Every operation routed under an OpenAPI surface, by id. */
export const ROUTED_OPERATIONS = { ...OPEN_HARNESS_OPERATIONS, ...MANAGEMENT_OPERATIONS, ...EXTERNAL_OPERATIONS } as const;
export type RoutedOperationId = keyof typeof ROUTED_OPERATIONS;

/** The base path each surface is mounted at. */
export const SURFACE_BASES = { v1: "/v1", management: "/api/v1", external: "/api/external/v1", frontDoor: "" } as const;

/** `[id, entry]` of every Open Harness operation this deployment does not serve (and that is a route). */
export function unservedOpenHarnessOperations(): [OpenHarnessOperationId, OperationEntry][] {
  return (Object.entries(OPEN_HARNESS_OPERATIONS) as [OpenHarnessOperationId, OperationEntry][]).filter(
    ([, op]) => !op.served && !op.outbound,
  );
}
