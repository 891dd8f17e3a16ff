import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { networkPolicyLayers } from "../network/policy.ts";
import { findConnection, type VisibleConnection } from "./rows.ts";
import { McpExchangeError, recordExchange, withMcpClient } from "./session.ts";

/**
 * Deadline of a health check's exchange, in milliseconds: `mcp.health` answers within 2 s even when the
 * server hangs, with the database reads and writes around the exchange.
 */
export const MCP_HEALTH_TIMEOUT_MS = 1_500;

/** Open Harness `mcp.health` response, plus `status_detail` (the connection status it left behind). */
export interface McpHealth {
  status: "healthy" | "degraded" | "unhealthy";
  latency_ms: number;
  last_error?: string;
  /** Set when the server needs a person to consent (OAuth): open it, then check again. */
  authorization_url?: string;
}

/**
 * mcp.health — connects and pings the server now (bounded by {@link MCP_HEALTH_TIMEOUT_MS}): `healthy`
 * when it answers, `degraded` when it answers but needs authorization, `unhealthy` (with `last_error`)
 * when it is down, hangs, refuses us or is blocked by the network policy — never a 5xx. The outcome is
 * recorded on the connection (status `connected` / `error` / `authenticating`).
 * @throws ApiError `harness_not_found`, `mcp_server_not_found`
 */
export async function checkMcpHealth({ ctx, input }: VerbArgs<AuthedContext, { ref: string; serverId: string }>): Promise<{
  health: McpHealth;
  connection: VisibleConnection;
  harnessSlug: string;
}> {
  const harness = await findHarness({ ctx, input });
  const connection = await findConnection(ctx, harness, input.serverId);
  const layers = await networkPolicyLayers(ctx, { harness, agentId: connection.row.agentId });
  const started = Date.now();
  try {
    // Connecting is the check (2026-07-28 `server/discover`, or `initialize`); 2025-era servers are pinged too.
    const { facts } = await withMcpClient({ ctx, row: connection.row, layers, timeoutMs: MCP_HEALTH_TIMEOUT_MS }, async (client) => {
      if (!client.getNegotiatedProtocolVersion()?.startsWith("2026")) await client.ping();
    });
    const latency = Date.now() - started;
    const row = await recordExchange(ctx, connection.row, { facts });
    return { health: { status: "healthy", latency_ms: latency }, connection: { ...connection, row }, harnessSlug: harness.slug };
  } catch (error) {
    const latency = Date.now() - started;
    const failure = error instanceof McpExchangeError ? error : new McpExchangeError("mcp_protocol_error", String(error));
    const row = await recordExchange(ctx, connection.row, { error: failure });
    const health: McpHealth =
      failure.code === "mcp_auth_required"
        ? { status: "degraded", latency_ms: latency, last_error: failure.message, authorization_url: failure.authorizationUrl! }
        : { status: "unhealthy", latency_ms: latency, last_error: failure.message };
    return { health, connection: { ...connection, row }, harnessSlug: harness.slug };
  }
}
