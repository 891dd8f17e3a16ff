import { and, eq } from "drizzle-orm";
import { executions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";

export type ExecutionRow = typeof executions.$inferSelect;

/** An execution row together with the harness it ran on. */
export interface FoundExecution {
  harness: HarnessRow;
  execution: ExecutionRow;
}

/**
 * Resolves `{harnessId}` and `{executionId}` in the caller's organization.
 * @throws ApiError `harness_not_found`, `execution_not_found` (also for another organization's run).
 */
export async function findExecution({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string }>): Promise<FoundExecution> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  const execution = await ctx.db
    .select()
    .from(executions)
    .where(and(eq(executions.id, input.executionId), eq(executions.orgId, ctx.principal.orgId), eq(executions.harnessId, harness.id)))
    .get();
  if (!execution) {
    throw new ApiError("execution_not_found", `No execution ${input.executionId} on harness ${harness.slug}.`, {
      details: { execution_id: input.executionId },
      actions: [{ rel: "list", operation_id: "execution.list", href: `/v1/harnesses/${harness.slug}/executions` }],
    });
  }
  return { harness, execution };
}

/** True for `completed`, `failed` and `cancelled`. */
export function isFinished(status: string): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}
