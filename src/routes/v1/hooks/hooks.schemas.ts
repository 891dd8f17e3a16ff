import { z } from "@hono/zod-openapi";
import type { StoredHarnessEvent } from "../../../../durable-objects/harness-events/harness-events.protocol.ts";
import { paginated, PaginationQuery } from "../../../openapi/schemas.ts";
import { HOOK_EVENT_SPELLINGS } from "../../../services/hooks/events.ts";
import type { HookRow } from "../../../services/hooks/find.ts";
import { MAX_HOOK_TIMEOUT_MS, MIN_HOOK_TIMEOUT_MS } from "../../../services/hooks/register.ts";
import { maskedSecret } from "../../../services/hooks/secrets.ts";
import type { DeliveryRow, WebhookWithDeliveries } from "../../../services/webhooks/list.ts";
import type { WebhookRow } from "../../../services/webhooks/register.ts";
import { WEBHOOK_EVENT_NAMES } from "../../../services/webhooks/register.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";

export const HookHandler = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("webhook"), url: z.string().min(1).max(2048) }),
    z.strictObject({ type: z.literal("command"), command: z.string().min(1).max(4096) }),
  ])
  .openapi("HookHandler", { description: "Only `webhook` handlers run on this deployment; `command` is refused with 422." });

const secretField = z
  .string()
  .max(200)
  .optional()
  .openapi({ description: "Signing secret, `whsec_` + base64 of 24–64 bytes; generated when omitted. Shown once." });

const blocking = {
  timeout_ms: z
    .number()
    .int()
    .min(MIN_HOOK_TIMEOUT_MS)
    .max(MAX_HOOK_TIMEOUT_MS)
    .optional()
    .openapi({
      description: `How long a blocking (pre_tool) hook may take to answer, ${MIN_HOOK_TIMEOUT_MS}–${MAX_HOOK_TIMEOUT_MS} ms (default 5000).`,
    }),
  on_error: z
    .enum(["allow", "deny"])
    .optional()
    .openapi({ description: "What a blocking hook decides when it fails or times out (default deny)." }),
};

export const RegisterHookRequest = z
  .strictObject({
    event: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: `HookEvent or an accepted alias: ${HOOK_EVENT_SPELLINGS.join(", ")}.` }),
    handler: HookHandler,
    enabled: z.boolean().optional(),
    ...blocking,
    secret: secretField,
  })
  .openapi("RegisterHookRequest");

export const UpdateHookRequest = z
  .strictObject({ handler: HookHandler.optional(), enabled: z.boolean().optional(), ...blocking })
  .openapi("UpdateHookRequest");

export const HookSchema = z
  .object({
    id: z.string(),
    event: z.string(),
    handler: z.object({ type: z.literal("webhook"), url: z.string() }),
    enabled: z.boolean(),
    blocking: z.boolean().openapi({ description: "pre_tool hooks are blocking: their answer allows, denies or rewrites the call." }),
    timeout_ms: z.number().int(),
    on_error: z.enum(["allow", "deny"]),
    secret: z.string().openapi({ description: "The signing secret: in full only in the registration response, masked afterwards." }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Hook");

export function toHookView(row: HookRow, secret?: string): z.infer<typeof HookSchema> {
  return {
    id: row.id,
    event: row.event,
    handler: row.handler,
    enabled: row.enabled,
    blocking: row.event === "pre_tool",
    timeout_ms: row.timeoutMs,
    on_error: row.onError === "allow" ? "allow" : "deny",
    secret: secret ?? maskedSecret(row.secretHint),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export const HookEnvelope = z.object({ hook: HookSchema }).openapi("HookEnvelope");
export const HookList = z.object({ hooks: z.array(HookSchema) }).openapi("HookList");
export const HookParams = HarnessIdParam.extend({
  hookId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "hookId", in: "path" } }),
});
export const ListHooksQuery = z.object({ event: z.string().min(1).max(64).optional() });

export const StoredEvent = z
  .object({
    id: z.string().openapi({ description: "The event's `seq` on the harness stream (what Last-Event-ID refers to)." }),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    timestamp: z.string(),
  })
  .openapi("StoredEvent");

export function toStoredEvent(stored: StoredHarnessEvent): z.infer<typeof StoredEvent> {
  return {
    id: String(stored.seq),
    type: stored.event.type,
    data: stored.event as unknown as Record<string, unknown>,
    timestamp: stored.at,
  };
}

export const EventPage = paginated(StoredEvent, "StoredEventPage");
export const ListEventsQuery = PaginationQuery.extend({
  type: z.string().min(1).max(300).optional().openapi({ description: "Only events of this type (or a comma list)." }),
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only events after this time (ISO 8601)." }),
});
export const StreamEventsQuery = z.object({
  events: z
    .union([z.string().max(300), z.array(z.string().max(300)).max(20)])
    .optional()
    .openapi({ description: "Restrict to these event types: repeated `events=` keys or a comma list." }),
});
export const StreamEventsBody = z
  .strictObject({ events: z.array(z.string().min(1).max(64)).max(20).optional() })
  .openapi("StreamEventsRequest");

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The `webhook-id` every attempt carries." }),
    event: z.string(),
    status: z.enum(["pending", "retrying", "delivered", "dead"]),
    attempts: z.number().int(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    url: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .openapi("WebhookDelivery");

export function toDeliveryView(row: DeliveryRow): z.infer<typeof DeliverySchema> {
  return {
    id: row.id,
    event: row.event,
    status: row.status as z.infer<typeof DeliverySchema>["status"],
    attempts: row.attempts,
    last_status: row.lastStatus,
    last_error: row.lastError,
    url: row.url,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    delivered_at: row.deliveredAt,
  };
}

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    secret: z.string().openapi({ description: "In full only in the registration response; masked (`whsec_…abcd`) afterwards." }),
    enabled: z.boolean(),
    created_at: z.string(),
    last_delivery: DeliverySchema.nullable().optional(),
    failed_deliveries: z.number().int().optional().openapi({ description: "Deliveries that failed for good (dead); redeliver them." }),
  })
  .openapi("Webhook");

export function toWebhookView(
  row: WebhookRow,
  extra?: { secret?: string; deliveries?: Omit<WebhookWithDeliveries, "webhook"> },
): z.infer<typeof WebhookSchema> {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    secret: extra?.secret ?? maskedSecret(row.secretHint),
    enabled: row.enabled,
    created_at: row.createdAt,
    ...(extra?.deliveries
      ? {
          last_delivery: extra.deliveries.lastDelivery ? toDeliveryView(extra.deliveries.lastDelivery) : null,
          failed_deliveries: extra.deliveries.failedDeliveries,
        }
      : {}),
  };
}

export const RegisterWebhookRequest = z
  .strictObject({
    url: z.string().min(1).max(2048).openapi({ description: "HTTPS URL the deliveries are POSTed to." }),
    events: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(20)
      .openapi({ description: `Event types: ${WEBHOOK_EVENT_NAMES.join(", ")}.` }),
    secret: secretField,
  })
  .openapi("RegisterWebhookRequest");
export const WebhookEnvelope = z.object({ webhook: WebhookSchema }).openapi("WebhookEnvelope");
export const WebhookList = z.object({ webhooks: z.array(WebhookSchema) }).openapi("WebhookList");
export const WebhookParams = HarnessIdParam.extend({
  webhookId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "webhookId", in: "path" } }),
});
export const DeliveryParams = WebhookParams.extend({
  deliveryId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "deliveryId", in: "path" } }),
});
export const DeliveryPage = paginated(DeliverySchema, "WebhookDeliveryPage");
export const ListDeliveriesQuery = PaginationQuery.extend({ status: z.enum(["pending", "retrying", "delivered", "dead"]).optional() });
export const DeliveryEnvelope = z.object({ delivery: DeliverySchema }).openapi("WebhookDeliveryEnvelope");
