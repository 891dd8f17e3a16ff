/**
 * The {@link McpPort} tools act through: the MCP servers in force for a run (`services/mcp/rows.ts`
 * `runConnections`), listed through the catalog cache and filtered by a package's enabled/disabled
 * tool lists, and called one exchange per call (`services/mcp/session.ts`). Results map to tool outputs:
 * text, images, audio, embedded resources and resource links become content items; `structuredContent`
 * is kept; `isError` results and failed exchanges become ToolErrors, so the run goes on.
 */
import { ProtocolError, type CallToolResult } from "@modelcontextprotocol/client";
import { and, eq } from "drizzle-orm";
import picomatch from "picomatch";
import { mcpConnections } from "../../db/schema.ts";
import { ToolError } from "../../runtime/tools/contract.ts";
import type { McpPort, McpServerUnavailable, McpToolDescriptor, PortScope } from "../../runtime/tools/ports.ts";
import type { AuthedContext } from "../context.ts";
import { parentChain } from "../harnesses/chain.ts";
import { networkPolicyLayers } from "../network/policy.ts";
import { connectionCatalog } from "../mcp/catalog.ts";
import { runConnections, type McpConnectionRow } from "../mcp/rows.ts";
import { callTool, McpExchangeError, recordExchange, withMcpClient } from "../mcp/session.ts";
import { scopeHarness } from "./scope.ts";

/** Deadline for listing one server's tools when a run starts, in milliseconds (a slow server costs only its tools). */
export const MCP_RUN_LIST_TIMEOUT_MS = 8_000;
/** Deadline of one MCP tool call (connect + call + close), in milliseconds. */
export const MCP_TOOL_CALL_TIMEOUT_MS = 60_000;
/** Most characters of text kept from one tool result (the rest is cut, and the result says so). */
export const MAX_MCP_RESULT_CHARS = 100_000;
/** Largest image or audio item passed on inline (base64), in bytes of decoded data; larger ones are described only. */
export const MAX_MCP_INLINE_MEDIA_BYTES = 256 * 1024;

/** True when `tool` passes a package's enabled (`include`) and disabled (`exclude`) globs. */
export function toolEnabled(row: Pick<McpConnectionRow, "includeTools" | "excludeTools">, tool: string): boolean {
  if (row.excludeTools?.length && picomatch(row.excludeTools)(tool)) return false;
  if (row.includeTools?.length && !picomatch(row.includeTools)(tool)) return false;
  return true;
}

function mediaBytes(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}

/** An MCP `CallToolResult` as a tool output (spec "Tools › Tool Result"). */
export function toolOutput(result: CallToolResult): Record<string, unknown> {
  let budget = MAX_MCP_RESULT_CHARS;
  let truncated = false;
  const take = (text: string) => {
    const kept = text.slice(0, Math.max(0, budget));
    if (kept.length < text.length) truncated = true;
    budget -= kept.length;
    return kept;
  };
  const content = (result.content ?? []).map((block): Record<string, unknown> => {
    switch (block.type) {
      case "text":
        return { type: "text", text: take(block.text) };
      case "image":
      case "audio": {
        const size = mediaBytes(block.data);
        return size <= MAX_MCP_INLINE_MEDIA_BYTES
          ? { type: block.type, mime_type: block.mimeType, size_bytes: size, data: block.data }
          : { type: block.type, mime_type: block.mimeType, size_bytes: size, note: "too large to pass on inline" };
      }
      case "resource": {
        const r = block.resource;
        return "text" in r
          ? { type: "resource", uri: r.uri, ...(r.mimeType ? { mime_type: r.mimeType } : {}), text: take(r.text) }
          : { type: "resource", uri: r.uri, ...(r.mimeType ? { mime_type: r.mimeType } : {}), size_bytes: mediaBytes(r.blob) };
      }
      case "resource_link":
        return {
          type: "resource_link",
          uri: block.uri,
          name: block.name,
          ...(block.mimeType ? { mime_type: block.mimeType } : {}),
          ...(block.description ? { description: block.description } : {}),
        };
      default:
        return { type: (block as { type: string }).type };
    }
  });
  const text = content
    .filter((c) => c.type === "text")
    .map((c) => c.text as string)
    .join("\n");
  return {
    ...(text ? { text } : {}),
    content,
    ...(result.structuredContent ? { structured: result.structuredContent } : {}),
    ...(truncated ? { truncated: true } : {}),
  };
}

function toolFailure(error: McpExchangeError, serverName: string): ToolError {
  if (error.code === "network_blocked")
    return new ToolError("network_blocked", `${error.message}${error.rule ? ` (rule: ${error.rule})` : ""}`);
  if (error.code === "mcp_auth_required") {
    return new ToolError(
      "mcp_authorization_required",
      `MCP server ${serverName} needs a person to authorize it before its tools can be used${error.authorizationUrl ? ` (${error.authorizationUrl})` : ""}.`,
    );
  }
  return new ToolError("mcp_server_unavailable", error.message);
}

/** The MCP port for `ctx`'s organization. */
export function createMcpPort(ctx: AuthedContext): McpPort {
  const layersOf = async (scope: PortScope, harness: Awaited<ReturnType<typeof scopeHarness>>) =>
    networkPolicyLayers(ctx, { harness, agentId: scope.agentId, sessionId: scope.sessionId ?? null });
  return {
    async listTools(scope) {
      const harness = await scopeHarness(ctx, scope);
      const parents = await parentChain(ctx, harness);
      const rows = await runConnections(ctx, harness, scope.agentId, parents);
      if (rows.length === 0) return { tools: [], unavailable: [] };
      const layers = await networkPolicyLayers(ctx, { harness, parents, agentId: scope.agentId, sessionId: scope.sessionId ?? null });
      const tools: McpToolDescriptor[] = [];
      const unavailable: McpServerUnavailable[] = [];
      await Promise.all(
        rows.map(async (row) => {
          const skip = (reason: string) => unavailable.push({ serverId: row.id, serverName: row.name, reason });
          if (row.status === "authenticating")
            return skip(`it needs a person to authorize it (open ${row.authorizationUrl ?? "the authorization URL from mcp.health"})`);
          if (row.status === "error" && !row.autoReconnect && !row.catalog)
            return skip(`it failed (${row.lastError}) and auto_reconnect is off`);
          try {
            const { catalog } = await connectionCatalog(ctx, row, layers, { timeoutMs: MCP_RUN_LIST_TIMEOUT_MS });
            for (const tool of catalog.tools) {
              if (!toolEnabled(row, tool.name)) continue;
              tools.push({
                serverId: row.id,
                serverName: row.name,
                name: tool.name,
                description: tool.description,
                inputSchema: tool.input_schema,
              });
            }
          } catch (error) {
            if (!(error instanceof McpExchangeError)) throw error;
            skip(error.message);
            ctx.log.warn("MCP server unavailable for a run", { server_id: row.id, reason: error.code });
          }
        }),
      );
      tools.sort((a, b) => a.serverName.localeCompare(b.serverName) || a.name.localeCompare(b.name));
      return { tools, unavailable };
    },

    async callTool({ scope, serverId, tool, args, signal, onProgress }) {
      const row = await ctx.db
        .select()
        .from(mcpConnections)
        .where(and(eq(mcpConnections.id, serverId), eq(mcpConnections.orgId, ctx.principal.orgId)))
        .get();
      if (!row) throw new ToolError("mcp_server_not_found", "This MCP server was disconnected from the harness.");
      if (!toolEnabled(row, tool))
        throw new ToolError("tool_disabled", `Tool ${tool} of MCP server ${row.name} is disabled by the agent's package.`);
      const harness = await scopeHarness(ctx, scope);
      const layers = await layersOf(scope, harness);
      try {
        const { value, facts } = await withMcpClient(
          { ctx, row, layers, timeoutMs: MCP_TOOL_CALL_TIMEOUT_MS, ...(signal ? { signal } : {}) },
          (client) =>
            (onProgress
              ? (client.callTool(
                  { name: tool, arguments: args },
                  {
                    timeout: MCP_TOOL_CALL_TIMEOUT_MS,
                    onprogress: (p) =>
                      onProgress({
                        percentage: p.total ? Math.min(100, (p.progress / p.total) * 100) : p.progress,
                        message: p.message ?? "",
                      }),
                  },
                ) as Promise<CallToolResult>)
              : callTool(client, tool, args, MCP_TOOL_CALL_TIMEOUT_MS)
            ).then(
              (result) => ({ ok: true as const, result }),
              // A JSON-RPC error answer (unknown tool, invalid params) is this call's failure, not the server's.
              (error: unknown) => {
                if (error instanceof ProtocolError) return { ok: false as const, message: error.message };
                throw error;
              },
            ),
        );
        await recordExchange(ctx, row, { facts });
        if (!value.ok) throw new ToolError("mcp_tool_error", `${row.name}/${tool} refused the call: ${value.message}`);
        if (value.result.isError) {
          const text = toolOutput(value.result).text as string | undefined;
          throw new ToolError("mcp_tool_error", `${row.name}/${tool} reported an error: ${text || "no detail"}`);
        }
        return toolOutput(value.result);
      } catch (error) {
        if (error instanceof McpExchangeError) {
          await recordExchange(ctx, row, { error });
          throw toolFailure(error, row.name);
        }
        throw error;
      }
    },
  };
}
