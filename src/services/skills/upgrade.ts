import { and, eq } from "drizzle-orm";
import semver from "semver";
import { skills, skillVersions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertSkillsWritable, invalidSkill, isUniqueViolation } from "./common.ts";
import { findSkill, skillVersionsOf, type SkillWithVersion } from "./find.ts";
import { readSkillBundle, type SkillIssue } from "./skill-bundle.ts";
import { bundleBytes, MAX_SKILL_VERSIONS, nextPatch, putSkillBlob, storedRoot, undoBlobs, versionValues } from "./store.ts";
import { readUpload, SkillUploadError, uploadProblem, type SkillUpload } from "./upload.ts";

/** Input of {@link upgradeSkill}. */
export interface UpgradeSkillInput {
  ref: string;
  skillId: string;
  upload: SkillUpload;
  /** What changed, 1–1000 characters. */
  changelog?: string;
}

/** The upgraded skill, the version it replaced, and the upload's warnings. */
export interface UpgradedSkill extends SkillWithVersion {
  harness: HarnessRow;
  previousVersion: string;
  warnings: SkillIssue[];
}

function versionConflict(harness: HarnessRow, found: SkillWithVersion, detail: string, version: string): ApiError {
  return new ApiError("skill_version_conflict", detail, {
    domain: "skills",
    operation: "skills.upgrade",
    details: { skill_id: found.skill.id, version, current_version: found.current.version },
    actions: [
      {
        rel: "fix-input",
        hint: `Raise metadata.version in SKILL.md above ${found.current.version}, or omit it to get the next patch version.`,
      },
      {
        rel: "versions",
        operation_id: "skills.listVersions",
        href: `/v1/harnesses/${harness.slug}/skills/${found.skill.id}/versions`,
      },
    ],
  });
}

/**
 * The label of the new version: SKILL.md's `metadata.version`, which must be greater than the current
 * version and not used before; else the next patch version above every earlier one.
 * @throws ApiError `skill_version_conflict` (409).
 */
function newLabel(harness: HarnessRow, found: SkillWithVersion, labels: string[], requested: string | undefined): string {
  if (requested === undefined) return nextPatch(labels);
  if (labels.includes(requested)) {
    throw versionConflict(
      harness,
      found,
      `Skill ${found.skill.name} already has a version ${requested}; versions are immutable.`,
      requested,
    );
  }
  if (semver.valid(found.current.version) !== null && !semver.gt(requested, found.current.version)) {
    throw versionConflict(
      harness,
      found,
      `Version ${requested} is not greater than the current version ${found.current.version} of ${found.skill.name}.`,
      requested,
    );
  }
  return requested;
}

/**
 * skills.upgrade — `POST /v1/harnesses/{harnessId}/skills/{skillId}/upgrade`. A new immutable version
 * of the skill (same name), which becomes current; every earlier version is kept (skills.rollback).
 * @throws ApiError `invalid_skill` (422, with file and line; also a name other than the skill's),
 *   `payload_too_large` (413), `skill_version_conflict` (409: version not greater, already used, or over
 *   {@link MAX_SKILL_VERSIONS}), `skill_not_found`, `harness_read_only`, `harness_not_found`, `capability_not_supported`.
 */
export async function upgradeSkill({ ctx, input }: VerbArgs<AuthedContext, UpgradeSkillInput>): Promise<UpgradedSkill> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "skills", "version", "skills.upgrade");
  assertSkillsWritable(harness, "given new skill versions");
  const found = await findSkill({ ctx, input: { harness, skillId: input.skillId } });
  let upload;
  try {
    upload = await readUpload(ctx, harness, input.upload);
  } catch (error) {
    if (error instanceof SkillUploadError) throw uploadProblem(error, "skills.upgrade");
    throw error;
  }
  const bundle = readSkillBundle(upload.entries, { mode: "strict", expectedName: found.skill.name });
  if (bundle.errors.length > 0) throw invalidSkill(bundle, "skills.upgrade");
  const history = await skillVersionsOf(ctx, found.skill.id);
  if (history.length >= MAX_SKILL_VERSIONS) {
    throw versionConflict(harness, found, `Skill ${found.skill.name} has ${MAX_SKILL_VERSIONS} versions, the most it may keep.`, "");
  }
  const version = newLabel(
    harness,
    found,
    history.map((v) => v.version),
    bundle.version,
  );
  const blob = await putSkillBlob(ctx, harness.id, found.skill.id, bundleBytes(upload, bundle));
  const current = versionValues(ctx, {
    skillId: found.skill.id,
    version,
    blob,
    root: storedRoot(upload, bundle),
    bundle,
    changelog: input.changelog ?? null,
  });
  const updatedAt = nowIso();
  const changes = { currentVersionId: current.id, description: bundle.description, vendor: bundle.author ?? found.skill.vendor, updatedAt };
  try {
    await ctx.db.batch([
      ctx.db.insert(skillVersions).values(current),
      ctx.db
        .update(skills)
        .set(changes)
        .where(and(eq(skills.id, found.skill.id), eq(skills.orgId, ctx.principal.orgId))),
    ]);
  } catch (error) {
    await undoBlobs(ctx, [blob]);
    if (isUniqueViolation(error)) throw versionConflict(harness, found, `Version ${version} was uploaded concurrently.`, version);
    throw error;
  }
  return { harness, skill: { ...found.skill, ...changes }, current, previousVersion: found.current.version, warnings: bundle.warnings };
}
