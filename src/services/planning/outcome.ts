import type { PlanOutcome } from "../../../durable-objects/execution-run/plan.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { FoundExecution } from "../executions/find.ts";

/** The base path of an execution's plan, for problem links. */
export function planPath(found: FoundExecution): string {
  return `/v1/harnesses/${found.harness.slug}/executions/${found.execution.id}/plan`;
}

/**
 * The value of a plan change, or the problem it was refused with.
 * @throws ApiError `plan_task_not_found` (404), `validation_error` (400), `execution_not_found` (no run in the object).
 */
export function planValue<T>(found: FoundExecution, outcome: PlanOutcome<T> | null): T {
  if (!outcome) throw new ApiError("execution_not_found", `Execution ${found.execution.id} has no run to plan for.`);
  if (outcome.ok) return outcome.value;
  if (outcome.code === "plan_task_not_found") {
    throw new ApiError("plan_task_not_found", outcome.message, {
      domain: "planning",
      details: { task_id: outcome.taskId, ...(outcome.field ? { field: outcome.field } : {}) },
      actions: [{ rel: "list", hint: "List the plan's tasks.", operation_id: "planning.listTasks", href: `${planPath(found)}/tasks` }],
    });
  }
  throw new ApiError("validation_error", outcome.message, {
    domain: "planning",
    details: { field: outcome.field },
    actions: [{ rel: "fix-input", hint: outcome.message }],
  });
}
