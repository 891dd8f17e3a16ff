import { and, count, eq, isNull } from "drizzle-orm";
import { skills, skillVersions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertSkillsWritable, invalidSkill, isUniqueViolation, MAX_SKILLS_PER_HARNESS, type SkillCategory } from "./common.ts";
import type { SkillWithVersion } from "./find.ts";
import { notifySkill } from "./events.ts";
import { readSkillBundle, type SkillIssue } from "./skill-bundle.ts";
import { bundleBytes, DEFAULT_SKILL_VERSION, putSkillBlob, skillValues, storedRoot, undoBlobs, versionValues } from "./store.ts";
import { readUpload, SkillUploadError, uploadProblem, type SkillUpload } from "./upload.ts";

/** Input of {@link registerSkill}: the upload and the `metadata` of skills.register. */
export interface RegisterSkillInput {
  ref: string;
  upload: SkillUpload;
  display_title?: string;
  category?: SkillCategory;
  /** The reference client's free-form `config`, kept with the skill. */
  config?: Record<string, unknown>;
}

/** A registered skill and the warnings its upload raised. */
export interface RegisteredSkill extends SkillWithVersion {
  harness: HarnessRow;
  warnings: SkillIssue[];
}

function skillExists(harness: HarnessRow, name: string, id: string): ApiError {
  return new ApiError("skill_exists", `Harness ${harness.slug} already has a skill named ${name}.`, {
    domain: "skills",
    operation: "skills.register",
    details: { name, skill_id: id },
    actions: [
      {
        rel: "upgrade",
        hint: "Upload it as a new version of the existing skill.",
        operation_id: "skills.upgrade",
        href: `/v1/harnesses/${harness.slug}/skills/${id}/upgrade`,
      },
    ],
  });
}

/**
 * skills.register — `POST /v1/harnesses/{harnessId}/skills`. Validates the skill with the Agent Skills
 * rules (nothing is stored when any is broken), stores its bundle in R2 under its content hash and
 * records the skill with its first version (`metadata.version` of SKILL.md, else 0.1.0), uploaded by the
 * caller. The name must be free among the harness's skills. Publishes `skill.installed`.
 * @throws ApiError `invalid_skill` (422, every error with file and line), `payload_too_large` (413: over
 *   10 MB or 500 files), `skill_exists` (409), `harness_read_only`, `harness_not_found`, `capability_not_supported`.
 */
export async function registerSkill({ ctx, input }: VerbArgs<AuthedContext, RegisterSkillInput>): Promise<RegisteredSkill> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "skills", "register", "skills.register");
  assertSkillsWritable(harness, "given skills");
  let upload;
  try {
    upload = await readUpload(ctx, harness, input.upload);
  } catch (error) {
    if (error instanceof SkillUploadError) throw uploadProblem(error, "skills.register");
    throw error;
  }
  const bundle = readSkillBundle(upload.entries, { mode: "strict" });
  if (bundle.errors.length > 0) throw invalidSkill(bundle, "skills.register");

  const scope = and(eq(skills.orgId, ctx.principal.orgId), eq(skills.harnessId, harness.id));
  const [taken, total] = await ctx.db.batch([
    ctx.db
      .select({ id: skills.id })
      .from(skills)
      .where(and(scope, eq(skills.name, bundle.name), isNull(skills.agentId))),
    ctx.db.select({ n: count() }).from(skills).where(scope),
  ]);
  if (taken[0]) throw skillExists(harness, bundle.name, taken[0].id);
  if ((total[0]?.n ?? 0) >= MAX_SKILLS_PER_HARNESS) {
    throw new ApiError("validation_error", `Harness ${harness.slug} holds ${MAX_SKILLS_PER_HARNESS} skills, the most it may.`, {
      domain: "skills",
      operation: "skills.register",
      details: { limit: MAX_SKILLS_PER_HARNESS },
      actions: [{ rel: "uninstall", hint: "Uninstall skills you no longer use.", operation_id: "skills.uninstall" }],
    });
  }

  const skillId = newId("skill");
  const blob = await putSkillBlob(ctx, harness.id, skillId, bundleBytes(upload, bundle));
  const current = versionValues(ctx, {
    skillId,
    version: bundle.version ?? DEFAULT_SKILL_VERSION,
    blob,
    root: storedRoot(upload, bundle),
    bundle,
  });
  const skill = skillValues(ctx, {
    id: skillId,
    harnessId: harness.id,
    agentId: null,
    bundle,
    ...(input.display_title ? { displayTitle: input.display_title } : {}),
    category: input.category ?? "user",
    source: upload.source,
    config: input.config ?? null,
    currentVersionId: current.id,
  });
  try {
    await ctx.db.batch([ctx.db.insert(skills).values(skill), ctx.db.insert(skillVersions).values(current)]);
  } catch (error) {
    await undoBlobs(ctx, [blob]);
    if (isUniqueViolation(error)) throw skillExists(harness, bundle.name, "(registered concurrently)");
    throw error;
  }
  await notifySkill(ctx, harness, "skill.installed", skill.id);
  return { harness, skill, current, warnings: bundle.warnings };
}
