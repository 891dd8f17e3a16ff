import { z } from "@hono/zod-openapi";
import { PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { CustomToolRow } from "../../../services/tools/custom-port.ts";
import type { ToolView } from "../../../services/tools/catalog.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";

export const ToolSchema = z
  .object({
    id: z.string().openapi({ description: "The tool's name in a run (custom tools: their `tool_…` id)." }),
    name: z.string(),
    description: z.string(),
    source: z.enum(["builtin", "mcp", "skill", "custom"]),
    source_id: z.string().optional().openapi({ description: "Capability ref (built-ins), MCP server id, skill id or custom tool id." }),
    input_schema: z.record(z.string(), z.unknown()),
  })
  .openapi("Tool");

export const ToolEnvelope = z.object({ tool: ToolSchema }).openapi("ToolEnvelope");
export const RegisteredToolEnvelope = z
  .object({
    tool: ToolSchema.extend({ handler: z.object({ type: z.literal("webhook"), url: z.string() }) }),
    signing_secret: z.string().openapi({
      description:
        "The secret every call is signed with (Standard Webhooks `webhook-signature`, and `X-OpenHarness-Signature: sha256=<hex HMAC of the body>`). Shown only now.",
    }),
  })
  .openapi("RegisteredTool");
export const ToolPage = paginated(ToolSchema, "ToolPage").extend({
  tools: z.array(ToolSchema).openapi({ description: "The same page (reference TypeScript client)." }),
});

const AgentQuery = z
  .string()
  .min(1)
  .max(100)
  .optional()
  .openapi({ description: "List (or run) as this agent's runs would: its MCP servers, network policy and tool access patterns." });

export const ListToolsQuery = PaginationQuery.extend({
  source: z.enum(["builtin", "mcp", "skill", "custom"]).optional(),
  agent_id: AgentQuery,
});
export const AgentOnlyQuery = z.object({ agent_id: AgentQuery });

export const ToolParams = HarnessIdParam.extend({
  toolId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "toolId", in: "path" }, description: "The tool's id or name (as tools.list shows it)." }),
});

export const ToolHandler = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("webhook"),
      url: z.string().min(1).max(2048),
      secret: z.string().max(256).optional().openapi({ description: "Signing secret (at least 16 characters); generated when absent." }),
    }),
    z.strictObject({
      type: z.literal("command"),
      command: z.string().min(1).max(1024),
      args: z.array(z.string().max(1024)).max(100).optional(),
    }),
  ])
  .openapi("ToolHandler", {
    description: "`webhook`: each call is a signed POST (30 s). `command` is refused with 422: Workers start no processes.",
  });

export const RegisterToolBody = z
  .strictObject({
    name: z.string().min(1).max(100),
    description: z.string().min(1).max(1000),
    input_schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema (2020-12) of the input object." }),
    handler: ToolHandler,
  })
  .openapi("RegisterToolRequest");

export const InvokeToolBody = z
  .strictObject({
    input: z.record(z.string(), z.unknown()),
    agent_id: z.string().min(1).max(100).optional().openapi({ description: "Run as this agent's runs would." }),
  })
  .openapi("InvokeToolRequest");

export const InvokeToolResponse = z
  .object({
    success: z.boolean(),
    output: z.record(z.string(), z.unknown()),
    duration_ms: z.number().int(),
    error: z.string().optional(),
    code: z
      .string()
      .optional()
      .openapi({ description: "Stable code of a failure (`network_blocked`, `mcp_tool_error`, `webhook_timeout`, …)." }),
  })
  .openapi("InvokeToolResult");

/** A registered custom tool as listed. */
export function customToolView(row: CustomToolRow): ToolView & { handler: { type: "webhook"; url: string } } {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source: "custom",
    source_id: row.id,
    input_schema: row.inputSchema,
    handler: { type: "webhook", url: row.url },
  };
}
