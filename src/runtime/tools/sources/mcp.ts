/**
 * The `mcp` source: the tools of the MCP servers in force for a run (the harness's, inherited ones, the
 * agent's package servers), named `mcp_<server>__<tool>` (cut to 64 characters with a short hash when
 * longer), with the server's JSON Schema validated as is (`jsonSchemaTool`, no `eval`). Listing and
 * calling go through the {@link McpPort}; a server that cannot be listed costs only its own tools, and
 * the system prompt says which servers are missing and why.
 */
import type { JsonSchemaObject } from "../../../lib/json-schema.ts";
import type { Tool, ToolScope, ToolSource } from "../contract.ts";
import { jsonSchemaTool } from "../define.ts";
import type { McpPort, McpServerUnavailable, PortScope } from "../ports.ts";
import { MAX_TOOL_NAME_CHARS } from "../toolset.ts";

function sanitize(part: string): string {
  return part.replace(/[^a-zA-Z0-9_-]+/g, "_");
}

/** A short, stable hash of `text` (FNV-1a, base 36) to keep cut names distinct. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** The name a model sees for tool `tool` of server `server`: `mcp_<server>__<tool>`, at most 64 characters. */
export function mcpToolName(server: string, tool: string): string {
  const full = `mcp_${sanitize(server)}__${sanitize(tool)}`;
  if (full.length <= MAX_TOOL_NAME_CHARS) return full;
  const suffix = `_${shortHash(`${server}\u0000${tool}`)}`;
  return `${full.slice(0, MAX_TOOL_NAME_CHARS - suffix.length)}${suffix}`;
}

/** An input schema a model provider accepts: always an object schema. */
function objectSchema(schema: Record<string, unknown>): JsonSchemaObject {
  return schema.type === "object" ? (schema as JsonSchemaObject) : { type: "object", ...schema };
}

function portScope(scope: ToolScope): PortScope {
  return {
    orgId: scope.orgId,
    harnessId: scope.harnessId,
    agentId: scope.agentId,
    ...(scope.sessionId !== undefined ? { sessionId: scope.sessionId } : {}),
    ...(scope.executionId ? { executionId: scope.executionId } : {}),
  };
}

/** Which run a listing's unavailable servers belong to (the source serves several scopes). */
function scopeKey(scope: ToolScope): string {
  return `${scope.harnessId}|${scope.agentId ?? ""}|${scope.executionId ?? ""}`;
}

/** The `mcp` tool source over `port`. */
export function mcpToolSource(port: McpPort): ToolSource {
  const missing = new Map<string, McpServerUnavailable[]>();
  return {
    kind: "mcp",
    async tools(scope): Promise<Tool[]> {
      const listed = await port.listTools(portScope(scope));
      missing.set(scopeKey(scope), listed.unavailable);
      return listed.tools.map((t) =>
        jsonSchemaTool({
          name: mcpToolName(t.serverName, t.name),
          description: `${t.description || t.name} (MCP server ${t.serverName}, tool ${t.name})`,
          inputSchema: objectSchema(t.inputSchema),
          source: { kind: "mcp", id: t.serverId },
          execute: (input, ctx) =>
            port.callTool({
              scope: portScope(scope),
              serverId: t.serverId,
              tool: t.name,
              args: input,
              ...(ctx.abortSignal ? { signal: ctx.abortSignal } : {}),
              ...(ctx.emit ? { onProgress: (p: { percentage: number; message: string }) => ctx.emit!({ type: "progress", ...p }) } : {}),
            }),
        }),
      );
    },
    async prompt(scope) {
      const unavailable = missing.get(scopeKey(scope)) ?? [];
      if (unavailable.length === 0) return undefined;
      return [
        "Some MCP servers of this harness are unavailable right now; their tools are missing from this run:",
        ...unavailable.map((u) => `- ${u.serverName}: ${u.reason}`),
      ].join("\n");
    },
  };
}
