import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { findTool, harnessTools, toolView, type ToolView } from "./catalog.ts";

/** Input of {@link listTools}: Open Harness `tools.list` query, plus the agent whose run to list for. */
export interface ListToolsInput {
  ref: string;
  limit: number;
  offset: number;
  source?: "builtin" | "mcp" | "skill" | "custom";
  agent_id?: string;
}

/**
 * tools.list — every tool a run of the harness (as `agent_id`, if given) could use now: built-ins of its
 * capability refs, its MCP servers' tools (through the short catalog cache; a server that cannot be
 * listed is left out), its custom tools — named as the model sees them, the agent's access patterns
 * applied.
 * @throws ApiError `harness_not_found`, `agent_not_found`
 */
export async function listTools({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListToolsInput>): Promise<{ harness: HarnessRow; items: ToolView[]; total: number }> {
  const { harness, resolved } = await harnessTools(ctx, input.ref, input.agent_id);
  const all = resolved.toolset.tools.map(toolView).filter((t) => !input.source || t.source === input.source);
  return { harness, items: all.slice(input.offset, input.offset + input.limit), total: all.length };
}

/** The 404 for a tool the harness does not have. */
export function toolNotFound(harness: HarnessRow, toolId: string): ApiError {
  return new ApiError("tool_not_found", `Harness ${harness.slug} has no tool ${toolId}.`, {
    domain: "tools",
    details: { tool_id: toolId },
    actions: [{ rel: "list", operation_id: "tools.list", href: `/v1/harnesses/${harness.slug}/tools` }],
  });
}

/**
 * tools.get — one tool by id or name.
 * @throws ApiError `harness_not_found`, `agent_not_found`, `tool_not_found`
 */
export async function getTool({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; toolId: string; agent_id?: string }>): Promise<ToolView> {
  const { harness, resolved } = await harnessTools(ctx, input.ref, input.agent_id);
  const tool = findTool(resolved.toolset.tools, input.toolId);
  if (!tool) throw toolNotFound(harness, input.toolId);
  return toolView(tool);
}
