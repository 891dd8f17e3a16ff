import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { Plan, PlanChange } from "../../../durable-objects/execution-run/plan.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution } from "../executions/find.ts";
import { planValue } from "./outcome.ts";

/**
 * planning.update — replaces the task list (`tasks`: known ids are updated, new tasks added, missing ones
 * removed, list order = plan order) or changes it incrementally (`remove`, `order`, `add`). The diff goes
 * out on the plan stream (`task.removed`, `task.added`, `task.updated`, `plan.reordered`) and, while the
 * run goes on, as a `progress` event of the execution. Allowed after the run finished too.
 * @throws ApiError `validation_error` (400: duplicate ids, bad order, too many tasks), `plan_task_not_found`
 *   (404: `remove`/`add.after` names a task the plan lacks), `harness_not_found`, `execution_not_found`.
 */
export async function updatePlan({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; change: PlanChange }>): Promise<Plan> {
  const found = await findExecution({ ctx, input });
  return planValue(found, await executionRunStub(ctx.env, found.execution.id).updatePlan(input.change));
}
