/**
 * Planning (capability ref `planning`): the Deep Agents `write_todos` tool. The model keeps its plan as a
 * todo list, replacing the whole list on every call (content + status pending / in_progress /
 * completed). The list is the run's plan (Open Harness domain 12): the tool reaches it through the
 * {@link PlanPort} the `ExecutionRun` hands in, so clients see it at `…/executions/{id}/plan`, on the plan
 * stream, and as `progress` events of the execution.
 */
import { z } from "zod";
import { ToolError, type ToolContext } from "../contract.ts";
import { defineTool } from "../define.ts";
import type { PlanPort } from "../ports.ts";

/** The capability ref that enables the planning tool. */
export const PLANNING_REF = "planning";
/** Most todos in one list (the plan's limit). */
export const MAX_TODOS = 100;
/** Longest todo, in characters. */
export const MAX_TODO_CHARS = 2_000;

function requirePlan(ctx: ToolContext): PlanPort {
  if (!ctx.plan) throw new ToolError("no_plan", "Plans belong to executions; this call has none.");
  return ctx.plan;
}

/**
 * write_todos — `{todos: [{content, status}]}` → `{todos: [{id, content, status, order}], completed,
 * total}`: replaces the run's plan with this list.
 * @throws ToolError `no_plan` outside an execution.
 */
export const writeTodosTool = defineTool({
  name: "write_todos",
  description:
    "Write your plan for this task as a todo list, replacing the previous list. Use it for work of three or more steps: list the steps, mark one in_progress before you start it and completed as soon as it is done (send the whole list every time). Skip it for simple requests.",
  inputSchema: z.object({
    todos: z
      .array(
        z.object({
          content: z.string().min(1).max(MAX_TODO_CHARS).describe("The step, as an imperative sentence."),
          status: z.enum(["pending", "in_progress", "completed"]).describe("pending, in_progress or completed."),
        }),
      )
      .max(MAX_TODOS)
      .describe("The whole list, in order."),
  }),
  async execute(input, ctx) {
    const todos = await requirePlan(ctx).writeTodos(input.todos);
    return { todos, completed: todos.filter((t) => t.status === "completed").length, total: todos.length };
  },
});
