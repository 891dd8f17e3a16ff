import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { LastEventIdHeader } from "../../../openapi/schemas.ts";
import { operationRoute } from "../../operation-route.ts";
import { ResultEnvelope } from "../executions/executions.schemas.ts";
import {
  DelegateRequest,
  DelegateResponse,
  DelegateStreamRequest,
  SpawnRequest,
  SubagentEnvelope,
  SubagentParams,
  SubagentsEnvelope,
  SubagentsParams,
} from "./subagents.schemas.ts";

const tags = ["Subagents"];
const base = [...AUTH_ERRORS, "harness_not_found", "agent_not_found", "capability_not_supported"] as const;
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const startErrors = [
  ...base,
  "invalid_json",
  "subagent_not_found",
  "subagent_busy",
  "harness_archived",
  "model_not_available",
  "context_length_exceeded",
  "upstream_unavailable",
] as const;
const sse = (description: string) => ({
  description,
  content: {
    "text/event-stream": {
      schema: z
        .string()
        .openapi({ description: "ExecutionEvent frames of the task's execution: `id: <seq>`, `event: <type>`, `data: <JSON with type>`." }),
    },
  },
});

export const list = operationRoute("subagents.list", {
  tags,
  summary: "List an agent's subagents",
  request: { params: SubagentsParams },
  responses: { 200: jsonContent(SubagentsEnvelope, "The subagents, oldest first"), ...problemResponses(...base) },
});

export const spawn = operationRoute("subagents.spawn", {
  tags,
  summary: "Create a subagent",
  description:
    "A child of the agent with its own instructions (`system_prompt`), `model` and tool subset (`tools` patterns). Names are unique per agent (409). Starts `idle`; at most 20 per agent.",
  request: { params: SubagentsParams, body: json(SpawnRequest) },
  responses: {
    201: jsonContent(SubagentEnvelope, "The new subagent"),
    ...problemResponses(...base, "invalid_json", "subagent_exists", "model_not_available"),
  },
});

export const get = operationRoute("subagents.get", {
  tags,
  summary: "Get a subagent",
  request: { params: SubagentParams },
  responses: { 200: jsonContent(SubagentEnvelope, "The subagent"), ...problemResponses(...base, "subagent_not_found") },
});

export const terminate = operationRoute("subagents.terminate", {
  tags,
  summary: "Terminate a subagent",
  description:
    "Cancels its running task (the execution ends `cancelled`; a parent run waiting on it gets a failed `task` result and carries on) and removes the subagent. Its tasks stay in /executions.",
  request: { params: SubagentParams },
  responses: { 204: { description: "Terminated" }, ...problemResponses(...base, "subagent_not_found") },
});

export const delegate = operationRoute("subagents.delegate", {
  tags,
  summary: "Hand a task to a subagent and wait",
  description:
    "The task runs as an execution (linked to the subagent; charged as one). Waits up to `wait_seconds` (default 30, at most 60): 200 with the answer once it finished, else 202 with `finished: false` — the task goes on; follow `stream_url` or poll `result_url`. One task at a time per subagent (409 `subagent_busy`).",
  request: { params: SubagentParams, body: json(DelegateRequest) },
  responses: {
    200: jsonContent(DelegateResponse, "The task finished"),
    202: jsonContent(DelegateResponse, "The task outlived the wait and goes on"),
    ...problemResponses(...startErrors),
  },
});

export const delegateStream = operationRoute("subagents.delegateStream", {
  tags,
  summary: "Hand a task to a subagent and stream it",
  description:
    "SSE of the task's ExecutionEvents, ending with `done` or `error`; `X-Execution-ID` names the execution. Reconnect with subagents.attachStream and `Last-Event-ID`.",
  request: { params: SubagentParams, body: json(DelegateStreamRequest) },
  responses: { 200: sse("The task's event stream"), ...problemResponses(...startErrors, "stream_expired") },
});

export const result = operationRoute("subagents.result", {
  tags,
  summary: "Get the result of a subagent's latest task",
  description: "409 `execution_running` while the task runs; 409 `subagent_idle` before its first task.",
  request: { params: SubagentParams },
  responses: {
    200: jsonContent(ResultEnvelope, "The result"),
    ...problemResponses(...base, "subagent_not_found", "subagent_idle", "execution_running", "execution_not_found"),
  },
});

export const attachStream = operationRoute("subagents.attachStream", {
  tags,
  summary: "Follow a subagent's latest task",
  description:
    "The task execution's event stream, replayed after `Last-Event-ID`, then live. 410 once its retention (1 hour after completion) passed.",
  request: { params: SubagentParams, headers: LastEventIdHeader },
  responses: {
    200: sse("The task's event stream"),
    ...problemResponses(...base, "subagent_not_found", "subagent_idle", "stream_expired", "execution_not_found"),
  },
});
