/**
 * The catalog of capability refs a native harness can enable (Everruns `{ref, config}`), and the
 * tool source that contributes each enabled ref's built-in tools to a run. Refs whose tools come from
 * another source (memory, skills, …) are listed here too, with the source that serves them, so the
 * catalog is the one list of what `capability_refs` may name.
 */
import type { Tool, ToolSource, ToolSourceKind } from "../contract.ts";
import { askUserTool } from "../builtin/ask-user.ts";
import { currentTimeTool } from "../builtin/current-time.ts";
import { DELEGATE_TASK_REF, delegateTaskTool } from "../builtin/delegate-task.ts";
import { ORG_INSIGHT_TOOLS } from "../builtin/org-insights.ts";
import { WORKSPACE_TOOLS } from "../builtin/workspace.ts";
import { WEB_FETCH_REF, webFetchTool } from "../builtin/web-fetch.ts";
import { MEMORY_CATALOG_TOOLS, MEMORY_REF } from "./memory.ts";
import { PLANNING_REF, writeTodosTool } from "./plan.ts";
import { SUBAGENT_CATALOG_TOOLS, SUBAGENTS_REF } from "./subagents.ts";

/** One capability ref of the catalog. `tools` are the built-ins it contributes (other sources may add more). */
export interface CapabilityInfo {
  ref: string;
  description: string;
  tools: Tool[];
  /**
   * The source that serves this ref's tools when it is not this one (`memory`, `subagent`): `tools` are
   * then only listed here (catalog, documentation), and that source contributes them per run.
   */
  source?: ToolSourceKind;
}

/** Every ref this deployment can run, by id. */
export const CAPABILITY_CATALOG: Record<string, CapabilityInfo> = {
  current_time: { ref: "current_time", description: "Current date and time in any IANA time zone.", tools: [currentTimeTool] },
  ask_user: {
    ref: "ask_user",
    description: "Ask the person a question and wait for the answer (config: timeout_seconds, default 600).",
    tools: [askUserTool],
  },
  workspace_files: {
    ref: "workspace_files",
    description: "Read, write, edit, list, glob and grep files in the harness workspace (R2).",
    tools: WORKSPACE_TOOLS,
  },
  org_insights: {
    ref: "org_insights",
    description: "Answer questions about this organization: its harnesses, agents, recent executions and today's usage (read-only).",
    tools: ORG_INSIGHT_TOOLS,
  },
  skills: {
    ref: "skills",
    description:
      "Agent Skills of this harness for every run: the skill list (names and descriptions) in the system prompt, load_skill to read one, its files under /skills/<name>/. config: {skills: [names]} limits it to those; without, every skill registered on the harness. (An agent's own skills and the request's are enabled without this ref.)",
    tools: [],
  },
  [DELEGATE_TASK_REF]: {
    ref: DELEGATE_TASK_REF,
    description:
      "Hand a task to one of the organization's harnesses or agents (a specialist) and wait up to 60 seconds for its answer. Harnesses that delegate themselves cannot be targets.",
    tools: [delegateTaskTool],
  },
  [WEB_FETCH_REF]: {
    ref: WEB_FETCH_REF,
    description:
      "Fetch a URL (GET or HEAD) and read it: HTML as Markdown, text and JSON as text. Follows redirects; the harness's network_access and the private-address rule apply to every hop; 2 MiB and 15 s per fetch.",
    tools: [webFetchTool],
  },
  [MEMORY_REF]: {
    ref: MEMORY_REF,
    description:
      "The agent's memory (Letta-style): its memory blocks rendered into the system prompt before every step, tools to edit a block and to insert into and search its archive. Runs of an agent only.",
    tools: MEMORY_CATALOG_TOOLS,
    source: "memory",
  },
  [PLANNING_REF]: {
    ref: PLANNING_REF,
    description:
      "Plan with a todo list (write_todos): the run's plan, shown at …/executions/{id}/plan, streamed as it changes and reported as progress.",
    tools: [writeTodosTool],
  },
  [SUBAGENTS_REF]: {
    ref: SUBAGENTS_REF,
    description:
      "Delegate to the agent's subagents (the Deep Agents `task` tool): each task is a child execution with the subagent's instructions, model and tools, charged to the run (config: max_depth 1–3, default 1; wait_seconds 1–900, default 300).",
    tools: SUBAGENT_CATALOG_TOOLS,
    source: "subagent",
  },
};

/** Refs in `refs` that the catalog does not know (empty when all are known). */
export function unknownCapabilityRefs(refs: { ref: string }[]): string[] {
  return refs.map((r) => r.ref).filter((ref) => !Object.hasOwn(CAPABILITY_CATALOG, ref));
}

/** The `builtin` source: the tools of every enabled capability ref, each tagged with its ref. */
export const capabilityRefSource: ToolSource = {
  kind: "builtin",
  async tools(scope) {
    const byName = new Map<string, Tool>();
    for (const { ref } of scope.capabilityRefs) {
      const info = CAPABILITY_CATALOG[ref];
      if (!info || (info.source && info.source !== "builtin")) continue;
      for (const tool of info.tools) byName.set(tool.name, { ...tool, source: { kind: "builtin", id: ref } });
    }
    return [...byName.values()];
  },
};
