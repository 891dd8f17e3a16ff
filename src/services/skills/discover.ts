import { and, eq, isNotNull } from "drizzle-orm";
import { parseDocument } from "yaml";
import { agents, skills } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { readText, splitFrontMatter } from "../../lib/front-matter.ts";
import { unzipSafely, ZipLimitError } from "../../lib/zip.ts";
import { normalizeWorkspacePath } from "../../runtime/tools/workspace-paths.ts";
import { workspaceStore } from "../workspace/store.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { workspacePrefix } from "../storage/keys.ts";
import { SKILL_NAME } from "./skill-bundle.ts";

/** Most workspace keys examined by one discover call. */
export const MAX_DISCOVER_SCAN_KEYS = 10_000;
/** Most agent packages opened by one discover call. */
export const MAX_DISCOVER_BUNDLES = 20;
/** Most search paths in one request. */
export const MAX_SEARCH_PATHS = 20;
/** Largest SKILL.md read to name a discovered skill, bytes. */
const MAX_SKILL_MD_PEEK_BYTES = 256 * 1024;

/** Open Harness `DiscoveredSkill` (§2.6) plus where it was found and, when registered, which skill it is. */
export interface DiscoveredSkill {
  name: string;
  /** `/workspace/<folder>` or `/agents/<agentId>/<folder inside the agent's package>`. */
  path: string;
  category: "user" | "plugin";
  already_registered: boolean;
  description: string;
  found_in: "workspace" | "agent_package";
  agent_id?: string;
  skill_id?: string;
}

/** What discover found, and whether a limit cut the scan short. */
export interface DiscoverResult {
  discovered: DiscoveredSkill[];
  truncated: boolean;
}

/** A search path: the workspace folder it names, or the agents whose packages it names. */
type Target = { kind: "workspace"; folder: string } | { kind: "agents"; agentId?: string };

/** Parses `search_paths` (default: the whole workspace and every agent package). @throws ApiError `validation_error` */
function targets(paths: string[] | undefined): Target[] {
  if (!paths || paths.length === 0) return [{ kind: "workspace", folder: "" }, { kind: "agents" }];
  return paths.map((raw, i) => {
    const agentsPath = /^\/agents(?:\/([^/]+))?\/?$/.exec(raw.trim());
    if (agentsPath) return agentsPath[1] ? { kind: "agents", agentId: agentsPath[1] } : { kind: "agents" };
    try {
      return { kind: "workspace", folder: normalizeWorkspacePath(raw) };
    } catch (error) {
      throw new ApiError("validation_error", `body.search_paths[${i}]: ${error instanceof Error ? error.message : String(error)}`, {
        details: { field: `body.search_paths[${i}]` },
        actions: [{ rel: "fix-input", hint: "Use workspace folders (/workspace/skills, skills) or /agents, /agents/<agent id>." }],
      });
    }
  });
}

/** Name and description from a SKILL.md's front matter, falling back to its folder's name. */
function describe(bytes: Uint8Array, folder: string): { name: string; description: string } {
  const split = splitFrontMatter(readText(bytes.subarray(0, MAX_SKILL_MD_PEEK_BYTES)));
  let name = folder;
  let description = "";
  if (split.yaml !== null) {
    try {
      const value: unknown = parseDocument(split.yaml).toJS();
      if (value && typeof value === "object" && !Array.isArray(value)) {
        const fm = value as Record<string, unknown>;
        if (typeof fm.name === "string" && SKILL_NAME.test(fm.name.trim())) name = fm.name.trim();
        if (typeof fm.description === "string") description = fm.description.trim();
      }
    } catch {
      // An unreadable front matter still names the folder; skills.validate says what is wrong.
    }
  }
  return { name, description };
}

/** Skill folders (holding SKILL.md) under a workspace folder, from the workspace's path index. */
async function scanWorkspace(
  ctx: AuthedContext,
  harness: HarnessRow,
  folder: string,
  budget: { keys: number },
): Promise<{ found: DiscoveredSkill[]; truncated: boolean }> {
  const store = workspaceStore(ctx.env, ctx.db, { orgId: ctx.principal.orgId, prefix: workspacePrefix(ctx.principal.orgId, harness.id) });
  const listed = await store.files(folder === "" ? "" : `${folder}/`, { limit: budget.keys });
  budget.keys -= listed.entries.length;
  const found: DiscoveredSkill[] = [];
  for (const file of listed.entries) {
    if (!(file.path === "SKILL.md" || file.path.endsWith("/SKILL.md"))) continue;
    const dir = file.path.slice(0, -"SKILL.md".length).replace(/\/$/, "");
    const read = await store.read(file.path, { offset: 0, length: MAX_SKILL_MD_PEEK_BYTES }).catch(() => null);
    if (!read) continue;
    const { name, description } = describe(new Uint8Array(await new Response(read.body).arrayBuffer()), dir.split("/").pop() ?? "");
    found.push({
      name,
      path: `/workspace${dir ? `/${dir}` : ""}`,
      category: "user",
      already_registered: false,
      description,
      found_in: "workspace",
    });
  }
  return { found, truncated: listed.truncated };
}

/** `skills/<dir>/SKILL.md` folders in the packages of the harness's agents (one read per stored package). */
async function scanPackages(
  ctx: AuthedContext,
  harness: HarnessRow,
  agentId: string | undefined,
): Promise<{ found: DiscoveredSkill[]; truncated: boolean }> {
  const rows = await ctx.db
    .select({ id: agents.id, slug: agents.slug, bundleKey: agents.bundleKey, bundlePath: agents.bundlePath })
    .from(agents)
    .where(and(eq(agents.orgId, ctx.principal.orgId), eq(agents.harnessId, harness.id), isNotNull(agents.bundleKey)))
    .all();
  const selected = agentId === undefined ? rows : rows.filter((r) => r.id === agentId || r.slug === agentId);
  const keys = [...new Set(selected.map((r) => r.bundleKey!))];
  const found: DiscoveredSkill[] = [];
  for (const key of keys.slice(0, MAX_DISCOVER_BUNDLES)) {
    const object = await ctx.env.BUCKET.get(key);
    if (!object) continue;
    let entries: Map<string, Uint8Array>;
    try {
      entries = unzipSafely(new Uint8Array(await object.arrayBuffer()));
    } catch (error) {
      if (error instanceof ZipLimitError) continue; // stored packages were read safely once; skip one that no longer is
      throw error;
    }
    for (const agent of selected.filter((r) => r.bundleKey === key)) {
      const skillsDir = agent.bundlePath === "" ? "skills/" : `${agent.bundlePath}/skills/`;
      for (const [path, bytes] of entries) {
        const match = path.startsWith(skillsDir) ? /^([^/]+)\/SKILL\.md$/.exec(path.slice(skillsDir.length)) : null;
        if (!match) continue;
        const { description } = describe(bytes, match[1]!);
        found.push({
          name: match[1]!,
          path: `/agents/${agent.id}/skills/${match[1]!}`,
          category: "plugin",
          already_registered: false,
          description,
          found_in: "agent_package",
          agent_id: agent.id,
        });
      }
    }
  }
  return { found, truncated: keys.length > MAX_DISCOVER_BUNDLES };
}

/**
 * skills.discover — `POST /v1/harnesses/{harnessId}/skills/discover` `{search_paths?}`. Finds skill
 * folders (holding SKILL.md) in the harness workspace and in its agents' packages, and says which are
 * registered already: a workspace skill when the harness has a skill of that name, a package skill when
 * its agent has. Search paths: workspace folders (`/workspace/skills`, `skills`), `/agents` (every
 * agent's package) or `/agents/<agent id>`; default: the whole workspace and every package. Bounded by
 * {@link MAX_DISCOVER_SCAN_KEYS} workspace keys and {@link MAX_DISCOVER_BUNDLES} packages (`truncated`).
 * @throws ApiError `validation_error` (a bad search path), `harness_not_found`, `capability_not_supported`.
 */
export async function discoverSkills({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; search_paths?: string[] }>): Promise<DiscoverResult> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "skills", "discover", "skills.discover");
  const budget = { keys: MAX_DISCOVER_SCAN_KEYS };
  const found: DiscoveredSkill[] = [];
  let truncated = false;
  for (const target of targets(input.search_paths)) {
    const result =
      target.kind === "workspace"
        ? await scanWorkspace(ctx, harness, target.folder, budget)
        : await scanPackages(ctx, harness, target.agentId);
    found.push(...result.found);
    truncated ||= result.truncated;
  }
  const registered = await ctx.db
    .select({ id: skills.id, name: skills.name, agentId: skills.agentId })
    .from(skills)
    .where(and(eq(skills.orgId, ctx.principal.orgId), eq(skills.harnessId, harness.id)))
    .all();
  const unique = new Map<string, DiscoveredSkill>();
  for (const skill of found) {
    const match = registered.find(
      (r) => r.name === skill.name && (skill.agent_id === undefined ? r.agentId === null : r.agentId === skill.agent_id),
    );
    unique.set(skill.path, { ...skill, already_registered: match !== undefined, ...(match ? { skill_id: match.id } : {}) });
  }
  return { discovered: [...unique.values()], truncated };
}
