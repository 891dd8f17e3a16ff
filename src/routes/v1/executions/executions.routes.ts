import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { LastEventIdHeader } from "../../../openapi/schemas.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  ArtifactParams,
  ArtifactsResponse,
  CancelResponse,
  ExecuteAccepted,
  ExecuteRequest,
  ExecutionEnvelope,
  ExecutionPage,
  ExecutionParams,
  ListExecutionsQuery,
  ResultEnvelope,
  SendInputRequest,
  SendInputResponse,
  ToolCallsResponse,
} from "./executions.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Execution"];
const executeBody = { required: true, content: { "application/json": { schema: ExecuteRequest } } };
const startErrors = problemResponses(
  ...AUTH_ERRORS,
  "invalid_json",
  "harness_not_found",
  "harness_archived",
  "agent_not_found",
  "session_not_found",
  "model_not_available",
  "context_length_exceeded",
  "capability_not_supported",
  "upstream_unavailable",
);
const sse = (description: string) => ({
  description,
  content: {
    "text/event-stream": {
      schema: z.string().openapi({ description: "ExecutionEvent frames: `id: <seq>`, `event: <type>`, `data: <JSON with type>`." }),
    },
  },
});
const lastEventIdHeader = LastEventIdHeader;

export const run = operationRoute("execution.run", {
  tags,
  summary: "Start an execution",
  description: "Returns 202 at once with `stream_url`, `Location` and `X-Execution-ID`; the run continues in its own Durable Object.",
  request: { params: HarnessIdParam, body: executeBody },
  responses: { 202: jsonContent(ExecuteAccepted, "Accepted"), ...startErrors },
});

export const stream = operationRoute("execution.stream", {
  tags,
  summary: "Start an execution and stream its events",
  description:
    "SSE of ExecutionEvent; ends with `done` or `error`. The response carries `X-Execution-ID`: reconnect with execution.attachStream and `Last-Event-ID`. Sending `X-Execution-ID` attaches to that execution instead of starting one.",
  request: {
    params: HarnessIdParam,
    body: executeBody,
    headers: lastEventIdHeader.extend({
      "x-execution-id": z
        .string()
        .optional()
        .openapi({
          param: { name: "x-execution-id", in: "header" },
          description: "Attach to this execution instead of starting a new one.",
        }),
    }),
  },
  responses: { 200: sse("The event stream"), ...startErrors, ...problemResponses("execution_not_found", "stream_expired") },
});

export const list = operationRoute("execution.list", {
  tags,
  summary: "List executions",
  request: { params: HarnessIdParam, query: ListExecutionsQuery },
  responses: {
    200: jsonContent(ExecutionPage, "A page of executions, newest first"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found"),
  },
});

export const get = operationRoute("execution.get", {
  tags,
  summary: "Get an execution",
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ExecutionEnvelope, "The execution"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found"),
  },
});

export const attachStream = operationRoute("execution.attachStream", {
  tags,
  summary: "Attach to an execution's event stream",
  description: "Replays events after `Last-Event-ID`, then follows live. Retained 1 hour after completion, then 410.",
  request: { params: ExecutionParams, headers: lastEventIdHeader },
  responses: {
    200: sse("The event stream"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "stream_expired"),
  },
});

export const cancel = operationRoute("execution.cancel", {
  tags,
  summary: "Cancel an execution",
  description: "Best effort: a tool call in flight may still finish. 409 when the execution already finished.",
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(CancelResponse, "Cancellation requested"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "execution_finished"),
  },
});

export const result = operationRoute("execution.result", {
  tags,
  summary: "Get an execution's result",
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ResultEnvelope, "The result"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "execution_running"),
  },
});

export const listArtifacts = operationRoute("execution.listArtifacts", {
  tags,
  summary: "List an execution's artifacts",
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ArtifactsResponse, "Artifacts"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found"),
  },
});

export const downloadArtifact = operationRoute("execution.downloadArtifact", {
  tags,
  summary: "Download an artifact",
  request: { params: ArtifactParams },
  responses: {
    200: {
      description: "The artifact's bytes with its MIME type and file name",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "artifact_not_found"),
  },
});

export const listToolCalls = operationRoute("execution.listToolCalls", {
  tags,
  summary: "List an execution's tool calls",
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ToolCallsResponse, "Tool calls in call order"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found"),
  },
});

export const sendInput = operationRoute("execution.sendInput", {
  tags,
  summary: "Answer an execution waiting for input",
  description: "Answers the pending `ask_user` question. 409 when the execution is not waiting; 410 when it has completed.",
  request: { params: ExecutionParams, body: { required: true, content: { "application/json": { schema: SendInputRequest } } } },
  responses: {
    200: jsonContent(SendInputResponse, "Accepted"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "invalid_json",
      "harness_not_found",
      "execution_not_found",
      "execution_not_waiting",
      "execution_ended",
    ),
  },
});
