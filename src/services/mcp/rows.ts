/**
 * MCP connection rows: the row type, sealing of static headers, the catalog cache's freshness, and the
 * organization-filtered lookups every MCP verb starts with.
 */
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { mcpConnections } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { openString, sealString } from "../../lib/crypto.ts";
import type { AuthedContext, ServiceContext } from "../context.ts";
import { sealingKey } from "../secrets.ts";
import { parentChain } from "../harnesses/chain.ts";
import type { HarnessRow } from "../harnesses/find.ts";

export type McpConnectionRow = typeof mcpConnections.$inferSelect;

/** How long a server's listed tools, resources and prompts are served from the cache, in milliseconds. */
export const MCP_CATALOG_TTL_MS = 60_000;

/** The `layer` of a harness-wide connection. */
export const HARNESS_LAYER = "harness";

/** The `layer` of an agent's connection. */
export function agentLayer(agentId: string): string {
  return `agent:${agentId}`;
}

/** Associated data of a connection's sealed headers. */
export function headersAad(connectionId: string): string {
  return `mcp:${connectionId}:headers`;
}

/** Seals static headers for connection `id` (null when there are none). */
export async function sealHeaders(ctx: ServiceContext, id: string, headers: Record<string, string>): Promise<string | null> {
  if (Object.keys(headers).length === 0) return null;
  return sealString(await sealingKey(ctx), JSON.stringify(headers), headersAad(id));
}

/** The connection's static headers, opened. */
export async function openHeaders(
  ctx: ServiceContext,
  row: Pick<McpConnectionRow, "id" | "sealedHeaders">,
): Promise<Record<string, string>> {
  if (!row.sealedHeaders) return {};
  return JSON.parse(await openString(await sealingKey(ctx), row.sealedHeaders, headersAad(row.id))) as Record<string, string>;
}

/**
 * The connection state a row takes when how it reaches its server changes (mcp.update of transport,
 * auth or headers; a changed `mcpServers` / package configuration): no OAuth grant or pending
 * authorization, no cached catalog or server facts, not connected. With `problem` (a configuration
 * error the row keeps) the status is `error` and `lastError` that message; else `disconnected`.
 */
export function resetConnectionState(problem?: string) {
  return {
    status: problem ? "error" : "disconnected",
    lastError: problem ?? null,
    sealedOauth: null,
    oauthStateHash: null,
    authorizationUrl: null,
    catalog: null,
    catalogAt: null,
    protocolVersion: null,
    serverInfo: null,
    connectedAt: null,
  } satisfies Partial<McpConnectionRow>;
}

/** True while the cached catalog may be served without asking the server again. */
export function catalogFresh(row: McpConnectionRow, now = Date.now()): boolean {
  if (!row.catalog || !row.catalogAt) return false;
  if (!row.toolDiscovery) return true;
  return now - Date.parse(row.catalogAt) < MCP_CATALOG_TTL_MS;
}

/** A connection as seen from a harness: its row and, when a parent harness owns it, that parent. */
export interface VisibleConnection {
  row: McpConnectionRow;
  /** The harness that owns the row when it is inherited from a parent. */
  inheritedFrom?: HarnessRow;
}

/**
 * The connections visible on `harness`: its own (harness-wide and its agents'), then the harness-wide
 * ones of its parents that no nearer layer overrides by name. Inherited ones say where from.
 */
export async function visibleConnections(ctx: AuthedContext, harness: HarnessRow, parents?: HarnessRow[]): Promise<VisibleConnection[]> {
  const chain = parents ?? (await parentChain(ctx, harness));
  const ids = [harness.id, ...chain.map((p) => p.id)];
  const rows = await ctx.db
    .select()
    .from(mcpConnections)
    .where(
      and(
        eq(mcpConnections.orgId, ctx.principal.orgId),
        inArray(mcpConnections.harnessId, ids),
        or(eq(mcpConnections.harnessId, harness.id), isNull(mcpConnections.agentId)),
      ),
    )
    .orderBy(mcpConnections.id)
    .all();
  const own = rows.filter((r) => r.harnessId === harness.id).map((row) => ({ row }));
  const taken = new Set(own.filter((c) => c.row.agentId === null).map((c) => c.row.name));
  const inherited: VisibleConnection[] = [];
  for (const parent of chain) {
    for (const row of rows.filter((r) => r.harnessId === parent.id)) {
      if (taken.has(row.name)) continue;
      taken.add(row.name);
      inherited.push({ row, inheritedFrom: parent });
    }
  }
  return [...own, ...inherited];
}

/**
 * The connections a run of `harness` (as `agentId`, if any) uses, one per name: the agent's own
 * override the harness's, which override the parents' (nearest first).
 */
export async function runConnections(
  ctx: AuthedContext,
  harness: HarnessRow,
  agentId: string | null,
  parents?: HarnessRow[],
): Promise<McpConnectionRow[]> {
  const visible = await visibleConnections(ctx, harness, parents);
  const byName = new Map<string, McpConnectionRow>();
  const agentRows = visible.filter((c) => agentId && c.row.agentId === agentId).map((c) => c.row);
  const harnessRows = visible.filter((c) => c.row.agentId === null).map((c) => c.row);
  for (const row of [...agentRows, ...harnessRows]) if (!byName.has(row.name)) byName.set(row.name, row);
  return [...byName.values()];
}

/** The 404 for a server id that does not resolve on the harness. */
export function mcpServerNotFound(harness: HarnessRow, serverId: string): ApiError {
  return new ApiError("mcp_server_not_found", `No MCP server ${serverId} on harness ${harness.slug}.`, {
    domain: "mcp",
    details: { server_id: serverId },
    actions: [{ rel: "list", operation_id: "mcp.list", href: `/v1/harnesses/${harness.slug}/mcp-servers` }],
  });
}

/**
 * Finds a connection visible on `harness` by id or by name (a harness-wide one first).
 * @throws ApiError `mcp_server_not_found` (also for another organization's).
 */
export async function findConnection(ctx: AuthedContext, harness: HarnessRow, serverId: string): Promise<VisibleConnection> {
  const visible = await visibleConnections(ctx, harness);
  const found =
    visible.find((c) => c.row.id === serverId) ??
    visible.find((c) => c.row.name === serverId && c.row.agentId === null) ??
    visible.find((c) => c.row.name === serverId);
  if (!found) throw mcpServerNotFound(harness, serverId);
  return found;
}
