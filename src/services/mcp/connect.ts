import { and, eq } from "drizzle-orm";
import { mcpConnections } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import type { NetworkPolicyLayer } from "../../lib/network-policy.ts";
import { nowIso } from "../../lib/time.ts";
import { findAgent } from "../agents/find.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { builtInReadOnly } from "../harnesses/lifecycle.ts";
import { assertOutboundAllowed, networkPolicyLayers } from "../network/policy.ts";
import { connectionCatalog } from "./catalog.ts";
import { agentLayer, HARNESS_LAYER, sealHeaders, type McpConnectionRow, type VisibleConnection } from "./rows.ts";
import { sealingKey } from "../secrets.ts";
import { McpExchangeError } from "./session.ts";
import { connectionSpec, type McpAuthInput, type McpTransportInput } from "./spec.ts";

/** Deadline of the first exchange made when a server is connected, in milliseconds. */
export const MCP_CONNECT_TIMEOUT_MS = 10_000;

/** Input of {@link connectMcpServer} (Open Harness `mcp.connect` body plus auth and an optional agent layer). */
export interface ConnectMcpInput {
  ref: string;
  name: string;
  transport: McpTransportInput;
  auto_reconnect?: boolean;
  headers?: Record<string, string>;
  auth?: McpAuthInput;
  /** Connect for one agent of the harness only (its runs), instead of the whole harness. */
  agent_id?: string;
}

/**
 * Tries the server once (listing its catalog) and records the outcome: `connected`, `error` (a server
 * that cannot be reached is still a connection, with the reason), or `authenticating` with the URL a
 * person opens to consent.
 */
export async function tryConnection(ctx: AuthedContext, row: McpConnectionRow, layers: NetworkPolicyLayer[]): Promise<McpConnectionRow> {
  try {
    return (await connectionCatalog(ctx, row, layers, { refresh: true, timeoutMs: MCP_CONNECT_TIMEOUT_MS })).row;
  } catch (error) {
    if (!(error instanceof McpExchangeError)) throw error;
    const [current] = await ctx.db.select().from(mcpConnections).where(eq(mcpConnections.id, row.id)).all();
    return current ?? row;
  }
}

/** The harness an MCP verb may change: found in the caller's organization and not built in. */
export async function writableHarness(ctx: AuthedContext, ref: string): Promise<HarnessRow> {
  const harness = await findHarness({ ctx, input: { ref } });
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "modified");
  return harness;
}

/**
 * mcp.connect — `POST /v1/harnesses/{harnessId}/mcp-servers`. Records the server (static headers sealed)
 * and connects once, so the answer already says whether it works.
 * @throws ApiError `harness_not_found`, `harness_read_only`, `agent_not_found`, `validation_error`,
 *   `mcp_transport_unsupported` (422, stdio), `network_blocked` (422, naming the rule),
 *   `mcp_server_exists` (409), `secrets_unavailable` (503)
 */
export async function connectMcpServer({
  ctx,
  input,
}: VerbArgs<AuthedContext, ConnectMcpInput>): Promise<VisibleConnection & { harnessSlug: string }> {
  const harness = await writableHarness(ctx, input.ref);
  const agent = input.agent_id ? await findAgent({ ctx, input: { harness, agentId: input.agent_id } }) : undefined;
  const spec = connectionSpec(input, "mcp.connect");
  const layers = await networkPolicyLayers(ctx, { harness, agentId: agent?.id ?? null });
  assertOutboundAllowed(ctx, spec.url, layers, "body.transport.url", { domain: "mcp", operation: "mcp.connect" });
  if (spec.authMode !== "none") await sealingKey(ctx);
  const id = newId("mcpServer");
  const now = nowIso();
  const row: McpConnectionRow = {
    id,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    agentId: agent?.id ?? null,
    layer: agent ? agentLayer(agent.id) : HARNESS_LAYER,
    name: input.name,
    origin: "api",
    transport: spec.transport,
    url: spec.url,
    authMode: spec.authMode,
    headerNames: Object.keys(spec.headers),
    sealedHeaders: await sealHeaders(ctx, id, spec.headers),
    sealedOauth: null,
    oauthStateHash: null,
    authorizationUrl: null,
    oauthProviderId: null,
    autoReconnect: input.auto_reconnect ?? true,
    toolDiscovery: true,
    includeTools: null,
    excludeTools: null,
    status: "disconnected",
    lastError: null,
    protocolVersion: null,
    serverInfo: null,
    catalog: null,
    catalogAt: null,
    connectedAt: null,
    lastCheckedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await ctx.db.insert(mcpConnections).values(row).onConflictDoNothing().returning({ id: mcpConnections.id });
  if (inserted.length === 0) {
    const existing = await ctx.db
      .select({ id: mcpConnections.id })
      .from(mcpConnections)
      .where(and(eq(mcpConnections.harnessId, harness.id), eq(mcpConnections.layer, row.layer), eq(mcpConnections.name, input.name)))
      .get();
    throw new ApiError("mcp_server_exists", `Harness ${harness.slug} already has an MCP server named ${input.name}.`, {
      domain: "mcp",
      operation: "mcp.connect",
      details: { name: input.name, ...(existing ? { server_id: existing.id } : {}) },
      actions: [
        ...(existing
          ? [{ rel: "get-existing", operation_id: "mcp.get", href: `/v1/harnesses/${harness.slug}/mcp-servers/${existing.id}` }]
          : []),
        { rel: "fix-input", hint: "Choose another name, or update the existing server with mcp.update." },
      ],
    });
  }
  return { row: await tryConnection(ctx, row, layers), harnessSlug: harness.slug };
}
