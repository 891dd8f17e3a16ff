import type { PlanTask, PlanTaskStatus } from "../../../durable-objects/execution-run/plan.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { getPlan } from "./get-plan.ts";

/**
 * planning.listTasks — the plan's tasks in order, optionally only those with `status`.
 * @throws ApiError `harness_not_found`, `execution_not_found`.
 */
export async function listPlanTasks({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; status?: PlanTaskStatus }>): Promise<PlanTask[]> {
  const plan = await getPlan({ ctx, input });
  return input.status ? plan.tasks.filter((t) => t.status === input.status) : plan.tasks;
}
