import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness } from "../harnesses/find.ts";
import { findSkill, skillVersionsOf, type SkillVersionRow, type SkillWithVersion } from "./find.ts";

/**
 * skills.listVersions — `GET /v1/harnesses/{harnessId}/skills/{skillId}/versions`. Every upload of the
 * skill, oldest first, each immutable: label, content hash, size, time, uploader; and which is current.
 * @throws ApiError `skill_not_found`, `harness_not_found`, `capability_not_supported`.
 */
export async function listSkillVersions({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; skillId: string }>): Promise<SkillWithVersion & { versions: SkillVersionRow[] }> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "skills", "version", "skills.listVersions");
  const found = await findSkill({ ctx, input: { harness, skillId: input.skillId } });
  return { ...found, versions: await skillVersionsOf(ctx, found.skill.id) };
}
