import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { LastEventIdHeader } from "../../../openapi/schemas.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import { DiagnosticsSchema, LogPage, LogsQuery, StreamLogsQuery } from "./diagnostics.schemas.ts";

const tags = ["Conformance and diagnostics"];

export const get = operationRoute("diagnostics.get", {
  tags,
  summary: "A harness's diagnostics",
  description:
    "Figures read from the stores, not placeholders: the server version and this Worker version, uptime since the version went up, active sessions and executions, connected MCP servers, installed skills and the configuration in force. `notes` says which figures a Worker cannot know (its memory use) and what is reported instead.",
  request: { params: HarnessIdParam },
  responses: { 200: jsonContent(DiagnosticsSchema, "The harness's diagnostics"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const logs = operationRoute("diagnostics.logs", {
  tags,
  summary: "The harness's log",
  description:
    "Structured lines, newest first: executions started and finished (failures at `error`), tool calls (`info`, failures `warn` with their code), hook firings and their decisions, webhook delivery attempts (retries `warn`, given up `error`), sessions (messages at `debug`, without their content). `level` is a minimum. Kept 7 days, at most 10,000 lines per harness.",
  request: { params: HarnessIdParam, query: LogsQuery },
  responses: { 200: jsonContent(LogPage, "A page of log lines"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const streamLogs = operationRoute("diagnostics.streamLogs", {
  tags,
  summary: "Follow the harness's log",
  description:
    "SSE: `event: log`, `id` = the line's seq, `data` a LogEntry. Reconnect with `Last-Event-ID` to receive exactly the lines you missed (those still kept), then live ones. `level` is a minimum. Also served as POST with a JSON body `{level}` (the reference client's form, spec §9.1 #3).",
  request: { params: HarnessIdParam, query: StreamLogsQuery, headers: LastEventIdHeader },
  responses: {
    200: { description: "The log stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found"),
  },
});
