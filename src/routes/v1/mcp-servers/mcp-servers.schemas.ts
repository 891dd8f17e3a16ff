import { z } from "@hono/zod-openapi";
import { PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { McpHealth } from "../../../services/mcp/health.ts";
import { catalogFresh, type VisibleConnection } from "../../../services/mcp/rows.ts";
import { HarnessIdParam, McpServerKey } from "../harnesses/harnesses.schemas.ts";

const Url = z.string().min(1).max(2048).openapi({ example: "https://mcp.example.com/mcp" });

/** Open Harness `McpTransport` (plus `streamable-http`, the name common client configs use for `http`). */
export const McpTransport = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("http"), url: Url }),
    z.strictObject({ type: z.literal("streamable-http"), url: Url }),
    z.strictObject({ type: z.literal("sse"), url: Url }),
    z.strictObject({
      type: z.literal("stdio"),
      command: z.string().min(1).max(1024),
      args: z.array(z.string().max(1024)).max(100).optional(),
    }),
  ])
  .openapi("McpTransport", {
    description:
      "`http`: Streamable HTTP (protocol 2026-07-28, falling back to 2025-11-25 and earlier). `sse`: the older HTTP+SSE transport. `stdio` is refused with 422: Workers start no processes.",
  });

const HeaderMap = z
  .record(z.string(), z.string())
  .openapi({ description: "Header name → value. Stored sealed; only the names are ever shown." });

/** How the harness authenticates to the server. */
export const McpAuth = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("none") }),
    z.strictObject({ type: z.literal("bearer"), token: z.string().min(1).max(8192) }),
    z.strictObject({
      type: z.literal("api_key"),
      key: z.string().min(1).max(8192),
      header: z.string().min(1).max(100).optional().openapi({ description: "Header the key goes in (default X-API-Key)." }),
    }),
    z.strictObject({ type: z.literal("headers"), headers: HeaderMap }),
    z.strictObject({ type: z.literal("oauth") }),
  ])
  .openapi("McpAuth", {
    description:
      "`none`; `bearer` (Authorization: Bearer), `api_key` (a header) and `headers` are sealed at rest and never shown; `oauth` follows the MCP authorization spec (discovery from the 401, dynamic client registration, PKCE, resource indicator, refresh): the server reports `authenticating` with an `authorization_url` a person opens.",
  });

export const ConnectMcpBody = z
  .strictObject({
    name: McpServerKey,
    transport: McpTransport,
    auto_reconnect: z.boolean().optional().openapi({ description: "Default true: runs try the server again after a failure." }),
    headers: HeaderMap.optional(),
    auth: McpAuth.optional(),
    agent_id: z.string().min(1).max(100).optional().openapi({ description: "Connect for this agent's runs only." }),
  })
  .openapi("ConnectMcpServerRequest");

export const UpdateMcpBody = z
  .strictObject({
    name: McpServerKey.optional(),
    transport: McpTransport.optional(),
    auto_reconnect: z.boolean().optional(),
    headers: HeaderMap.optional(),
    auth: McpAuth.optional(),
  })
  .openapi("UpdateMcpServerRequest");

export const ServerParams = HarnessIdParam.extend({
  serverId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "serverId", in: "path" }, description: "The server's `mcp_…` id, or its name." }),
});

export const ListMcpQuery = PaginationQuery.extend({
  status: z.enum(["connected", "disconnected", "error", "authenticating"]).optional(),
});

export const RefreshQuery = z.object({
  refresh: z.enum(["true", "false", "1", "0"]).optional().openapi({ description: "`true` lists live, skipping the short cache." }),
});

const McpTool = z.object({ name: z.string(), description: z.string(), input_schema: z.record(z.string(), z.unknown()) }).openapi("McpTool");
const McpResource = z
  .object({ uri: z.string(), name: z.string(), mime_type: z.string().optional(), description: z.string().optional() })
  .openapi("McpResource");
const McpPrompt = z
  .object({
    name: z.string(),
    description: z.string(),
    arguments: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean() })).optional(),
  })
  .openapi("McpPrompt");

export const McpServerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    transport: z.object({ type: z.string(), url: z.string() }),
    status: z.enum(["connected", "disconnected", "error", "authenticating"]),
    tools: z.array(McpTool),
    resources: z.array(McpResource),
    prompts: z.array(McpPrompt),
    tools_count: z.number().int(),
    resources_count: z.number().int(),
    prompts_count: z.number().int(),
    auto_reconnect: z.boolean(),
    auth: z.object({
      mode: z.enum(["none", "headers", "oauth"]),
      header_names: z.array(z.string()),
      authorization_url: z.string().nullable(),
      oauth_provider_id: z.string().nullable(),
    }),
    scope: z.object({
      layer: z.enum(["harness", "agent"]),
      harness_id: z.string(),
      agent_id: z.string().nullable(),
      inherited: z.boolean(),
    }),
    origin: z
      .enum(["api", "harness", "package"])
      .openapi({ description: "mcp.connect, the harness's mcpServers, or an imported agent package." }),
    include_tools: z.array(z.string()).nullable(),
    exclude_tools: z.array(z.string()).nullable(),
    protocol_version: z.string().nullable(),
    server_info: z.object({ name: z.string(), version: z.string(), title: z.string().optional() }).nullable(),
    last_error: z.string().nullable(),
    catalog_fresh: z.boolean().openapi({ description: "Whether tools/resources/prompts come from the short cache still in force." }),
    connected_at: z.string().nullable(),
    last_checked_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("McpServer");

export const McpServerEnvelope = z.object({ server: McpServerSchema }).openapi("McpServerEnvelope");
export const McpServerPage = paginated(McpServerSchema, "McpServerPage").extend({
  servers: z.array(McpServerSchema).openapi({ description: "The same page (reference TypeScript client)." }),
});
export const McpToolsResponse = z.object({ tools: z.array(McpTool) }).openapi("McpToolsResponse");
export const McpResourcesResponse = z.object({ resources: z.array(McpResource) }).openapi("McpResourcesResponse");
export const McpPromptsResponse = z.object({ prompts: z.array(McpPrompt) }).openapi("McpPromptsResponse");
export const McpHealthResponse = z
  .object({
    status: z.enum(["healthy", "degraded", "unhealthy"]),
    latency_ms: z.number().int(),
    last_error: z.string().optional(),
    authorization_url: z.string().optional(),
    server: McpServerSchema,
  })
  .openapi("McpHealth");

const EMPTY = { tools: [], resources: [], prompts: [] };

/** The API view of a connection seen from harness `harnessSlug` (secrets never included). */
export function toMcpServerView({ row, inheritedFrom }: VisibleConnection, harnessSlug: string): z.infer<typeof McpServerSchema> {
  const catalog = row.catalog ?? EMPTY;
  return {
    id: row.id,
    name: row.name,
    transport: { type: row.transport, url: row.url },
    status: row.status as z.infer<typeof McpServerSchema>["status"],
    tools: catalog.tools,
    resources: catalog.resources,
    prompts: catalog.prompts,
    tools_count: catalog.tools.length,
    resources_count: catalog.resources.length,
    prompts_count: catalog.prompts.length,
    auto_reconnect: row.autoReconnect,
    auth: {
      mode: row.authMode as "none" | "headers" | "oauth",
      header_names: row.headerNames,
      authorization_url: row.authorizationUrl,
      oauth_provider_id: row.oauthProviderId,
    },
    scope: {
      layer: row.agentId ? "agent" : "harness",
      harness_id: inheritedFrom?.slug ?? harnessSlug,
      agent_id: row.agentId,
      inherited: !!inheritedFrom,
    },
    origin: row.origin as "api" | "harness" | "package",
    include_tools: row.includeTools ?? null,
    exclude_tools: row.excludeTools ?? null,
    protocol_version: row.protocolVersion,
    server_info: row.serverInfo ?? null,
    last_error: row.lastError,
    catalog_fresh: catalogFresh(row),
    connected_at: row.connectedAt,
    last_checked_at: row.lastCheckedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/** The health answer. */
export function toHealthView(health: McpHealth, server: z.infer<typeof McpServerSchema>): z.infer<typeof McpHealthResponse> {
  return { ...health, server };
}
