/**
 * The tools of a run (or of a `tools.list` / `tools.invoke` outside any run): every tool source of
 * this deployment resolved for one scope, and the hook points around their calls. The one place that
 * decides which sources exist — a new kind of tool plugs in here.
 */
import type { ToolContext, ToolScope, ToolSource } from "../../runtime/tools/contract.ts";
import type { ToolHooks } from "../../runtime/tools/invoke.ts";
import { capabilityRefSource } from "../../runtime/tools/sources/capability-refs.ts";
import { customToolSource } from "../../runtime/tools/sources/custom.ts";
import { mcpToolSource } from "../../runtime/tools/sources/mcp.ts";
import { memoryToolSource } from "../../runtime/tools/sources/memory.ts";
import { subagentToolSource } from "../../runtime/tools/sources/subagents.ts";
import { resolveToolset, type Toolset } from "../../runtime/tools/toolset.ts";
import type { AuthedContext } from "../context.ts";
import { harnessToolHooks } from "../hooks/tool-hooks.ts";
import { createCustomToolPort } from "./custom-port.ts";
import { createMcpPort } from "./mcp-port.ts";
import { createMemoryPort } from "./memory-port.ts";
import { createSubagentPort } from "./subagent-port.ts";
import { createWebPort } from "./web-port.ts";
import { skillToolSource } from "../../runtime/tools/sources/skills.ts";
import { createSkillPort } from "./skill-port.ts";

/** The tools and hooks a call site runs with. */
export interface ResolvedTools {
  toolset: Toolset;
  /** Hook points around every call: the harness's pre_tool (blocking) and post_tool hooks, read at each call. */
  hooks?: ToolHooks;
  /** The sources' system-prompt sections, read now (the loop calls it before every model step); "" when none. */
  prompt(): Promise<string>;
  /** Ports the tools of this scope act through, to spread into their `ToolContext` (`web` for web_fetch, `skills` for the /skills mount). */
  ports: Pick<ToolContext, "web" | "skills">;
}

/** The tool sources for `ctx`'s organization, in precedence order (earlier sources keep contested names). */
export function toolSources(ctx: AuthedContext): ToolSource[] {
  return [
    capabilityRefSource,
    memoryToolSource(createMemoryPort(ctx)),
    subagentToolSource(createSubagentPort(ctx)),
    mcpToolSource(createMcpPort(ctx)),
    customToolSource(createCustomToolPort(ctx)),
    skillToolSource((scope) => createSkillPort(ctx, scope)),
  ];
}

/** Resolves the toolset, hooks and prompt sections for `scope`. */
export async function resolveTools(ctx: AuthedContext, scope: ToolScope): Promise<ResolvedTools> {
  const sources = toolSources(ctx);
  return {
    toolset: await resolveToolset(sources, scope),
    hooks: harnessToolHooks(ctx, scope),
    prompt: async () => {
      const sections = await Promise.all(sources.map((s) => s.prompt?.(scope)));
      return sections.filter((section): section is string => !!section).join("\n\n");
    },
    ports: {
      web: createWebPort(ctx, {
        orgId: scope.orgId,
        harnessId: scope.harnessId,
        agentId: scope.agentId,
        ...(scope.sessionId !== undefined ? { sessionId: scope.sessionId } : {}),
        ...(scope.executionId ? { executionId: scope.executionId } : {}),
      }),
      skills: createSkillPort(ctx, scope),
    },
  };
}
