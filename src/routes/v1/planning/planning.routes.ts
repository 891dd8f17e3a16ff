import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { LastEventIdHeader } from "../../../openapi/schemas.ts";
import { operationRoute } from "../../operation-route.ts";
import {
  ListTasksQuery,
  PlanEnvelope,
  PlanParams,
  TaskEnvelope,
  TaskParams,
  TasksEnvelope,
  UpdatePlanRequest,
  UpdateTaskRequest,
} from "./planning.schemas.ts";

const tags = ["Planning"];
const base = [...AUTH_ERRORS, "harness_not_found", "execution_not_found"] as const;

export const get = operationRoute("planning.get", {
  tags,
  summary: "Get an execution's plan",
  description: "The execution's todo list, kept by its run (it survives eviction and resume); empty until written.",
  request: { params: PlanParams },
  responses: { 200: jsonContent(PlanEnvelope, "The plan"), ...problemResponses(...base) },
});

export const update = operationRoute("planning.update", {
  tags,
  summary: "Change an execution's plan",
  description:
    "`tasks` replaces the list (known ids kept and updated, new tasks added, missing ones removed, `[]` clears); or change it with `remove`, `order` (all remaining ids) and `add` (at the end or `after` a task). The diff is sent on the plan stream and, while the run goes on, as a `progress` event.",
  request: { params: PlanParams, body: { required: true, content: { "application/json": { schema: UpdatePlanRequest } } } },
  responses: { 200: jsonContent(PlanEnvelope, "The plan"), ...problemResponses(...base, "invalid_json", "plan_task_not_found") },
});

export const listTasks = operationRoute("planning.listTasks", {
  tags,
  summary: "List the plan's tasks",
  request: { params: PlanParams, query: ListTasksQuery },
  responses: { 200: jsonContent(TasksEnvelope, "Tasks in plan order"), ...problemResponses(...base) },
});

export const updateTask = operationRoute("planning.updateTask", {
  tags,
  summary: "Change one task",
  request: { params: TaskParams, body: { required: true, content: { "application/json": { schema: UpdateTaskRequest } } } },
  responses: { 200: jsonContent(TaskEnvelope, "The task"), ...problemResponses(...base, "invalid_json", "plan_task_not_found") },
});

export const stream = operationRoute("planning.stream", {
  tags,
  summary: "Follow the plan as it changes",
  description:
    "SSE of PlanEvent (`task.added`, `task.updated`, `task.removed`, `plan.reordered`; `type` inside the data and as the event name), replayed after `Last-Event-ID`, then live until the run finishes. Retained like the execution's stream (1 hour after completion, then 410).",
  request: { params: PlanParams, headers: LastEventIdHeader },
  responses: {
    200: {
      description: "The plan's events",
      content: {
        "text/event-stream": {
          schema: z.string().openapi({ description: "PlanEvent frames: `id: <seq>`, `event: <type>`, `data: <JSON with type>`." }),
        },
      },
    },
    ...problemResponses(...base, "stream_expired"),
  },
});
