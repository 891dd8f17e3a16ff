import type { McpCatalogJson } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { NetworkPolicyLayer } from "../../lib/network-policy.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { networkPolicyLayers } from "../network/policy.ts";
import { catalogFresh, findConnection, type McpConnectionRow, type VisibleConnection } from "./rows.ts";
import { listCatalog, McpExchangeError, recordExchange, withMcpClient } from "./session.ts";

/** Deadline of a listing made for an API call, in milliseconds. */
export const MCP_LIST_TIMEOUT_MS = 15_000;

/**
 * The server's catalog: from the cache while fresh (`MCP_CATALOG_TTL_MS`, dropped on a `list_changed`
 * notification), else listed live and cached. The row is updated either way (status, last error).
 * @throws McpExchangeError when a live listing fails (recorded on the row first)
 */
export async function connectionCatalog(
  ctx: AuthedContext,
  row: McpConnectionRow,
  layers: NetworkPolicyLayer[],
  options: { refresh?: boolean; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ row: McpConnectionRow; catalog: McpCatalogJson }> {
  if (!options.refresh && catalogFresh(row)) return { row, catalog: row.catalog! };
  try {
    const { value: catalog, facts } = await withMcpClient(
      { ctx, row, layers, timeoutMs: options.timeoutMs ?? MCP_LIST_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) },
      listCatalog,
    );
    return { row: await recordExchange(ctx, row, { facts, catalog }), catalog };
  } catch (error) {
    if (error instanceof McpExchangeError) await recordExchange(ctx, row, { error });
    throw error;
  }
}

/** The problem for a listing that failed: 502-class `mcp_server_unavailable` naming the cause, or the consent to give. */
export function exchangeProblem(error: McpExchangeError, connection: VisibleConnection, operation: string): ApiError {
  const { row } = connection;
  if (error.code === "network_blocked") {
    return new ApiError("network_blocked", error.message, {
      domain: "mcp",
      operation,
      details: { server_id: row.id, url: row.url, ...(error.rule ? { rule: error.rule } : {}) },
      actions: [{ rel: "configure", hint: "Widen the harness's network_access, or point the server at an allowed URL." }],
    });
  }
  return new ApiError(error.code === "mcp_auth_required" ? "mcp_authorization_required" : "mcp_server_unavailable", error.message, {
    domain: "mcp",
    operation,
    details: { server_id: row.id, reason: error.code, ...(error.authorizationUrl ? { authorization_url: error.authorizationUrl } : {}) },
    actions: error.authorizationUrl
      ? [{ rel: "authorize", hint: "Open the authorization URL in a browser and consent; then retry.", href: error.authorizationUrl }]
      : [{ rel: "check-health", operation_id: "mcp.health", hint: "mcp.health says whether the server answers now." }],
  });
}

/** Input of {@link listServerItems}. */
export interface ListServerItemsInput {
  ref: string;
  serverId: string;
  refresh?: boolean;
  operation: "mcp.listTools" | "mcp.listResources" | "mcp.listPrompts";
}

/**
 * mcp.listTools / mcp.listResources / mcp.listPrompts — what the server offers, read live through the
 * short cache (`refresh: true` skips it).
 * @throws ApiError `harness_not_found`, `mcp_server_not_found`, `mcp_server_unavailable` (502),
 *   `mcp_authorization_required` (409, with the URL to open), `network_blocked` (422)
 */
export async function listServerItems({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListServerItemsInput>): Promise<{ connection: VisibleConnection; catalog: McpCatalogJson }> {
  const harness = await findHarness({ ctx, input });
  const connection = await findConnection(ctx, harness, input.serverId);
  const layers = await networkPolicyLayers(ctx, { harness, agentId: connection.row.agentId });
  try {
    const { row, catalog } = await connectionCatalog(ctx, connection.row, layers, { refresh: input.refresh ?? false });
    return { connection: { ...connection, row }, catalog };
  } catch (error) {
    if (error instanceof McpExchangeError) throw exchangeProblem(error, connection, input.operation);
    throw error;
  }
}
