import { and, eq, or } from "drizzle-orm";
import { customTools } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { writableHarness } from "../mcp/connect.ts";
import { findTool, harnessTools, toolView } from "./catalog.ts";
import { toolNotFound } from "./list.ts";

/**
 * tools.unregister — removes a custom tool of the harness. Built-in, MCP and skill tools, and custom
 * tools inherited from a parent harness, are refused with 409 `tool_not_custom` saying where they come from.
 * @throws ApiError `harness_not_found`, `harness_read_only`, `tool_not_found`, `tool_not_custom`
 */
export async function unregisterTool({ ctx, input }: VerbArgs<AuthedContext, { ref: string; toolId: string }>): Promise<void> {
  const harness = await writableHarness(ctx, input.ref);
  const deleted = await ctx.db
    .delete(customTools)
    .where(
      and(
        eq(customTools.orgId, ctx.principal.orgId),
        eq(customTools.harnessId, harness.id),
        or(eq(customTools.id, input.toolId), eq(customTools.name, input.toolId)),
      ),
    )
    .returning({ id: customTools.id });
  if (deleted.length > 0) return;
  const { resolved } = await harnessTools(ctx, harness.id);
  const tool = findTool(resolved.toolset.tools, input.toolId);
  if (!tool) throw toolNotFound(harness, input.toolId);
  const view = toolView(tool);
  const from =
    view.source === "custom"
      ? "a parent harness (unregister it there)"
      : view.source === "mcp"
        ? `MCP server ${view.source_id} (disconnect the server with mcp.disconnect)`
        : `the ${view.source_id ?? view.source} capability (remove the capability ref with harnesses.update)`;
  throw new ApiError(
    "tool_not_custom",
    `${tool.name} is a ${view.source} tool from ${from}; only the harness's own custom tools can be unregistered.`,
    {
      domain: "tools",
      operation: "tools.unregister",
      details: { tool_id: view.id, source: view.source, ...(view.source_id ? { source_id: view.source_id } : {}) },
      actions: [
        view.source === "mcp"
          ? { rel: "disconnect", operation_id: "mcp.disconnect", href: `/v1/harnesses/${harness.slug}/mcp-servers/${view.source_id}` }
          : { rel: "edit-harness", operation_id: "harnesses.update", href: `/v1/harnesses/${harness.slug}` },
      ],
    },
  );
}
