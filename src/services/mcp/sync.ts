/**
 * Connections made from configuration: a harness's `mcpServers` (Everruns; keys as in common MCP client
 * configs) and an imported agent package's `mcp-configs/<server>/`. They are rows like any other —
 * inherited, listed, checked and used the same way — kept in step with their configuration here.
 * Header values given in `mcpServers` are sealed into the connection row; the harness record keeps
 * only their names (each value shown as {@link REDACTED_HEADER_VALUE}; sending that marker back keeps
 * the stored value). Nothing here contacts a server: the first use does.
 */
import { and, eq, inArray, isNull, notInArray } from "drizzle-orm";
import { mcpConnections, type AgentMcpRef, type ScopedMcpServer } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { agentLayer, HARNESS_LAYER, openHeaders, resetConnectionState, sealHeaders, type McpConnectionRow } from "./rows.ts";
import { sealingKey } from "../secrets.ts";

/** How a stored header value is shown (and, sent back unchanged, means "keep the stored value"). */
export const REDACTED_HEADER_VALUE = "********";

/** `mcpServers` as the harness record keeps it: header values replaced by {@link REDACTED_HEADER_VALUE}. */
export function redactMcpServers(servers: Record<string, ScopedMcpServer>): Record<string, ScopedMcpServer> {
  return Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [
      name,
      server.headers
        ? { ...server, headers: Object.fromEntries(Object.keys(server.headers).map((h) => [h, REDACTED_HEADER_VALUE])) }
        : server,
    ]),
  );
}

/** What a configured server decides about its row. */
interface ConfiguredServer {
  name: string;
  transport: "http" | "sse";
  url: string;
  authMode: "none" | "headers" | "oauth";
  headers: Record<string, string>;
  oauthProviderId: string | null;
  toolDiscovery: boolean;
  includeTools: string[] | null;
  excludeTools: string[] | null;
  /** Why the server cannot be used as configured (recorded as the connection's error). */
  problem?: string;
}

function sameReach(row: McpConnectionRow, next: ConfiguredServer, headersChanged: boolean): boolean {
  return row.url === next.url && row.transport === next.transport && row.authMode === next.authMode && !headersChanged;
}

/**
 * Brings the rows of one layer in step with `servers`: inserts new ones, updates changed ones (a new
 * URL, transport or credentials starts over: status, cached tools and OAuth tokens are dropped), and
 * removes the ones of `origin` no longer configured. `previous` supplies stored header values for
 * names sent back as {@link REDACTED_HEADER_VALUE} (the same rows, or a copied harness's).
 */
async function syncLayer(
  ctx: AuthedContext,
  where: { harnessId: string; agentId: string | null; origin: "harness" | "package" },
  servers: ConfiguredServer[],
  previous: McpConnectionRow[],
): Promise<void> {
  const layer = where.agentId ? agentLayer(where.agentId) : HARNESS_LAYER;
  const existing = await ctx.db
    .select()
    .from(mcpConnections)
    .where(and(eq(mcpConnections.harnessId, where.harnessId), eq(mcpConnections.layer, layer)))
    .all();
  const now = nowIso();
  const writes = [];
  for (const server of servers) {
    const current = existing.find((r) => r.name === server.name);
    const source = current ?? previous.find((r) => r.name === server.name);
    const stored = source ? await openHeaders(ctx, source) : {};
    const headers = Object.fromEntries(
      Object.entries(server.headers).flatMap(([k, v]) => (v === REDACTED_HEADER_VALUE ? (k in stored ? [[k, stored[k]!]] : []) : [[k, v]])),
    );
    if (Object.keys(headers).length > 0) await sealingKey(ctx);
    const id = current?.id ?? newId("mcpServer");
    const sealedHeaders = await sealHeaders(ctx, id, headers);
    const headersChanged = !current || JSON.stringify(await openHeaders(ctx, current)) !== JSON.stringify(headers);
    const configured = {
      origin: where.origin,
      transport: server.transport,
      url: server.url,
      authMode: server.authMode,
      headerNames: Object.keys(server.authMode === "headers" && server.problem ? { ...server.headers } : headers),
      sealedHeaders,
      oauthProviderId: server.oauthProviderId,
      toolDiscovery: server.toolDiscovery,
      includeTools: server.includeTools,
      excludeTools: server.excludeTools,
      updatedAt: now,
    };
    const reset = resetConnectionState(server.problem);
    if (current) {
      const keep = sameReach(current, server, headersChanged) && !server.problem;
      writes.push(
        ctx.db
          .update(mcpConnections)
          .set({ ...configured, ...(keep ? {} : reset) })
          .where(eq(mcpConnections.id, current.id)),
      );
    } else {
      writes.push(
        ctx.db.insert(mcpConnections).values({
          id,
          orgId: ctx.principal.orgId,
          harnessId: where.harnessId,
          agentId: where.agentId,
          layer,
          name: server.name,
          autoReconnect: true,
          ...configured,
          ...reset,
          lastCheckedAt: null,
          createdAt: now,
        }),
      );
    }
  }
  const names = servers.map((s) => s.name);
  writes.push(
    ctx.db
      .delete(mcpConnections)
      .where(
        and(
          eq(mcpConnections.harnessId, where.harnessId),
          eq(mcpConnections.layer, layer),
          eq(mcpConnections.origin, where.origin),
          ...(names.length ? [notInArray(mcpConnections.name, names)] : []),
        ),
      ),
  );
  const [first, ...rest] = writes;
  await ctx.db.batch([first!, ...rest]);
}

/** Why a configured URL cannot be used as it is written, if it cannot. */
function urlProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? undefined : `url ${url} is not an http(s) URL`;
  } catch {
    return `url ${JSON.stringify(url)} is not an absolute URL; set an http(s) URL in mcpServers`;
  }
}

/**
 * Brings the harness-wide connections of `harness` in step with its `mcpServers` (the values as the
 * caller sent them: header values in clear, or {@link REDACTED_HEADER_VALUE} to keep the stored one).
 * `copiedFrom` is the harness a copy was made from, whose stored header values the copy keeps.
 * @throws ApiError `secrets_unavailable` (503) when headers must be stored and no key is configured
 */
export async function syncHarnessConnections(
  ctx: AuthedContext,
  harness: HarnessRow,
  servers: Record<string, ScopedMcpServer>,
  copiedFrom?: HarnessRow,
): Promise<void> {
  const configured: ConfiguredServer[] = Object.entries(servers).map(([name, server]) => {
    const headers = server.headers ?? {};
    const authMode =
      server.auth_mode === "o_auth" ? "oauth" : server.auth_mode === "api_key" || Object.keys(headers).length ? "headers" : "none";
    const problem =
      urlProblem(server.url) ??
      (server.auth_mode === "api_key" && Object.keys(headers).length === 0
        ? 'auth_mode api_key needs the key in headers (e.g. {"X-API-Key": "…"})'
        : undefined);
    return {
      name,
      transport: "http",
      url: server.url,
      authMode,
      headers,
      oauthProviderId: server.oauth_provider_id ?? null,
      toolDiscovery: server.tool_discovery ?? true,
      includeTools: null,
      excludeTools: null,
      ...(problem ? { problem } : {}),
    };
  });
  const previous = copiedFrom
    ? await ctx.db
        .select()
        .from(mcpConnections)
        .where(
          and(
            eq(mcpConnections.harnessId, copiedFrom.id),
            eq(mcpConnections.orgId, ctx.principal.orgId),
            isNull(mcpConnections.agentId),
            eq(mcpConnections.origin, "harness"),
          ),
        )
        .all()
    : [];
  await syncLayer(ctx, { harnessId: harness.id, agentId: null, origin: "harness" }, configured, previous);
}

/** One package MCP server as a configured connection, or why it cannot be one (stdio, no URL). */
function packageServer(ref: AgentMcpRef): ConfiguredServer | { skip: string } {
  const type = ref.transport?.type;
  if (type === "stdio") {
    return {
      skip: `MCP server ${ref.name} uses stdio, which cannot run on EdgeHarness (no processes on the edge); serve it over HTTP and add it with mcp.connect`,
    };
  }
  if (!ref.transport?.url) return { skip: `MCP server ${ref.name} has no connection.url in its config.yaml; add it with mcp.connect` };
  const apiKey = ref.auth && /api[-_ ]?key|bearer|token/i.test(ref.auth.type);
  const header = ref.auth?.header ?? (ref.auth && /bearer|token/i.test(ref.auth.type) ? "Authorization" : "X-API-Key");
  const oauth = ref.auth && /oauth/i.test(ref.auth.type);
  const problem =
    urlProblem(ref.transport.url) ??
    (apiKey
      ? `needs an API key in header ${header}${ref.auth?.env_var ? ` (the package names ${ref.auth.env_var})` : ""}: set it with mcp.update {"auth": {"type": "api_key", "header": "${header}", "key": "…"}}`
      : undefined);
  return {
    name: ref.name,
    transport: type === "sse" ? "sse" : "http",
    url: ref.transport.url,
    authMode: oauth ? "oauth" : apiKey ? "headers" : "none",
    headers: apiKey ? { [header]: REDACTED_HEADER_VALUE } : {},
    oauthProviderId: null,
    toolDiscovery: true,
    includeTools: ref.tools?.length ? ref.tools : null,
    excludeTools: ref.excluded_tools?.length ? ref.excluded_tools : null,
    ...(problem ? { problem } : {}),
  };
}

/**
 * Makes an imported agent's package MCP servers (`mcp-configs/<server>/`, recorded on the agent)
 * connections of the agent's layer, with the package's enabled/disabled tool lists. A key the package
 * needs but cannot carry (an `env_var`) is asked for in the connection's `last_error`; a key given
 * earlier with mcp.update is kept across re-imports. Returns warnings for servers that cannot be
 * connections (stdio, no URL).
 */
export async function syncAgentConnections(
  ctx: AuthedContext,
  harness: HarnessRow,
  agent: { id: string; mcpServers: AgentMcpRef[] },
): Promise<string[]> {
  const warnings: string[] = [];
  const configured: ConfiguredServer[] = [];
  for (const ref of agent.mcpServers) {
    const server = packageServer(ref);
    if ("skip" in server) warnings.push(server.skip);
    else configured.push(server);
  }
  const existing = await ctx.db
    .select()
    .from(mcpConnections)
    .where(and(eq(mcpConnections.harnessId, harness.id), inArray(mcpConnections.layer, [agentLayer(agent.id)])))
    .all();
  // A key set with mcp.update stays: the package names the header, the stored value fills it.
  for (const server of configured) {
    const row = existing.find((r) => r.name === server.name);
    if (!row || server.authMode !== "headers") continue;
    const stored = await openHeaders(ctx, row);
    if (Object.keys(server.headers).every((h) => h in stored) && server.problem?.startsWith("needs an API key")) delete server.problem;
  }
  await syncLayer(ctx, { harnessId: harness.id, agentId: agent.id, origin: "package" }, configured, []);
  return warnings;
}
