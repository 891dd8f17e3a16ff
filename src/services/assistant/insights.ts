/**
 * Organization-wide reads the assistant's tools answer from (the per-harness verbs of `/v1` need a
 * harness; the assistant is asked about all of them). Every query is filtered by the caller's organization.
 */
import { and, count, desc, asc, eq, type SQL } from "drizzle-orm";
import { agents, executions, harnesses } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { ExecutionRow } from "../executions/find.ts";
import { findHarness } from "../harnesses/find.ts";
import type { AgentRow } from "../agents/find.ts";

/** An agent with the slug of the harness it belongs to. */
export interface OrganizationAgent {
  agent: AgentRow;
  harnessSlug: string;
}

/**
 * The organization's agents, oldest first, optionally on one harness (`harness` = slug or typed id).
 * @throws ApiError `harness_not_found` for a harness outside the organization.
 */
export async function listOrganizationAgents({
  ctx,
  input,
}: VerbArgs<AuthedContext, { harness?: string; limit: number }>): Promise<{ items: OrganizationAgent[]; total: number }> {
  const filters: SQL[] = [eq(agents.orgId, ctx.principal.orgId), eq(harnesses.orgId, ctx.principal.orgId)];
  if (input.harness) filters.push(eq(agents.harnessId, (await findHarness({ ctx, input: { ref: input.harness } })).id));
  const where = and(...filters);
  const [rows, totals] = await ctx.db.batch([
    ctx.db
      .select({ agent: agents, harnessSlug: harnesses.slug })
      .from(agents)
      .innerJoin(harnesses, eq(harnesses.id, agents.harnessId))
      .where(where)
      .orderBy(asc(agents.id))
      .limit(input.limit),
    ctx.db.select({ n: count() }).from(agents).innerJoin(harnesses, eq(harnesses.id, agents.harnessId)).where(where),
  ]);
  return { items: rows, total: totals[0]?.n ?? 0 };
}

/** An execution with the slug of the harness it ran on (`null` once that harness was unregistered). */
export interface OrganizationExecution {
  execution: ExecutionRow;
  harnessSlug: string | null;
}

/**
 * The organization's most recent executions, newest first, optionally on one harness and with one status.
 * @throws ApiError `harness_not_found` for a harness outside the organization.
 */
export async function recentExecutions({
  ctx,
  input,
}: VerbArgs<AuthedContext, { harness?: string; status?: string; limit: number }>): Promise<{
  items: OrganizationExecution[];
  total: number;
}> {
  const filters: SQL[] = [eq(executions.orgId, ctx.principal.orgId)];
  if (input.harness) filters.push(eq(executions.harnessId, (await findHarness({ ctx, input: { ref: input.harness } })).id));
  if (input.status) filters.push(eq(executions.status, input.status));
  const where = and(...filters);
  const [rows, totals] = await ctx.db.batch([
    ctx.db
      .select({ execution: executions, harnessSlug: harnesses.slug })
      .from(executions)
      .leftJoin(harnesses, and(eq(harnesses.id, executions.harnessId), eq(harnesses.orgId, executions.orgId)))
      .where(where)
      .orderBy(desc(executions.startedAt), desc(executions.id))
      .limit(input.limit),
    ctx.db.select({ n: count() }).from(executions).where(where),
  ]);
  return { items: rows, total: totals[0]?.n ?? 0 };
}
