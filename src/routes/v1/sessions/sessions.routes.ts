import { z } from "@hono/zod-openapi";
import { webSocketToken } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
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
import { operationRoute } from "../../operation-route.ts";

const tags = ["Sessions"];
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const notFound = ["harness_not_found", "session_not_found"] as const;
/** What sending a message can meet, streamed or not: the session must be open and its model available. */
const sendMessageErrors = problemResponses(
  ...AUTH_ERRORS,
  "invalid_json",
  ...notFound,
  "harness_archived",
  "session_paused",
  "session_ended",
  "model_not_available",
);

export const list = operationRoute("sessions.list", {
  tags,
  summary: "List sessions",
  request: { params: HarnessIdParam, query: ListSessionsQuery },
  responses: { 200: jsonContent(SessionPage, "A page of sessions"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const create = operationRoute("sessions.create", {
  tags,
  summary: "Create a session",
  description: "Returns `connect_url`, the WebSocket URL of sessions.connect.",
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

export const get = operationRoute("sessions.get", {
  tags,
  summary: "Get a session",
  request: { params: SessionParams },
  responses: { 200: jsonContent(SessionEnvelope, "The session"), ...problemResponses(...AUTH_ERRORS, ...notFound) },
});

export const update = operationRoute("sessions.update", {
  tags,
  summary: "Rename, pause or resume a session",
  description: "Pausing closes the session's WebSockets with close code 4001; a paused session refuses new turns (409).",
  request: { params: SessionParams, body: json(UpdateSessionBody) },
  responses: {
    200: jsonContent(SessionEnvelope, "The session"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", ...notFound, "session_ended"),
  },
});

export const end = operationRoute("sessions.end", {
  tags,
  summary: "End a session",
  description: "Closes its WebSockets (4002), cancels the turn in progress, and with `delete_history=true` deletes the messages.",
  request: { params: SessionParams, query: EndSessionQuery },
  responses: { 204: { description: "Ended" }, ...problemResponses(...AUTH_ERRORS, ...notFound) },
});

export const resume = operationRoute("sessions.resume", {
  tags,
  summary: "Resume a paused session",
  request: { params: SessionParams },
  responses: { 200: jsonContent(SessionWithConnect, "The session"), ...problemResponses(...AUTH_ERRORS, ...notFound, "session_ended") },
});

export const history = operationRoute("sessions.history", {
  tags,
  summary: "A session's messages, oldest first",
  request: { params: SessionParams, query: HistoryQuery },
  responses: { 200: jsonContent(MessagePage, "A page of messages"), ...problemResponses(...AUTH_ERRORS, ...notFound) },
});

export const fork = operationRoute("sessions.fork", {
  tags,
  summary: "Fork a session",
  description: "Copies the history up to and including `from_message_id` (or all of it) into a new session, atomically.",
  request: { params: SessionParams, body: { required: false, content: { "application/json": { schema: ForkBody } } } },
  responses: {
    201: jsonContent(ForkResponse, "The new session"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", ...notFound, "message_not_found"),
  },
});

export const connect = operationRoute(
  "sessions.connect",
  {
    tags,
    summary: "Connect over WebSocket",
    description:
      "Upgrade to a WebSocket (subprotocol `openharness.v1` echoed when offered). Frames are JSON: ClientMessage `message`/`stdin`/`cancel` in, ServerMessage `text`/`thinking`/`tool_call`/`prompt`/`artifact`/`error`/`done` out, `id` = the client message id. Auth: `Authorization`, `?token=`, or a `bearer.<token>` subprotocol entry — an API key, or an access token for this API (the web console's way). Close codes: 4001 paused, 4002 ended.",
    request: { params: SessionParams, query: ConnectQuery },
    responses: {
      101: { description: "Switching protocols" },
      ...problemResponses(...AUTH_ERRORS, ...notFound, "session_paused", "session_ended", "upgrade_required"),
    },
  },
  { beforeGuard: webSocketToken },
);

export const sendMessage = operationRoute("sessions.sendMessage", {
  tags,
  summary: "Send a message and wait for the reply",
  description: "Queued behind a turn in progress, never interleaved. Returns the stored message and the assistant's reply.",
  request: { params: SessionParams, body: json(SendMessageBody) },
  responses: {
    200: jsonContent(SendMessageResponse, "The message and the reply"),
    ...sendMessageErrors,
  },
});

export const sendMessageStream = operationRoute("sessions.sendMessageStream", {
  tags,
  summary: "Send a message and stream the turn",
  description: "SSE of ExecutionEvent for the turn's execution (`X-Execution-ID`); reconnect with execution.attachStream.",
  request: { params: SessionParams, body: json(SendMessageBody) },
  responses: {
    200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...sendMessageErrors,
  },
});
