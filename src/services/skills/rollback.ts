import { and, eq } from "drizzle-orm";
import { skills } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertSkillsWritable } from "./common.ts";
import { findSkill, skillVersionsOf, type SkillVersionRow, type SkillWithVersion } from "./find.ts";

/** The 404 for a version label a skill does not have, listing the ones it has. */
export function versionNotFound(harness: HarnessRow, found: SkillWithVersion, version: string, labels: string[]): ApiError {
  return new ApiError("skill_version_not_found", `Skill ${found.skill.name} has no version ${version}; it has ${labels.join(", ")}.`, {
    domain: "skills",
    details: { skill_id: found.skill.id, version, versions: labels },
    actions: [
      {
        rel: "versions",
        hint: "List the skill's versions.",
        operation_id: "skills.listVersions",
        href: `/v1/harnesses/${harness.slug}/skills/${found.skill.id}/versions`,
      },
    ],
  });
}

/** The version of `found` labelled `version`. @throws ApiError `skill_version_not_found` */
export async function findVersion(
  ctx: AuthedContext,
  harness: HarnessRow,
  found: SkillWithVersion,
  version: string,
): Promise<SkillVersionRow> {
  if (found.current.version === version) return found.current;
  const history = await skillVersionsOf(ctx, found.skill.id);
  const hit = history.find((v) => v.version === version);
  if (!hit)
    throw versionNotFound(
      harness,
      found,
      version,
      history.map((v) => v.version),
    );
  return hit;
}

/**
 * skills.rollback — `POST /v1/harnesses/{harnessId}/skills/{skillId}/rollback`. Makes an earlier (or any
 * other) version current again. No bytes are copied: the skill points at the version's stored bundle,
 * and the version list is unchanged. Runs started afterwards see that version.
 * @throws ApiError `skill_not_found`, `skill_version_not_found` (404), `harness_read_only`, `harness_not_found`, `capability_not_supported`.
 */
export async function rollbackSkill({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; skillId: string; version: string }>): Promise<
  SkillWithVersion & { harness: HarnessRow; previousVersion: string }
> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "skills", "rollback", "skills.rollback");
  assertSkillsWritable(harness, "rolled back");
  const found = await findSkill({ ctx, input: { harness, skillId: input.skillId } });
  const target = await findVersion(ctx, harness, found, input.version);
  const changes = { currentVersionId: target.id, description: target.description, updatedAt: nowIso() };
  if (target.id !== found.current.id) {
    await ctx.db
      .update(skills)
      .set(changes)
      .where(and(eq(skills.id, found.skill.id), eq(skills.orgId, ctx.principal.orgId)));
  }
  return { harness, skill: { ...found.skill, ...changes }, current: target, previousVersion: found.current.version };
}
