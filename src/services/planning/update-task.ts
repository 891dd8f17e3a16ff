import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { PlanTask, PlanTaskPatch } from "../../../durable-objects/execution-run/plan.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution } from "../executions/find.ts";
import { planValue } from "./outcome.ts";

/**
 * planning.updateTask — changes one task's content and/or status.
 * @throws ApiError `plan_task_not_found` (404), `validation_error`, `harness_not_found`, `execution_not_found`.
 */
export async function updatePlanTask({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; taskId: string; patch: PlanTaskPatch }>): Promise<PlanTask> {
  const found = await findExecution({ ctx, input });
  return planValue(found, await executionRunStub(ctx.env, found.execution.id).updatePlanTask(input.taskId, input.patch));
}
