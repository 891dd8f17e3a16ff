import { z } from "@hono/zod-openapi";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { LastEventIdHeader } from "../../../openapi/schemas.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  EventPage,
  HookEnvelope,
  HookList,
  HookParams,
  ListEventsQuery,
  ListHooksQuery,
  RegisterHookRequest,
  RegisterWebhookRequest,
  StreamEventsQuery,
  UpdateHookRequest,
  WebhookEnvelope,
  WebhookList,
  WebhookParams,
} from "./hooks.schemas.ts";

const tags = ["Hooks & Events"];
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const urlErrors = ["network_blocked", "hook_handler_unsupported", "secrets_unavailable"] as const;

export const list = operationRoute("hooks.list", {
  tags,
  summary: "List hooks",
  request: { params: HarnessIdParam, query: ListHooksQuery },
  responses: { 200: jsonContent(HookList, "The harness's hooks"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const register = operationRoute("hooks.register", {
  tags,
  summary: "Register a hook",
  description:
    'A webhook handler called when the event fires, signed like webhooks (Standard Webhooks headers and `X-OpenHarness-Signature`) with the hook\'s secret (returned once). `pre_tool` hooks are blocking: answer 2xx with `{"action": "allow"}` (or nothing), `{"action": "deny", "reason": "…"}` or `{"action": "rewrite", "input": {…}}` within `timeout_ms`; otherwise `on_error` decides. Other events are delivered through the queue (retried). Aliases of the spec §9.1 #7 spellings are accepted; `command` handlers are refused (no processes on the edge).',
  request: { params: HarnessIdParam, body: json(RegisterHookRequest) },
  responses: {
    201: jsonContent(HookEnvelope, "Registered"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", ...urlErrors),
  },
});

export const get = operationRoute("hooks.get", {
  tags,
  summary: "Get a hook",
  request: { params: HookParams },
  responses: { 200: jsonContent(HookEnvelope, "The hook"), ...problemResponses(...AUTH_ERRORS, "harness_not_found", "hook_not_found") },
});

export const update = operationRoute("hooks.update", {
  tags,
  summary: "Update a hook",
  description: "Handler, `enabled`, `timeout_ms` and `on_error` may change; the event may not.",
  request: { params: HookParams, body: json(UpdateHookRequest) },
  responses: {
    200: jsonContent(HookEnvelope, "Updated"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "hook_not_found", ...urlErrors),
  },
});

export const unregister = operationRoute("hooks.unregister", {
  tags,
  summary: "Unregister a hook",
  description: "It does not fire afterwards, also not in executions already running.",
  request: { params: HookParams },
  responses: { 204: { description: "Removed" }, ...problemResponses(...AUTH_ERRORS, "harness_not_found", "hook_not_found") },
});

export const streamEvents = operationRoute("hooks.streamEvents", {
  tags,
  summary: "Stream the harness's events",
  description:
    "One live SSE stream per harness (HarnessEvent: `hook.triggered`, `execution.started`, `execution.completed`, `session.created`, `session.message`, `session.ended`, `error`): `id` = seq, `event` = type, `data` with `type`. Reconnect with `Last-Event-ID` to receive exactly what you missed (retained 7 days). `events` filters by type (repeated keys or a comma list). Also served as POST with a JSON body `{events}` (the reference client's form, spec §9.1 #3).",
  request: { params: HarnessIdParam, query: StreamEventsQuery, headers: LastEventIdHeader },
  responses: {
    200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "capability_not_supported"),
  },
});

export const listEvents = operationRoute("hooks.listEvents", {
  tags,
  summary: "List the harness's recorded events",
  description: "StoredEvent `{id, type, data, timestamp}`, newest first; `id` is the seq on the stream. Kept 7 days, at most 10,000.",
  request: { params: HarnessIdParam, query: ListEventsQuery },
  responses: {
    200: jsonContent(EventPage, "A page of events"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "capability_not_supported"),
  },
});

export const registerWebhook = operationRoute("webhooks.register", {
  tags,
  summary: "Register a webhook",
  description:
    "Deliveries go through a queue: POST with `X-OpenHarness-Signature: sha256=<hex HMAC of the raw body>` and the Standard Webhooks headers (`webhook-id` — the same on every retry —, `webhook-timestamp`, `webhook-signature`), 30 s timeout, retried after 1 min, 5 min, 30 min and 2 h, then marked dead (visible on webhooks.list and the deliveries list, redeliverable). `execution.completed` carries the spec §8.2 payload plus `result_url` (no `signature` field in the body). The secret is shown only in this response.",
  request: { params: HarnessIdParam, body: json(RegisterWebhookRequest) },
  responses: {
    201: jsonContent(WebhookEnvelope, "Registered"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "network_blocked", "secrets_unavailable"),
  },
});

export const listWebhooks = operationRoute("webhooks.list", {
  tags,
  summary: "List webhooks",
  description: "Each with its latest delivery and the count of deliveries that failed for good; secrets are masked.",
  request: { params: HarnessIdParam },
  responses: { 200: jsonContent(WebhookList, "The harness's webhooks"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const deleteWebhook = operationRoute("webhooks.delete", {
  tags,
  summary: "Delete a webhook",
  request: { params: WebhookParams },
  responses: { 204: { description: "Removed" }, ...problemResponses(...AUTH_ERRORS, "harness_not_found", "webhook_not_found") },
});
