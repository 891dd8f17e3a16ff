import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { findConnection, visibleConnections, type VisibleConnection } from "./rows.ts";

/** Input of {@link listMcpServers}: Open Harness `mcp.list` query. */
export interface ListMcpInput {
  ref: string;
  limit: number;
  offset: number;
  status?: "connected" | "disconnected" | "error" | "authenticating";
}

/**
 * mcp.list — the MCP servers of a harness as recorded (no server is contacted): its own, its agents',
 * and those inherited from parent harnesses, each with the status of its last exchange.
 * @throws ApiError `harness_not_found`
 */
export async function listMcpServers({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListMcpInput>): Promise<{ harness: HarnessRow; items: VisibleConnection[]; total: number }> {
  const harness = await findHarness({ ctx, input });
  const all = (await visibleConnections(ctx, harness)).filter((c) => !input.status || c.row.status === input.status);
  return { harness, items: all.slice(input.offset, input.offset + input.limit), total: all.length };
}

/**
 * mcp.get — one server by id (or by name), as recorded.
 * @throws ApiError `harness_not_found`, `mcp_server_not_found`
 */
export async function getMcpServer({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; serverId: string }>): Promise<{ harness: HarnessRow; connection: VisibleConnection }> {
  const harness = await findHarness({ ctx, input });
  return { harness, connection: await findConnection(ctx, harness, input.serverId) };
}
