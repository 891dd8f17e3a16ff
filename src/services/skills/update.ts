import { and, eq } from "drizzle-orm";
import { skills } from "../../db/schema.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertSkillsWritable, type SkillCategory } from "./common.ts";
import { findSkill, type SkillWithVersion } from "./find.ts";

/**
 * skills.update — `PATCH /v1/harnesses/{harnessId}/skills/{skillId}`. Metadata only (`display_title`,
 * `category`); never a new version.
 * @throws ApiError `skill_not_found`, `harness_read_only`, `harness_not_found`.
 */
export async function updateSkill({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; skillId: string; display_title?: string; category?: SkillCategory }>): Promise<
  SkillWithVersion & { harness: HarnessRow }
> {
  const harness = await findHarness({ ctx, input });
  assertSkillsWritable(harness, "modified");
  const found = await findSkill({ ctx, input: { harness, skillId: input.skillId } });
  const changes = {
    ...(input.display_title !== undefined ? { displayTitle: input.display_title } : {}),
    ...(input.category !== undefined ? { category: input.category } : {}),
  };
  if (Object.keys(changes).length === 0) return { harness, ...found };
  const updated = { ...changes, updatedAt: nowIso() };
  await ctx.db
    .update(skills)
    .set(updated)
    .where(and(eq(skills.id, found.skill.id), eq(skills.orgId, ctx.principal.orgId)));
  return { harness, skill: { ...found.skill, ...updated }, current: found.current };
}
