/**
 * What a run of a harness could use, resolved without a run: the same sources and filters as the
 * `ExecutionRun` (`run-tools.ts`), for tools.list / tools.get / tools.invoke.
 */
import { listedSource, type Tool, type ToolScope } from "../../runtime/tools/contract.ts";
import { findAgent, type AgentRow } from "../agents/find.ts";
import type { AuthedContext } from "../context.ts";
import { mergedCapabilityRefs, parentChain } from "../harnesses/chain.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { resolveTools, type ResolvedTools } from "./run-tools.ts";

/** Open Harness `Tool` as tools.list shows it. */
export interface ToolView {
  /** The tool's name in a run (custom tools: their `tool_…` id). */
  id: string;
  name: string;
  description: string;
  source: "builtin" | "mcp" | "skill" | "custom";
  /** The capability ref (built-ins), MCP server id or custom tool id. */
  source_id?: string;
  input_schema: Record<string, unknown>;
}

/** The tool as listed. */
export function toolView(tool: Tool): ToolView {
  const source = listedSource(tool.source.kind);
  return {
    id: source === "custom" && tool.source.id ? tool.source.id : tool.name,
    name: tool.name,
    description: tool.description,
    source,
    ...(tool.source.id ? { source_id: tool.source.id } : {}),
    input_schema: tool.inputSchema,
  };
}

/** The harness, agent and resolved tools of a call outside a run. */
export interface HarnessTools {
  harness: HarnessRow;
  agent: AgentRow | undefined;
  scope: ToolScope;
  resolved: ResolvedTools;
}

/**
 * Resolves the tools a run of `ref` (as `agentId`, when given) could use right now.
 * @throws ApiError `harness_not_found`, `agent_not_found`
 */
export async function harnessTools(ctx: AuthedContext, ref: string, agentId?: string): Promise<HarnessTools> {
  const harness = await findHarness({ ctx, input: { ref } });
  const agent = agentId ? await findAgent({ ctx, input: { harness, agentId } }) : undefined;
  const parents = await parentChain(ctx, harness);
  const scope: ToolScope = {
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    agentId: agent?.id ?? null,
    capabilityRefs: harness.kind === "native" ? mergedCapabilityRefs(harness, parents) : [],
    ...(agent?.config.tools_access ? { toolsAccess: agent.config.tools_access } : {}),
  };
  return { harness, agent, scope, resolved: await resolveTools(ctx, scope) };
}

/** The tool `toolId` names (its id or its name) among `tools`, if any. */
export function findTool(tools: Tool[], toolId: string): Tool | undefined {
  return tools.find((t) => toolView(t).id === toolId) ?? tools.find((t) => t.name === toolId);
}
