import { and, eq, inArray, isNull } from "drizzle-orm";
import { skills, skillVersions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { isId } from "../../lib/ids.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";

export type SkillRow = typeof skills.$inferSelect;
export type SkillVersionRow = typeof skillVersions.$inferSelect;

/** A skill with its version in force. */
export interface SkillWithVersion {
  skill: SkillRow;
  current: SkillVersionRow;
}

/** The 404 for a skill reference that does not resolve on the harness. */
export function skillNotFound(harness: Pick<HarnessRow, "slug">, ref: string): ApiError {
  return new ApiError("skill_not_found", `No skill ${ref} on harness ${harness.slug}.`, {
    domain: "skills",
    details: { skill_id: ref, harness_id: harness.slug },
    actions: [
      { rel: "list", hint: "List the harness's skills.", operation_id: "skills.list", href: `/v1/harnesses/${harness.slug}/skills` },
    ],
  });
}

/**
 * Resolves a `{skillId}` on `harness` in the caller's organization: the typed `skill_…` id (any skill,
 * an agent's own included), else the name of a harness skill.
 * @throws ApiError `skill_not_found` (also for another organization's skill).
 */
export async function findSkill({
  ctx,
  input,
}: VerbArgs<AuthedContext, { harness: HarnessRow; skillId: string }>): Promise<SkillWithVersion> {
  const { harness, skillId } = input;
  const scope = and(eq(skills.orgId, ctx.principal.orgId), eq(skills.harnessId, harness.id));
  const byRef = isId("skill", skillId) ? eq(skills.id, skillId) : and(eq(skills.name, skillId), isNull(skills.agentId));
  const row = await ctx.db
    .select({ skill: skills, current: skillVersions })
    .from(skills)
    .innerJoin(skillVersions, eq(skillVersions.id, skills.currentVersionId))
    .where(and(scope, byRef))
    .get();
  if (!row) throw skillNotFound(harness, skillId);
  return row;
}

/** Every version of a skill, oldest first. */
export async function skillVersionsOf(ctx: AuthedContext, skillId: string): Promise<SkillVersionRow[]> {
  return ctx.db
    .select()
    .from(skillVersions)
    .where(and(eq(skillVersions.orgId, ctx.principal.orgId), eq(skillVersions.skillId, skillId)))
    .orderBy(skillVersions.createdAt, skillVersions.id)
    .all();
}

/**
 * Every version of each of `skillIds` in the caller's organization (one query, no order; filter by
 * `skillId` to group them). An empty list reads nothing and gives `[]`.
 */
export async function versionsOfSkills(ctx: AuthedContext, skillIds: string[]): Promise<SkillVersionRow[]> {
  if (skillIds.length === 0) return [];
  return ctx.db
    .select()
    .from(skillVersions)
    .where(and(eq(skillVersions.orgId, ctx.principal.orgId), inArray(skillVersions.skillId, skillIds)))
    .all();
}
