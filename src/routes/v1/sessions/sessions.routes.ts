import { createRoute, z } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope, webSocketToken } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  ConnectQuery,
  CreateSessionBody,
  EndSessionQuery,
  ForkBody,
  ForkResponse,
  HistoryQuery,
  ListSessionsQuery,
  MessagePage,
  SendMessageBody,
  SendMessageResponse,
  SessionEnvelope,
  SessionPage,
  SessionParams,
  SessionWithConnect,
  UpdateSessionBody,
} from "./sessions.schemas.ts";

const tags = ["Sessions"];
const read = requireScope(SCOPES.sessionsRead);
const write = requireScope(SCOPES.sessionsWrite);
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const notFound = ["harness_not_found", "session_not_found"] as const;

export const list = createRoute({
  operationId: "sessions.list",
  method: "get",
  path: "/harnesses/{harnessId}/sessions",
  tags,
  summary: "List sessions",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: HarnessIdParam, query: ListSessionsQuery },
  responses: { 200: jsonContent(SessionPage, "A page of sessions"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const create = createRoute({
  operationId: "sessions.create",
  method: "post",
  path: "/harnesses/{harnessId}/sessions",
  tags,
  summary: "Create a session",
  description: "Returns `connect_url`, the WebSocket URL of sessions.connect.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: HarnessIdParam, body: json(CreateSessionBody) },
  responses: {
    201: jsonContent(SessionWithConnect, "The session"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "invalid_json",
      "harness_not_found",
      "harness_archived",
      "agent_not_found",
      "capability_not_supported",
    ),
  },
});

export const get = createRoute({
  operationId: "sessions.get",
  method: "get",
  path: "/harnesses/{harnessId}/sessions/{sessionId}",
  tags,
  summary: "Get a session",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: SessionParams },
  responses: { 200: jsonContent(SessionEnvelope, "The session"), ...problemResponses(...AUTH_ERRORS, ...notFound) },
});

export const update = createRoute({
  operationId: "sessions.update",
  method: "patch",
  path: "/harnesses/{harnessId}/sessions/{sessionId}",
  tags,
  summary: "Rename, pause or resume a session",
  description: "Pausing closes the session's WebSockets with close code 4001; a paused session refuses new turns (409).",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: SessionParams, body: json(UpdateSessionBody) },
  responses: {
    200: jsonContent(SessionEnvelope, "The session"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", ...notFound, "session_ended"),
  },
});

export const end = createRoute({
  operationId: "sessions.end",
  method: "delete",
  path: "/harnesses/{harnessId}/sessions/{sessionId}",
  tags,
  summary: "End a session",
  description: "Closes its WebSockets (4002), cancels the turn in progress, and with `delete_history=true` deletes the messages.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: SessionParams, query: EndSessionQuery },
  responses: { 204: { description: "Ended" }, ...problemResponses(...AUTH_ERRORS, ...notFound) },
});

export const resume = createRoute({
  operationId: "sessions.resume",
  method: "post",
  path: "/harnesses/{harnessId}/sessions/{sessionId}/resume",
  tags,
  summary: "Resume a paused session",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: SessionParams },
  responses: { 200: jsonContent(SessionWithConnect, "The session"), ...problemResponses(...AUTH_ERRORS, ...notFound, "session_ended") },
});

export const history = createRoute({
  operationId: "sessions.history",
  method: "get",
  path: "/harnesses/{harnessId}/sessions/{sessionId}/history",
  tags,
  summary: "A session's messages, oldest first",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: SessionParams, query: HistoryQuery },
  responses: { 200: jsonContent(MessagePage, "A page of messages"), ...problemResponses(...AUTH_ERRORS, ...notFound) },
});

export const fork = createRoute({
  operationId: "sessions.fork",
  method: "post",
  path: "/harnesses/{harnessId}/sessions/{sessionId}/fork",
  tags,
  summary: "Fork a session",
  description: "Copies the history up to and including `from_message_id` (or all of it) into a new session, atomically.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: SessionParams, body: { required: false, content: { "application/json": { schema: ForkBody } } } },
  responses: {
    201: jsonContent(ForkResponse, "The new session"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", ...notFound, "message_not_found"),
  },
});

export const connect = createRoute({
  operationId: "sessions.connect",
  method: "get",
  path: "/harnesses/{harnessId}/sessions/{sessionId}/connect",
  tags,
  summary: "Connect over WebSocket",
  description:
    "Upgrade to a WebSocket (subprotocol `openharness.v1` echoed when offered). Frames are JSON: ClientMessage `message`/`stdin`/`cancel` in, ServerMessage `text`/`thinking`/`tool_call`/`prompt`/`artifact`/`error`/`done` out, `id` = the client message id. Auth: `Authorization`, `?token=`, or a `bearer.<key>` subprotocol entry. Close codes: 4001 paused, 4002 ended.",
  security: BEARER_SECURITY,
  middleware: [webSocketToken, read] as const,
  request: { params: SessionParams, query: ConnectQuery },
  responses: {
    101: { description: "Switching protocols" },
    ...problemResponses(...AUTH_ERRORS, ...notFound, "session_paused", "session_ended", "upgrade_required"),
  },
});

export const sendMessage = createRoute({
  operationId: "sessions.sendMessage",
  method: "post",
  path: "/harnesses/{harnessId}/sessions/{sessionId}/message",
  tags,
  summary: "Send a message and wait for the reply",
  description: "Queued behind a turn in progress, never interleaved. Returns the stored message and the assistant's reply.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: SessionParams, body: json(SendMessageBody) },
  responses: {
    200: jsonContent(SendMessageResponse, "The message and the reply"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "invalid_json",
      ...notFound,
      "harness_archived",
      "session_paused",
      "session_ended",
      "model_not_available",
    ),
  },
});

export const sendMessageStream = createRoute({
  operationId: "sessions.sendMessageStream",
  method: "post",
  path: "/harnesses/{harnessId}/sessions/{sessionId}/message/stream",
  tags,
  summary: "Send a message and stream the turn",
  description: "SSE of ExecutionEvent for the turn's execution (`X-Execution-ID`); reconnect with execution.attachStream.",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: SessionParams, body: json(SendMessageBody) },
  responses: {
    200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(
      ...AUTH_ERRORS,
      "invalid_json",
      ...notFound,
      "harness_archived",
      "session_paused",
      "session_ended",
      "model_not_available",
    ),
  },
});
