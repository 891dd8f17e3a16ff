/** D1 schema: MCP server connections of harnesses and agents (the harness as an MCP client). */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents, harnesses } from "./harnesses.ts";

/** An MCP tool as a server listed it (Open Harness `McpTool`). */
export interface McpToolJson {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

/** An MCP resource as a server listed it (Open Harness `McpResource`, plus the optional description). */
export interface McpResourceJson {
  uri: string;
  name: string;
  mime_type?: string;
  description?: string;
}

/** An MCP prompt as a server listed it (Open Harness `McpPrompt`). */
export interface McpPromptJson {
  name: string;
  description: string;
  arguments?: { name: string; description: string; required: boolean }[];
}

/** What a server offered when it was last listed: the short cache behind mcp.listTools/Resources/Prompts and runs. */
export interface McpCatalogJson {
  tools: McpToolJson[];
  resources: McpResourceJson[];
  prompts: McpPromptJson[];
}

/**
 * One MCP server connection. A connection is a recorded server plus what the last exchange with it
 * found: Workers keep no connection open between requests, so every use connects, talks and closes.
 *
 * Layers: a row belongs to a harness (`agent_id` null: every run of the harness and of its children)
 * or to one agent of it (runs of that agent only). `layer` is `harness` or `agent:<agent id>`, so names
 * are unique per layer. `origin` says who made it: `api` (mcp.connect), `harness` (the harness's
 * `mcpServers`), `package` (an imported agent package's `mcp-configs/`); configuration-made rows follow
 * their configuration and are re-synced when it changes.
 *
 * Secrets (`sealed_headers`, `sealed_oauth`) are AES-GCM sealed (`lib/crypto.ts`) with the associated
 * data `mcp:<id>:headers` / `mcp:<id>:oauth`, and never returned.
 */
export const mcpConnections = sqliteTable(
  "mcp_connections",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    agentId: text("agent_id").references(() => agents.id, { onDelete: "cascade" }),
    /** `harness` or `agent:<agent id>`: the layer the name is unique in. */
    layer: text("layer").notNull(),
    name: text("name").notNull(),
    /** api | harness | package. */
    origin: text("origin").notNull(),
    /** http (Streamable HTTP) | sse (the 2024-11-05 HTTP+SSE transport). */
    transport: text("transport").notNull(),
    url: text("url").notNull(),
    /** none | headers (static headers / API key) | oauth (MCP authorization). */
    authMode: text("auth_mode").notNull(),
    /** Names of the sealed headers (values never leave the row). */
    headerNames: text("header_names", { mode: "json" }).$type<string[]>().notNull(),
    sealedHeaders: text("sealed_headers"),
    /** OAuth client registration, tokens, PKCE verifier and discovery state, sealed as one JSON document. */
    sealedOauth: text("sealed_oauth"),
    /** SHA-256 (hex) of the `state` of the authorization request in flight: how the callback finds the row. */
    oauthStateHash: text("oauth_state_hash"),
    /** Where a person consents while the connection is `authenticating`. */
    authorizationUrl: text("authorization_url"),
    /** Everruns `oauth_provider_id`, kept as given. */
    oauthProviderId: text("oauth_provider_id"),
    autoReconnect: integer("auto_reconnect", { mode: "boolean" }).notNull().default(true),
    /** Everruns `tool_discovery`: false keeps the tools of the last listing instead of re-listing when the cache ages. */
    toolDiscovery: integer("tool_discovery", { mode: "boolean" }).notNull().default(true),
    /** Tool-name globs a package enables (absent: all). */
    includeTools: text("include_tools", { mode: "json" }).$type<string[] | null>(),
    /** Tool-name globs a package disables. */
    excludeTools: text("exclude_tools", { mode: "json" }).$type<string[] | null>(),
    /** connected | disconnected | error | authenticating. */
    status: text("status").notNull(),
    lastError: text("last_error"),
    protocolVersion: text("protocol_version"),
    serverInfo: text("server_info", { mode: "json" }).$type<{ name: string; version: string; title?: string } | null>(),
    catalog: text("catalog", { mode: "json" }).$type<McpCatalogJson | null>(),
    /** When `catalog` was listed (ISO 8601); the cache is fresh for `MCP_CATALOG_TTL_MS` after it. */
    catalogAt: text("catalog_at"),
    connectedAt: text("connected_at"),
    lastCheckedAt: text("last_checked_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("mcp_connections_layer_name_uq").on(t.harnessId, t.layer, t.name),
    index("mcp_connections_org_harness_idx").on(t.orgId, t.harnessId, t.id),
    index("mcp_connections_oauth_state_idx").on(t.oauthStateHash),
  ],
);
