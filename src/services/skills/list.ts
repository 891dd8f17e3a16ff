import { and, asc, count, eq, isNull, type SQL } from "drizzle-orm";
import { skills, skillVersions } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import type { SkillCategory } from "./common.ts";
import type { SkillWithVersion } from "./find.ts";

/** Input of {@link listSkills}: pagination and filters. `owner`: `harness` (registered) or an agent id. */
export interface ListSkillsInput {
  ref: string;
  limit: number;
  offset: number;
  category?: SkillCategory;
  agent_id?: string;
}

/**
 * skills.list — `GET /v1/harnesses/{harnessId}/skills`: the harness's skills (registered ones and the
 * ones agents brought with their packages), oldest first; `category` and `agent_id` filter (`agent_id=none`:
 * only the harness's own).
 * @throws ApiError `harness_not_found`.
 */
export async function listSkills({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListSkillsInput>): Promise<{ harness: HarnessRow; page: Page<SkillWithVersion> }> {
  const harness = await findHarness({ ctx, input });
  const filters: SQL[] = [eq(skills.orgId, ctx.principal.orgId), eq(skills.harnessId, harness.id)];
  if (input.category) filters.push(eq(skills.category, input.category));
  if (input.agent_id === "none") filters.push(isNull(skills.agentId));
  else if (input.agent_id) filters.push(eq(skills.agentId, input.agent_id));
  const where = and(...filters);
  // Not a batch: D1 batch results come back as objects, which a join's same-named columns would collapse.
  const [rows, totals] = await Promise.all([
    ctx.db
      .select({ skill: skills, current: skillVersions })
      .from(skills)
      .innerJoin(skillVersions, eq(skillVersions.id, skills.currentVersionId))
      .where(where)
      .orderBy(asc(skills.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: count() }).from(skills).where(where),
  ]);
  return { harness, page: { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset } };
}

/** skills.get — `GET /v1/harnesses/{harnessId}/skills/{skillId}` (by typed id, or a harness skill's name). */
export { findSkill as getSkill } from "./find.ts";
