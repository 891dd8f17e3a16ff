/**
 * The `custom` source: tools registered on the harness with `tools.register`, each run by its webhook
 * through the {@link CustomToolPort} (a signed POST; a streamed answer is passed on chunk by chunk).
 */
import type { JsonSchemaObject } from "../../../lib/json-schema.ts";
import type { Tool, ToolSource } from "../contract.ts";
import { jsonSchemaTool } from "../define.ts";
import type { CustomToolPort } from "../ports.ts";

/** The `custom` tool source over `port`. */
export function customToolSource(port: CustomToolPort): ToolSource {
  return {
    kind: "custom",
    async tools(scope): Promise<Tool[]> {
      const portScope = {
        orgId: scope.orgId,
        harnessId: scope.harnessId,
        agentId: scope.agentId,
        ...(scope.sessionId !== undefined ? { sessionId: scope.sessionId } : {}),
        ...(scope.executionId ? { executionId: scope.executionId } : {}),
      };
      const tools = await port.listTools(portScope);
      return tools.map((t) =>
        jsonSchemaTool({
          name: t.name,
          description: t.description,
          inputSchema: t.inputSchema as JsonSchemaObject,
          source: { kind: "custom", id: t.id },
          execute: (input, ctx) =>
            port.call({
              scope: portScope,
              toolId: t.id,
              args: input,
              callId: crypto.randomUUID(),
              ...(ctx.abortSignal ? { signal: ctx.abortSignal } : {}),
              ...(ctx.emit ? { onChunk: ctx.emit } : {}),
            }),
        }),
      );
    },
  };
}
