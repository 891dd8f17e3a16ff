/**
 * The catalog of capability refs a native harness can enable, and the tools each ref contributes.
 * Harness refs pick the tools; an agent's `tools_access` (allow/deny name patterns) narrows them.
 */
import picomatch from "picomatch";
import { askUserTool } from "./ask-user.ts";
import { currentTimeTool } from "./current-time.ts";
import { DELEGATE_TASK_REF, delegateTaskTool } from "./delegate-task.ts";
import { ORG_INSIGHT_TOOLS } from "./org-insights.ts";
import type { BuiltinTool } from "./types.ts";
import { WORKSPACE_TOOLS } from "./workspace.ts";

/** One capability ref of the catalog (Everruns `{ref, config}` targets). */
export interface CapabilityInfo {
  ref: string;
  description: string;
  tools: BuiltinTool[];
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
  [DELEGATE_TASK_REF]: {
    ref: DELEGATE_TASK_REF,
    description:
      "Hand a task to one of the organization's harnesses or agents (a specialist) and wait up to 60 seconds for its answer. Harnesses that delegate themselves cannot be targets.",
    tools: [delegateTaskTool],
  },
};

/** Refs in `refs` that the catalog does not know (empty when all are known). */
export function unknownCapabilityRefs(refs: { ref: string }[]): string[] {
  return refs.map((r) => r.ref).filter((ref) => !Object.hasOwn(CAPABILITY_CATALOG, ref));
}

/**
 * The tools a run may use: the union of the refs' tools, filtered by the agent's access patterns
 * (`deny` wins over `allow`; an empty or absent `allow` allows everything not denied).
 */
export function toolsFor(refs: { ref: string }[], access?: { allow?: string[]; deny?: string[] }): BuiltinTool[] {
  const byName = new Map<string, BuiltinTool>();
  for (const { ref } of refs) for (const t of CAPABILITY_CATALOG[ref]?.tools ?? []) byName.set(t.name, t);
  const allow = access?.allow?.length ? picomatch(access.allow, { nocase: true }) : () => true;
  const deny = access?.deny?.length ? picomatch(access.deny, { nocase: true }) : () => false;
  return [...byName.values()].filter((t) => allow(t.name) && !deny(t.name));
}
