import { and, asc, count, eq } from "drizzle-orm";
import { agents } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import type { AgentRow } from "./find.ts";
import { withSkillRefs } from "./skill-refs.ts";

/** agents.list — the harness's agents, oldest first. */
export async function listAgents({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; limit: number; offset: number }>): Promise<{ harness: HarnessRow; page: Page<AgentRow> }> {
  const harness = await findHarness({ ctx, input });
  const where = and(eq(agents.orgId, ctx.principal.orgId), eq(agents.harnessId, harness.id));
  const [rows, totals] = await ctx.db.batch([
    ctx.db.select().from(agents).where(where).orderBy(asc(agents.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(agents).where(where),
  ]);
  return { harness, page: { items: await withSkillRefs(ctx, rows), total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset } };
}
