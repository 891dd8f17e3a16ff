/**
 * The skills an agent package brings become registered, versioned skills owned by the agent and linked
 * to it (agents.import, agents.create). Re-importing the same package changes nothing; a changed skill
 * becomes a new version of the agent's skill (history kept); a skill gone from the package is removed
 * from the agent. Builds the D1 statements for the caller's one batch and writes the bundles to R2 first
 * (content-addressed, so an undo only deletes what it wrote).
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { agentSkills, skills, skillVersions } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext } from "../context.ts";
import { versionsOfSkills, type SkillRow, type SkillVersionRow } from "../skills/find.ts";
import { readSkillBundle } from "../skills/skill-bundle.ts";
import { DEFAULT_SKILL_VERSION, nextPatch, putSkillBlob, skillValues, versionValues, type StoredBlob } from "../skills/store.ts";
import { canonicalSkillZip } from "../skills/upload.ts";
import type { ParsedAgent, ParsedSkill } from "./oaf-package.ts";

/** What registering one agent's package skills takes: statements for the caller's batch, blobs written, skills to clean up after. */
export interface PackageSkillWrites {
  statements: BatchItem<"sqlite">[];
  blobs: StoredBlob[];
  /** Owned skills the package no longer has: removed by the statements; their R2 prefixes are the caller's to delete after commit. */
  removedSkillIds: string[];
  warnings: string[];
}

/** An owned skill as it stands, with every version. */
interface OwnedSkill {
  skill: SkillRow;
  versions: SkillVersionRow[];
}

/** The agent's own skills (those its package brought), with their versions. */
async function ownedSkills(ctx: AuthedContext, agentId: string): Promise<OwnedSkill[]> {
  const rows = await ctx.db
    .select()
    .from(skills)
    .where(and(eq(skills.orgId, ctx.principal.orgId), eq(skills.agentId, agentId), isNotNull(skills.agentId)))
    .all();
  if (rows.length === 0) return [];
  const versions = await versionsOfSkills(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((skill) => ({ skill, versions: versions.filter((v) => v.skillId === skill.id) }));
}

/** The files of one package skill folder, relative to it. */
function skillFiles(entries: Map<string, Uint8Array>, parsed: ParsedSkill): Map<string, Uint8Array> {
  return new Map(parsed.files.map((f) => [f, entries.get(`${parsed.path}/${f}`)!]));
}

/**
 * The writes that make the agent's skills those of `parsed`. `agentId` is the agent row's id (new or
 * kept by `merge_strategy: overwrite`); `harnessId` its harness.
 */
export async function packageSkillWrites(
  ctx: AuthedContext,
  input: { harnessId: string; agentId: string; parsed: ParsedAgent; entries: Map<string, Uint8Array>; isNew: boolean },
): Promise<PackageSkillWrites> {
  const { harnessId, agentId, parsed } = input;
  const owned = input.isNew ? [] : await ownedSkills(ctx, agentId);
  const out: PackageSkillWrites = { statements: [], blobs: [], removedSkillIds: [], warnings: [] };
  const links: (typeof agentSkills.$inferInsert)[] = [];
  for (const [position, parsedSkill] of parsed.skills.entries()) {
    const bundle = readSkillBundle(skillFiles(input.entries, parsedSkill), { mode: "package", folderName: parsedSkill.name });
    const wanted = parsedSkill.declaredVersion ?? parsedSkill.version ?? DEFAULT_SKILL_VERSION;
    const existing = owned.find((o) => o.skill.name === parsedSkill.name);
    const skillId = existing?.skill.id ?? newId("skill");
    const blob = await putSkillBlob(ctx, harnessId, skillId, canonicalSkillZip(parsedSkill.name, bundle.files));
    out.blobs.push(blob);
    if (!existing) {
      const version = versionValues(ctx, { skillId, version: wanted, blob, root: parsedSkill.name, bundle });
      const skill = skillValues(ctx, {
        id: skillId,
        harnessId,
        agentId,
        bundle: { ...bundle, name: parsedSkill.name },
        category: "plugin",
        source: { type: "package", path: parsedSkill.path },
        currentVersionId: version.id,
      });
      out.statements.push(ctx.db.insert(skills).values(skill), ctx.db.insert(skillVersions).values(version));
    } else {
      out.statements.push(...existingSkillWrites(ctx, { existing, blob, wanted, bundle, warnings: out.warnings, path: parsedSkill.path }));
    }
    links.push({ agentId, skillId, orgId: ctx.principal.orgId, position, required: parsedSkill.required ?? true, version: null });
  }
  const kept = new Set(parsed.skills.map((s) => s.name));
  out.removedSkillIds = owned.filter((o) => !kept.has(o.skill.name)).map((o) => o.skill.id);
  if (!input.isNew) out.statements.push(ctx.db.delete(agentSkills).where(eq(agentSkills.agentId, agentId)));
  if (out.removedSkillIds.length > 0) out.statements.push(ctx.db.delete(skills).where(inArray(skills.id, out.removedSkillIds)));
  if (links.length > 0) out.statements.push(ctx.db.insert(agentSkills).values(links));
  return out;
}

/** An owned skill met again: same bytes and label → nothing; a known version → it becomes current; else a new version. */
function existingSkillWrites(
  ctx: AuthedContext,
  input: {
    existing: OwnedSkill;
    blob: StoredBlob;
    wanted: string;
    bundle: ReturnType<typeof readSkillBundle>;
    warnings: string[];
    path: string;
  },
): BatchItem<"sqlite">[] {
  const { existing, blob, wanted, bundle } = input;
  const current = existing.versions.find((v) => v.id === existing.skill.currentVersionId);
  const same = existing.versions.find((v) => v.sha256 === blob.sha256 && v.version === wanted);
  if (same && current?.id === same.id) return [];
  const statements: BatchItem<"sqlite">[] = [];
  let target = same;
  if (!target) {
    const labels = existing.versions.map((v) => v.version);
    const label = labels.includes(wanted) ? nextPatch(labels) : wanted;
    if (label !== wanted) {
      input.warnings.push(`${input.path}: the skill changed but version ${wanted} is taken; stored as version ${label}`);
    }
    target = versionValues(ctx, { skillId: existing.skill.id, version: label, blob, root: existing.skill.name, bundle });
    statements.push(ctx.db.insert(skillVersions).values(target));
  }
  statements.push(
    ctx.db
      .update(skills)
      .set({ currentVersionId: target.id, description: bundle.description, vendor: bundle.author ?? "", updatedAt: nowIso() })
      .where(eq(skills.id, existing.skill.id)),
  );
  return statements;
}
