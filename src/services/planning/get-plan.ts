import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { Plan } from "../../../durable-objects/execution-run/plan.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution } from "../executions/find.ts";

/**
 * planning.get — the execution's plan (its todo list), from the run that keeps it; empty until someone
 * (the model's planning tool, or planning.update) writes one.
 * @throws ApiError `harness_not_found`, `execution_not_found` (also for another organization's).
 */
export async function getPlan({ ctx, input }: VerbArgs<AuthedContext, { ref: string; executionId: string }>): Promise<Plan> {
  const found = await findExecution({ ctx, input });
  const plan = await executionRunStub(ctx.env, found.execution.id).plan();
  if (!plan) throw new ApiError("execution_not_found", `Execution ${found.execution.id} has no run to plan for.`);
  return plan;
}
