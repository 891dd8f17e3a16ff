/**
 * harnessDefinitions.resolved — a harness's configuration as a run sees it, with the layer each value
 * came from (DESIGN.md "Resolution order"): the parent chain (nearest parent last in `chain`), system
 * prompts stacked parent first, capability refs merged by ref (the child's config wins), starter files
 * merged by path and MCP servers by name (the child wins), network access as the list of layers a URL
 * must pass (allowed lists intersect, blocked lists union: a layer only narrows), and the default model
 * along harness > parents > organization > deployment, checked for being callable. What the web
 * console's harness page shows; one verb, so the console never re-implements the merge.
 */
import type { CapabilityRef, InitialFile, NetworkAccess } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { resolveModelChain } from "../models/resolve.ts";
import { mergedCapabilityRefs, parentChain } from "./chain.ts";
import { findHarness, type HarnessRow } from "./find.ts";

/** A layer of the chain, named the way both harness views name it. */
export interface LayerRef {
  id: string;
  name: string;
  display_name: string;
}

/** A value and the harness layer it came from. */
export interface Sourced<T> {
  value: T;
  source: LayerRef;
}

/** The resolved view (`ResolvedHarnessDefinition` in the document). */
export interface ResolvedHarness {
  harness: LayerRef;
  /** Root first, the harness itself last. */
  chain: LayerRef[];
  system_prompt: { value: string; layers: Sourced<string>[] };
  capabilities: (CapabilityRef & { source: LayerRef; overrides: LayerRef[] })[];
  initial_files: { path: string; encoding: string; is_readonly: boolean; size_chars: number; source: LayerRef; overrides: LayerRef[] }[];
  /** Header values are not shown (they may hold credentials): their names only. */
  mcp_servers: {
    name: string;
    url: string;
    type: string;
    auth_mode: string;
    header_names: string[];
    source: LayerRef;
    overrides: LayerRef[];
  }[];
  network_access: { unrestricted: boolean; layers: { source: LayerRef; allowed: string[] | null; blocked: string[] }[] };
  default_model: {
    value: string;
    /** `harness`, `parent harness <name>`, `organization` or `deployment`. */
    source: string;
    source_harness: LayerRef | null;
    callable: boolean;
    /** Why the model cannot be called, and what to set (when `callable` is false). */
    problem: string | null;
  };
}

function layer(row: HarnessRow): LayerRef {
  return { id: row.id, name: row.slug, display_name: row.displayName };
}

/** Merges keyed entries along the chain (root first): the last layer to define a key wins; earlier ones are overridden. */
function mergeKeyed<T>(rows: HarnessRow[], entries: (row: HarnessRow) => [string, T][]) {
  const merged = new Map<string, { value: T; source: LayerRef; overrides: LayerRef[] }>();
  for (const row of rows) {
    for (const [key, value] of entries(row)) {
      const before = merged.get(key);
      merged.set(key, { value, source: layer(row), overrides: before ? [...before.overrides, before.source] : [] });
    }
  }
  return merged;
}

/**
 * The resolved configuration of harness `ref` in the caller's organization.
 * @throws ApiError `harness_not_found` (also for another organization's harness).
 */
export async function resolveHarness({ ctx, input }: VerbArgs<AuthedContext, { ref: string }>): Promise<ResolvedHarness> {
  const harness = await findHarness({ ctx, input: { ref: input.ref, includeDeleted: true } });
  const parents = await parentChain(ctx, harness);
  const rootFirst = [...parents].reverse().concat(harness);
  const byId = new Map(rootFirst.map((r) => [r.id, r]));

  const refs = mergedCapabilityRefs(harness, parents);
  const refSources = mergeKeyed(rootFirst, (row) => row.capabilityRefs.map((r): [string, CapabilityRef] => [r.ref, r]));
  const files = mergeKeyed(rootFirst, (row) => row.initialFiles.map((f): [string, InitialFile] => [f.path, f]));
  const servers = mergeKeyed(rootFirst, (row) => Object.entries(row.mcpServers));

  const model = await resolveModelChain(ctx, { orgId: ctx.principal.orgId, harness, parents });
  const fromHarness = model.ok
    ? model.source === "harness"
      ? harness
      : parents.find((p) => model.source === `parent harness ${p.slug}`)
    : rootFirst.findLast((r) => r.defaultModelId === model.modelId);

  const network = rootFirst
    .filter((row): row is HarnessRow & { networkAccess: NetworkAccess } => row.networkAccess !== null)
    .map((row) => ({ source: layer(row), allowed: row.networkAccess.allowed ?? null, blocked: row.networkAccess.blocked ?? [] }))
    .filter((l) => l.allowed !== null || l.blocked.length > 0);

  return {
    harness: layer(harness),
    chain: rootFirst.map(layer),
    system_prompt: {
      value: rootFirst
        .map((r) => r.systemPrompt)
        .filter((p) => p.trim() !== "")
        .join("\n\n"),
      layers: rootFirst.filter((r) => r.systemPrompt.trim() !== "").map((r) => ({ value: r.systemPrompt, source: layer(r) })),
    },
    capabilities: refs.map((ref) => {
      const sourced = refSources.get(ref.ref)!;
      return { ...ref, source: sourced.source, overrides: sourced.overrides };
    }),
    initial_files: [...files.values()].map(({ value, source, overrides }) => ({
      path: value.path,
      encoding: value.encoding ?? "text",
      is_readonly: value.is_readonly ?? false,
      size_chars: value.content.length,
      source,
      overrides,
    })),
    mcp_servers: [...servers.entries()].map(([name, { value, source, overrides }]) => ({
      name,
      url: value.url,
      type: value.type ?? "http",
      auth_mode: value.auth_mode ?? "none",
      header_names: Object.keys(value.headers ?? {}),
      source,
      overrides,
    })),
    network_access: { unrestricted: network.length === 0, layers: network },
    default_model: {
      value: model.modelId,
      source: model.ok
        ? model.source
        : fromHarness
          ? fromHarness.id === harness.id
            ? "harness"
            : `parent harness ${fromHarness.slug}`
          : "organization or deployment",
      source_harness: fromHarness && byId.has(fromHarness.id) ? layer(fromHarness) : null,
      callable: model.ok,
      problem: model.ok ? null : model.detail,
    },
  };
}
