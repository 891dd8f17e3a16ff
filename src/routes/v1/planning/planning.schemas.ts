import { z } from "@hono/zod-openapi";
import { MAX_PLAN_TASK_CHARS, MAX_PLAN_TASKS, PLAN_TASK_ID_PATTERN } from "../../../../durable-objects/execution-run/plan.ts";
import { ExecutionParams } from "../executions/executions.schemas.ts";

export const PlanParams = ExecutionParams;
export const TaskParams = ExecutionParams.extend({
  taskId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "taskId", in: "path" } }),
});

export const PlanTaskStatus = z.enum(["pending", "in_progress", "completed"]).openapi("PlanTaskStatus");

export const PlanTaskSchema = z
  .object({
    id: z.string(),
    content: z.string(),
    status: PlanTaskStatus,
    order: z.number().int().openapi({ description: "1-based position in the plan." }),
  })
  .openapi("PlanTask");

export const PlanSchema = z.object({ execution_id: z.string(), tasks: z.array(PlanTaskSchema), updated_at: z.string() }).openapi("Plan");

export const PlanEnvelope = z.object({ plan: PlanSchema }).openapi("PlanResponse");
export const TasksEnvelope = z.object({ tasks: z.array(PlanTaskSchema) }).openapi("PlanTasksResponse");
export const TaskEnvelope = z.object({ task: PlanTaskSchema }).openapi("PlanTaskResponse");

const TaskId = z.string().regex(PLAN_TASK_ID_PATTERN, "1–64 letters, digits, _ . : or -");
const Content = z.string().min(1).max(MAX_PLAN_TASK_CHARS);

const TaskInput = z.strictObject({
  id: TaskId.optional().openapi({ description: "A task of the plan to keep (or a new task's own id); omit for a new task." }),
  content: Content,
  status: PlanTaskStatus.optional().openapi({ description: "Default: the task's current status, or pending." }),
  order: z.number().int().min(0).optional().openapi({ description: "Sort key; the list order when omitted." }),
});

export const UpdatePlanRequest = z
  .strictObject({
    tasks: z.array(TaskInput).max(MAX_PLAN_TASKS).optional().openapi({
      description: "Replaces the list (spec): known ids are kept and updated, new tasks added, missing ones removed; `[]` clears.",
    }),
    remove: z.array(TaskId).max(MAX_PLAN_TASKS).optional().openapi({ description: "Incremental form: ids to remove." }),
    order: z
      .array(TaskId)
      .max(MAX_PLAN_TASKS)
      .optional()
      .openapi({ description: "Incremental form: every remaining task id, in the new order." }),
    add: z
      .array(
        TaskInput.omit({ order: true }).extend({
          after: TaskId.optional().openapi({ description: "Insert after this task (default: at the end)." }),
        }),
      )
      .max(MAX_PLAN_TASKS)
      .optional()
      .openapi({ description: "Incremental form: tasks to add." }),
  })
  .refine((b) => b.tasks === undefined || (b.remove === undefined && b.order === undefined && b.add === undefined), {
    message: "send either tasks (the whole list) or remove/order/add (changes), not both",
    path: ["tasks"],
  })
  .openapi("UpdatePlanRequest");

export const UpdateTaskRequest = z
  .strictObject({ content: Content.optional(), status: PlanTaskStatus.optional() })
  .refine((b) => b.content !== undefined || b.status !== undefined, { message: "send content and/or status", path: ["status"] })
  .openapi("UpdatePlanTaskRequest");

export const ListTasksQuery = z.object({ status: PlanTaskStatus.optional() });
