/**
 * The {@link SkillPort} of one run: which skills are enabled and their files, read from D1 (skills,
 * versions, agent links) and R2 (version bundles). Enabled = the execute request's skills, the agent's
 * (each at its pinned version, else the current one), and the harness's — the skills named by the
 * harness's `skills` capability ref (`config.skills`), or every harness skill when it names none.
 * Names are unique in a run: the first in that order wins (the others are logged). Read once per port
 * (per run start), so a run sees one version of each skill however long it takes; the next run sees a
 * rollback or upgrade.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { skills, skillVersions } from "../../db/schema.ts";
import type { ToolScope } from "../../runtime/tools/contract.ts";
import type { EnabledSkill, SkillPort } from "../../runtime/tools/ports.ts";
import { linkedSkills } from "../agents/skill-refs.ts";
import type { AuthedContext } from "../context.ts";
import { versionsOfSkills, type SkillRow, type SkillVersionRow } from "../skills/find.ts";
import { filesOfBundle } from "../skills/files.ts";

/** Bundles kept unzipped per port (a run reading several skills' files reads each bundle once). */
const MAX_CACHED_BUNDLES = 4;

interface Candidate {
  skill: SkillRow;
  version: SkillVersionRow;
}

/** The names the harness's `skills` capability ref enables: a list, every harness skill (null), or none (undefined). */
function harnessSelection(scope: ToolScope): string[] | null | undefined {
  const ref = scope.capabilityRefs.find((r) => r.ref === "skills");
  if (!ref) return undefined;
  const names = ref.config?.skills;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : null;
}

async function withCurrent(ctx: AuthedContext, where: ReturnType<typeof and>): Promise<Candidate[]> {
  const rows = await ctx.db
    .select({ skill: skills, version: skillVersions })
    .from(skills)
    .innerJoin(skillVersions, eq(skillVersions.id, skills.currentVersionId))
    .where(where)
    .all();
  return rows;
}

/** The agent's linked skills, each at its pinned version or the current one. */
async function agentCandidates(ctx: AuthedContext, agentId: string): Promise<Candidate[]> {
  const links = (await linkedSkills(ctx, [agentId])).get(agentId) ?? [];
  const pinned = links.filter((l) => l.pin !== null && l.pin !== l.current.version);
  const pins = pinned.length
    ? await versionsOfSkills(
        ctx,
        pinned.map((l) => l.skill.id),
      )
    : [];
  return links.map((l) => ({
    skill: l.skill,
    version: (l.pin !== null ? pins.find((v) => v.skillId === l.skill.id && v.version === l.pin) : undefined) ?? l.current,
  }));
}

async function enabledCandidates(ctx: AuthedContext, scope: ToolScope): Promise<Candidate[]> {
  const org = eq(skills.orgId, ctx.principal.orgId);
  const onHarness = and(org, eq(skills.harnessId, scope.harnessId));
  const requested = scope.skills?.length ? await withCurrent(ctx, and(onHarness, inArray(skills.id, scope.skills))) : [];
  const ordered = requested.sort((a, b) => scope.skills!.indexOf(a.skill.id) - scope.skills!.indexOf(b.skill.id));
  const agent = scope.agentId ? await agentCandidates(ctx, scope.agentId) : [];
  const selection = harnessSelection(scope);
  const harness =
    selection === undefined
      ? []
      : await withCurrent(
          ctx,
          and(
            onHarness,
            isNull(skills.agentId),
            ...(selection === null ? [] : [inArray(skills.name, selection.length ? selection : [""])]),
          ),
        );
  if (selection && selection.length > 0) {
    const missing = selection.filter((n) => !harness.some((c) => c.skill.name === n));
    if (missing.length > 0)
      ctx.log.warn("skills capability ref names skills the harness does not have", { harness_id: scope.harnessId, missing });
  }
  return [...ordered, ...agent, ...harness.sort((a, b) => (a.skill.name < b.skill.name ? -1 : 1))];
}

/** The skill port for `scope` (one per run). */
export function createSkillPort(ctx: AuthedContext, scope: ToolScope): SkillPort {
  let enabled: Promise<(EnabledSkill & { candidate: Candidate })[]> | undefined;
  const bundles = new Map<string, Promise<Map<string, Uint8Array>>>();
  const load = () => {
    enabled ??= enabledCandidates(ctx, scope).then((candidates) => {
      const out: (EnabledSkill & { candidate: Candidate })[] = [];
      for (const candidate of candidates) {
        const { skill, version } = candidate;
        if (out.some((s) => s.name === skill.name)) {
          if (!out.some((s) => s.id === skill.id))
            ctx.log.warn("two enabled skills share a name; the first is used", { name: skill.name, skill_id: skill.id });
          continue;
        }
        out.push({
          id: skill.id,
          name: skill.name,
          description: version.description,
          version: version.version,
          files: version.files,
          candidate,
        });
      }
      return out;
    });
    return enabled;
  };
  const filesOf = (version: SkillVersionRow) => {
    let files = bundles.get(version.id);
    if (!files) {
      if (bundles.size >= MAX_CACHED_BUNDLES) bundles.delete(bundles.keys().next().value!);
      files = ctx.env.BUCKET.get(version.blobKey).then(async (object) =>
        object ? filesOfBundle(new Uint8Array(await object.arrayBuffer()), version.root) : new Map<string, Uint8Array>(),
      );
      bundles.set(version.id, files);
    }
    return files;
  };
  return {
    enabled: async () => (await load()).map(({ candidate: _c, ...skill }) => skill),
    async read(name, path) {
      const skill = (await load()).find((s) => s.name === name);
      if (!skill) return null;
      return (await filesOf(skill.candidate.version)).get(path) ?? null;
    },
  };
}
