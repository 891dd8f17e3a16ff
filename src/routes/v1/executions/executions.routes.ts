import { createRoute, z } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
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

const tags = ["Execution"];
const read = requireScope(SCOPES.executionsRead);
const write = requireScope(SCOPES.executionsWrite);
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

export const run = createRoute({
  operationId: "execution.run",
  method: "post",
  path: "/harnesses/{harnessId}/execute",
  tags,
  summary: "Start an execution",
  description: "Returns 202 at once with `stream_url`, `Location` and `X-Execution-ID`; the run continues in its own Durable Object.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: HarnessIdParam, body: executeBody },
  responses: { 202: jsonContent(ExecuteAccepted, "Accepted"), ...startErrors },
});

export const stream = createRoute({
  operationId: "execution.stream",
  method: "post",
  path: "/harnesses/{harnessId}/execute/stream",
  tags,
  summary: "Start an execution and stream its events",
  description:
    "SSE of ExecutionEvent; ends with `done` or `error`. The response carries `X-Execution-ID`: reconnect with execution.attachStream and `Last-Event-ID`. Sending `X-Execution-ID` attaches to that execution instead of starting one.",
  security: BEARER_SECURITY,
  middleware: write,
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

export const list = createRoute({
  operationId: "execution.list",
  method: "get",
  path: "/harnesses/{harnessId}/executions",
  tags,
  summary: "List executions",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: HarnessIdParam, query: ListExecutionsQuery },
  responses: {
    200: jsonContent(ExecutionPage, "A page of executions, newest first"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found"),
  },
});

export const get = createRoute({
  operationId: "execution.get",
  method: "get",
  path: "/harnesses/{harnessId}/executions/{executionId}",
  tags,
  summary: "Get an execution",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ExecutionEnvelope, "The execution"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found"),
  },
});

export const attachStream = createRoute({
  operationId: "execution.attachStream",
  method: "get",
  path: "/harnesses/{harnessId}/executions/{executionId}/stream",
  tags,
  summary: "Attach to an execution's event stream",
  description: "Replays events after `Last-Event-ID`, then follows live. Retained 1 hour after completion, then 410.",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: ExecutionParams, headers: lastEventIdHeader },
  responses: {
    200: sse("The event stream"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "stream_expired"),
  },
});

export const cancel = createRoute({
  operationId: "execution.cancel",
  method: "post",
  path: "/harnesses/{harnessId}/executions/{executionId}/cancel",
  tags,
  summary: "Cancel an execution",
  description: "Best effort: a tool call in flight may still finish. 409 when the execution already finished.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(CancelResponse, "Cancellation requested"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "execution_finished"),
  },
});

export const result = createRoute({
  operationId: "execution.result",
  method: "get",
  path: "/harnesses/{harnessId}/executions/{executionId}/result",
  tags,
  summary: "Get an execution's result",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ResultEnvelope, "The result"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "execution_running"),
  },
});

export const listArtifacts = createRoute({
  operationId: "execution.listArtifacts",
  method: "get",
  path: "/harnesses/{harnessId}/executions/{executionId}/artifacts",
  tags,
  summary: "List an execution's artifacts",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ArtifactsResponse, "Artifacts"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found"),
  },
});

export const downloadArtifact = createRoute({
  operationId: "execution.downloadArtifact",
  method: "get",
  path: "/harnesses/{harnessId}/executions/{executionId}/artifacts/{artifactId}",
  tags,
  summary: "Download an artifact",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: ArtifactParams },
  responses: {
    200: {
      description: "The artifact's bytes with its MIME type and file name",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found", "artifact_not_found"),
  },
});

export const listToolCalls = createRoute({
  operationId: "execution.listToolCalls",
  method: "get",
  path: "/harnesses/{harnessId}/executions/{executionId}/tool-calls",
  tags,
  summary: "List an execution's tool calls",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: ExecutionParams },
  responses: {
    200: jsonContent(ToolCallsResponse, "Tool calls in call order"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "execution_not_found"),
  },
});

export const sendInput = createRoute({
  operationId: "execution.sendInput",
  method: "post",
  path: "/harnesses/{harnessId}/executions/{executionId}/input",
  tags,
  summary: "Answer an execution waiting for input",
  description: "Answers the pending `ask_user` question. 409 when the execution is not waiting; 410 when it has completed.",
  security: BEARER_SECURITY,
  middleware: write,
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
