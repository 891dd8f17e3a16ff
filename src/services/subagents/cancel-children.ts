import { and, eq, inArray } from "drizzle-orm";
import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { executions } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";

/**
 * Cancels the runs an execution delegated that are still pending or running (its subagents' tasks, its
 * `delegate_task` runs) — called by the `ExecutionRun` when it ends cancelled or failed, so no child
 * runs on for a parent that stopped. Each child does the same for its own children as it ends.
 * Returns the ids it asked to cancel. Failures are logged, never thrown (the parent has ended anyway).
 */
export async function cancelChildExecutions({ ctx, input }: VerbArgs<AuthedContext, { executionId: string }>): Promise<string[]> {
  const children = await ctx.db
    .select({ id: executions.id })
    .from(executions)
    .where(
      and(
        eq(executions.orgId, ctx.principal.orgId),
        eq(executions.parentExecutionId, input.executionId),
        inArray(executions.status, ["pending", "running"]),
      ),
    );
  await Promise.all(
    children.map(({ id }) =>
      executionRunStub(ctx.env, id)
        .cancel()
        .catch((error: unknown) => ctx.log.warn("cancelling a child run failed", { execution_id: id, error })),
    ),
  );
  return children.map((c) => c.id);
}
