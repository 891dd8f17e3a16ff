import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  AgentOnlyQuery,
  InvokeToolBody,
  InvokeToolResponse,
  ListToolsQuery,
  RegisteredToolEnvelope,
  RegisterToolBody,
  ToolEnvelope,
  ToolPage,
  ToolParams,
} from "./tools.schemas.ts";

const tags = ["Tools"];
const invokeErrors = problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_archived", "agent_not_found", "tool_not_found");

export const list = operationRoute("tools.list", {
  tags,
  summary: "List the tools a run could use",
  description:
    "Built-ins of the harness's capability refs, its MCP servers' tools (named `mcp_<server>__<tool>`), and its custom tools — resolved as a run resolves them, without a run. `tools` repeats the page for the reference client.",
  request: { params: HarnessIdParam, query: ListToolsQuery },
  responses: { 200: jsonContent(ToolPage, "A page of tools"), ...problemResponses(...AUTH_ERRORS, "harness_not_found", "agent_not_found") },
});

export const get = operationRoute("tools.get", {
  tags,
  summary: "Get a tool",
  request: { params: ToolParams, query: AgentOnlyQuery },
  responses: {
    200: jsonContent(ToolEnvelope, "The tool"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "agent_not_found", "tool_not_found"),
  },
});

export const register = operationRoute("tools.register", {
  tags,
  summary: "Register a custom (webhook) tool",
  description:
    "Each call is POSTed as JSON `{tool, tool_id, call_id, input, harness_id, execution_id?}`, signed with Standard Webhooks headers and `X-OpenHarness-Signature: sha256=…`, 30 s deadline. The webhook answers with a JSON object (the output), or streams NDJSON / SSE chunks (`{type: output|progress|error|done}`). `command` handlers are refused with 422.",
  request: { params: HarnessIdParam, body: { required: true, content: { "application/json": { schema: RegisterToolBody } } } },
  responses: {
    201: jsonContent(RegisteredToolEnvelope, "The tool, and its signing secret (shown once)"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "harness_read_only",
      "tool_exists",
      "tool_handler_unsupported",
      "network_blocked",
      "secrets_unavailable",
    ),
  },
});

export const unregister = operationRoute("tools.unregister", {
  tags,
  summary: "Unregister a custom tool",
  description:
    "Only the harness's own custom tools: built-in, MCP, skill and inherited tools answer 409 `tool_not_custom` saying where they come from.",
  request: { params: ToolParams },
  responses: {
    204: { description: "Unregistered" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_read_only", "tool_not_found", "tool_not_custom"),
  },
});

export const invoke = operationRoute("tools.invoke", {
  tags,
  summary: "Run a tool outside an execution",
  description:
    "Through the same path as the loop: input validated against the tool's schema (400), hooks, the tool's limits and network policy. A tool failure is `success: false` with `error` and `code` in a 200.",
  request: { params: ToolParams, body: { required: true, content: { "application/json": { schema: InvokeToolBody } } } },
  responses: { 200: jsonContent(InvokeToolResponse, "The outcome"), ...invokeErrors },
});

export const invokeStream = operationRoute("tools.invokeStream", {
  tags,
  summary: "Run a tool and stream its output",
  description:
    "SSE of ToolStreamEvent: `output` and `progress` as they come (a webhook streaming NDJSON or SSE is passed through chunk by chunk), `error` on failure, then `done` `{success, duration_ms}`.",
  request: { params: ToolParams, body: { required: true, content: { "application/json": { schema: InvokeToolBody } } } },
  responses: {
    200: {
      description: "The event stream",
      content: {
        "text/event-stream": {
          schema: z.string().openapi({ description: "ToolStreamEvent frames: `id`, `event: <type>`, `data: <JSON with type>`." }),
        },
      },
    },
    ...invokeErrors,
  },
});
