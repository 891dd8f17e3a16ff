import type { AppRouteHandler } from "../../../context.ts";
import { streamCursor } from "../../sse.ts";
import { getPlan } from "../../../services/planning/get-plan.ts";
import { listPlanTasks } from "../../../services/planning/list-tasks.ts";
import { openPlanStream } from "../../../services/planning/stream.ts";
import { updatePlan } from "../../../services/planning/update-plan.ts";
import { updatePlanTask } from "../../../services/planning/update-task.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./planning.routes.ts";

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  return c.json({ plan: await getPlan({ ctx: authed(c), input: { ref: harnessId, executionId } }) }, 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const body = c.req.valid("json");
  const change = body.tasks !== undefined ? { tasks: body.tasks } : { ...body };
  return c.json({ plan: await updatePlan({ ctx: authed(c), input: { ref: harnessId, executionId, change } }) }, 200);
};

export const listTasks: AppRouteHandler<typeof routes.listTasks> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const tasks = await listPlanTasks({ ctx: authed(c), input: { ref: harnessId, executionId, ...c.req.valid("query") } });
  return c.json({ tasks }, 200);
};

export const updateTask: AppRouteHandler<typeof routes.updateTask> = async (c) => {
  const { harnessId, executionId, taskId } = c.req.valid("param");
  const task = await updatePlanTask({ ctx: authed(c), input: { ref: harnessId, executionId, taskId, patch: c.req.valid("json") } });
  return c.json({ task }, 200);
};

export const stream: AppRouteHandler<typeof routes.stream> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const lastEventId = streamCursor(c);
  const response = await openPlanStream({ ctx: authed(c), input: { ref: harnessId, executionId, lastEventId } });
  const headers = new Headers(response.headers);
  headers.set("x-execution-id", executionId);
  headers.set("x-request-id", c.get("requestId"));
  return new Response(response.body, { status: 200, headers });
};
