import { and, eq } from "drizzle-orm";
import { mcpConnections } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertOutboundAllowed, networkPolicyLayers } from "../network/policy.ts";
import { tryConnection, writableHarness } from "./connect.ts";
import { findConnection, resetConnectionState, sealHeaders, type McpConnectionRow, type VisibleConnection } from "./rows.ts";
import { sealingKey } from "../secrets.ts";
import { connectionSpec, type McpAuthInput, type McpTransportInput } from "./spec.ts";

/**
 * The refusal for changing a connection this harness does not own outright: one inherited from a
 * parent harness (change it there), or one its `mcpServers` define (change the definition).
 * @throws ApiError `mcp_server_inherited`, `mcp_server_managed` (409)
 */
function assertOwned(connection: VisibleConnection, harnessSlug: string, operation: string): void {
  const { row, inheritedFrom } = connection;
  if (inheritedFrom) {
    throw new ApiError("mcp_server_inherited", `MCP server ${row.name} is inherited from harness ${inheritedFrom.slug}; change it there.`, {
      domain: "mcp",
      operation,
      details: { server_id: row.id, owner_harness_id: inheritedFrom.slug },
      actions: [{ rel: "edit-owner", operation_id: operation, href: `/v1/harnesses/${inheritedFrom.slug}/mcp-servers/${row.id}` }],
    });
  }
  if (row.origin === "harness") {
    throw new ApiError(
      "mcp_server_managed",
      `MCP server ${row.name} comes from harness ${harnessSlug}'s mcpServers; change or remove it there (harnesses.update).`,
      {
        domain: "mcp",
        operation,
        details: { server_id: row.id, field: `mcpServers.${row.name}` },
        actions: [{ rel: "edit-definition", operation_id: "harnesses.update", href: `/v1/harnesses/${harnessSlug}` }],
      },
    );
  }
}

/** Input of {@link updateMcpServer}: Open Harness `mcp.update` plus the auth fields of mcp.connect. */
export interface UpdateMcpInput {
  ref: string;
  serverId: string;
  name?: string;
  transport?: McpTransportInput;
  auto_reconnect?: boolean;
  headers?: Record<string, string>;
  auth?: McpAuthInput;
}

/**
 * mcp.update — changes name, transport, headers/auth or `auto_reconnect` and, when how to reach the
 * server changed, reconnects at once (a new URL or new credentials start from scratch: cached tools and
 * OAuth tokens are dropped). Giving a package's server its API key is an update of its auth.
 * @throws ApiError `harness_not_found`, `mcp_server_not_found`, `mcp_server_inherited`, `mcp_server_managed`,
 *   `mcp_server_exists`, `mcp_transport_unsupported`, `network_blocked`, `validation_error`, `secrets_unavailable`
 */
export async function updateMcpServer({
  ctx,
  input,
}: VerbArgs<AuthedContext, UpdateMcpInput>): Promise<VisibleConnection & { harnessSlug: string }> {
  const harness = await writableHarness(ctx, input.ref);
  const connection = await findConnection(ctx, harness, input.serverId);
  assertOwned(connection, harness.slug, "mcp.update");
  const { row } = connection;
  const patch: Partial<McpConnectionRow> = { updatedAt: nowIso() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.auto_reconnect !== undefined) patch.autoReconnect = input.auto_reconnect;
  const reach = input.transport !== undefined || input.auth !== undefined || input.headers !== undefined;
  const layers = await networkPolicyLayers(ctx, { harness, agentId: row.agentId });
  if (reach) {
    const spec = connectionSpec(
      {
        transport: input.transport ?? { type: row.transport as "http" | "sse", url: row.url },
        ...(input.auth ? { auth: input.auth } : row.authMode === "oauth" && !input.headers ? { auth: { type: "oauth" } } : {}),
        ...(input.headers ? { headers: input.headers } : {}),
      },
      "mcp.update",
    );
    assertOutboundAllowed(ctx, spec.url, layers, "body.transport.url", { domain: "mcp", operation: "mcp.update" });
    if (spec.authMode !== "none") await sealingKey(ctx);
    const keepHeaders = input.auth === undefined && input.headers === undefined;
    Object.assign(patch, {
      transport: spec.transport,
      url: spec.url,
      authMode: keepHeaders ? row.authMode : spec.authMode,
      ...(keepHeaders ? {} : { headerNames: Object.keys(spec.headers), sealedHeaders: await sealHeaders(ctx, row.id, spec.headers) }),
      ...resetConnectionState(),
    } satisfies Partial<McpConnectionRow>);
  }
  let updated: McpConnectionRow[];
  try {
    updated = await ctx.db
      .update(mcpConnections)
      .set(patch)
      .where(and(eq(mcpConnections.id, row.id), eq(mcpConnections.orgId, ctx.principal.orgId)))
      .returning();
  } catch (error) {
    if (input.name !== undefined && /UNIQUE/i.test(String(error))) {
      throw new ApiError("mcp_server_exists", `Harness ${harness.slug} already has an MCP server named ${input.name}.`, {
        domain: "mcp",
        operation: "mcp.update",
        details: { name: input.name },
        actions: [{ rel: "fix-input", hint: "Choose another name." }],
      });
    }
    throw error;
  }
  const next = updated[0]!;
  return { row: reach ? await tryConnection(ctx, next, layers) : next, harnessSlug: harness.slug };
}

/**
 * mcp.disconnect — removes the server from the harness (or agent); runs no longer see its tools.
 * @throws ApiError `harness_not_found`, `mcp_server_not_found`, `mcp_server_inherited`, `mcp_server_managed`
 */
export async function disconnectMcpServer({ ctx, input }: VerbArgs<AuthedContext, { ref: string; serverId: string }>): Promise<void> {
  const harness = await writableHarness(ctx, input.ref);
  const connection = await findConnection(ctx, harness, input.serverId);
  assertOwned(connection, harness.slug, "mcp.disconnect");
  await ctx.db.delete(mcpConnections).where(and(eq(mcpConnections.id, connection.row.id), eq(mcpConnections.orgId, ctx.principal.orgId)));
}
