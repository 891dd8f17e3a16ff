/**
 * Resolving a run's tools from its sources: every source contributes its tools for the scope, the
 * agent's access patterns filter them, and names are made unique — the first source keeps a name,
 * later ones with the same name get a deterministic prefix from their source (`mcp_weather__search`).
 */
import picomatch from "picomatch";
import type { Tool, ToolScope, ToolSource } from "./contract.ts";

/** Longest tool name model providers accept. */
export const MAX_TOOL_NAME_CHARS = 64;

/** The tools of one run (or one `tools.list`), by unique name. */
export interface Toolset {
  tools: Tool[];
  get(name: string): Tool | undefined;
}

/** A toolset over `tools`, whose names are already unique. */
export function toolsetOf(tools: Tool[]): Toolset {
  const byName = new Map(tools.map((t) => [t.name, t]));
  return { tools, get: (name) => byName.get(name) };
}

function sanitize(part: string): string {
  return part.replace(/[^a-zA-Z0-9_-]+/g, "_");
}

/** `name`, prefixed by its source when taken, cut to {@link MAX_TOOL_NAME_CHARS}; numbered if still taken. */
function uniqueName(tool: Tool, taken: Set<string>): string {
  const base = sanitize(tool.name).slice(0, MAX_TOOL_NAME_CHARS);
  if (!taken.has(base)) return base;
  const prefixed = `${sanitize(tool.source.kind)}${tool.source.id ? `_${sanitize(tool.source.id)}` : ""}__${sanitize(tool.name)}`.slice(
    0,
    MAX_TOOL_NAME_CHARS,
  );
  if (!taken.has(prefixed)) return prefixed;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const numbered = `${prefixed.slice(0, MAX_TOOL_NAME_CHARS - suffix.length)}${suffix}`;
    if (!taken.has(numbered)) return numbered;
  }
}

/**
 * The name filter of `scope`'s access patterns: `allow`/`deny` of the agent (deny wins; an empty or
 * absent allow list allows everything not denied) and `only` (a subagent's subset: each tool must match
 * it too; empty allows none), applied to a tool's own name.
 */
export function toolAccessFilter(scope: Pick<ToolScope, "toolsAccess">): (name: string) => boolean {
  const allow = scope.toolsAccess?.allow?.length ? picomatch(scope.toolsAccess.allow, { nocase: true }) : () => true;
  const deny = scope.toolsAccess?.deny?.length ? picomatch(scope.toolsAccess.deny, { nocase: true }) : () => false;
  const onlyList = scope.toolsAccess?.only;
  const only = !onlyList ? () => true : onlyList.length === 0 ? () => false : picomatch(onlyList, { nocase: true });
  return (name) => allow(name) && !deny(name) && only(name);
}

/** Resolves `sources` (in order) for `scope`, keeping the tools {@link toolAccessFilter} lets through. */
export async function resolveToolset(sources: ToolSource[], scope: ToolScope): Promise<Toolset> {
  const contributed = await Promise.all(sources.map((s) => s.tools(scope)));
  const allowed = toolAccessFilter(scope);
  const taken = new Set<string>();
  const tools: Tool[] = [];
  for (const tool of contributed.flat()) {
    if (!allowed(tool.name)) continue;
    const name = uniqueName(tool, taken);
    taken.add(name);
    tools.push(name === tool.name ? tool : { ...tool, name });
  }
  return toolsetOf(tools);
}
