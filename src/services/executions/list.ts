import { and, count, desc, eq, gte, type SQL } from "drizzle-orm";
import { executions } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import type { ExecutionRow } from "./find.ts";

/** Input of {@link listExecutions}: pagination plus the spec's filters. `since` filters on start time. */
export interface ListExecutionsInput {
  ref: string;
  limit: number;
  offset: number;
  status?: string;
  agent_id?: string;
  since?: string;
  /** Only the runs this execution delegated. */
  parent_execution_id?: string;
  /** Only the tasks of this subagent. */
  subagent_id?: string;
}

/** execution.list — the harness's executions, newest first. */
export async function listExecutions({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListExecutionsInput>): Promise<{ harnessSlug: string; page: Page<ExecutionRow> }> {
  const harness = await findHarness({ ctx, input });
  const filters: SQL[] = [eq(executions.orgId, ctx.principal.orgId), eq(executions.harnessId, harness.id)];
  if (input.status) filters.push(eq(executions.status, input.status));
  if (input.agent_id) filters.push(eq(executions.agentId, input.agent_id));
  if (input.since) filters.push(gte(executions.startedAt, new Date(input.since).toISOString()));
  if (input.parent_execution_id) filters.push(eq(executions.parentExecutionId, input.parent_execution_id));
  if (input.subagent_id) filters.push(eq(executions.subagentId, input.subagent_id));
  const where = and(...filters);
  const [rows, totals] = await ctx.db.batch([
    ctx.db
      .select()
      .from(executions)
      .where(where)
      .orderBy(desc(executions.startedAt), desc(executions.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db.select({ n: count() }).from(executions).where(where),
  ]);
  return { harnessSlug: harness.slug, page: { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset } };
}
