/**
 * The versioned messages of the webhook queue. A producer sends exactly these shapes; the consumer
 * parses every message and acknowledges (and records) one it cannot read instead of retrying it forever.
 */
import { z } from "zod";

/** Name of the delivery queue and of its dead-letter queue (`wrangler.toml`). */
export const WEBHOOK_QUEUE_NAME = "edgeharness-webhooks";
export const WEBHOOK_DLQ_NAME = "edgeharness-webhooks-dlq";

/**
 * The largest body, in UTF-8 bytes, a message carries inline. A Cloudflare Queues message holds at most
 * 128 KB; a larger body (an `execution.completed` payload with a long output) stays only on its
 * `webhook_deliveries` row, which the consumer reads.
 */
export const INLINE_WEBHOOK_BODY_MAX_BYTES = 64 * 1024;

/**
 * One webhook delivery, version 1. `body` is the exact JSON text to POST when it is at most
 * {@link INLINE_WEBHOOK_BODY_MAX_BYTES}; absent, the consumer POSTs the body stored on the delivery's row.
 * `secret` is the signing secret sealed with the deployment key (`lib/crypto.ts` sealString, associated
 * data `aad`), so no plaintext secret sits in the queue; null sends unsigned (never used for user webhooks).
 */
export const WebhookDeliveryV1 = z.object({
  v: z.literal(1),
  kind: z.literal("webhook.delivery"),
  /** `webhook_deliveries.id` = the Standard Webhooks `webhook-id`, stable across retries. */
  delivery_id: z.string().min(1).max(100),
  org_id: z.string().min(1).max(100),
  /** The harness whose log records each attempt (diagnostics.logs); absent in messages sent before it existed. */
  harness_id: z.string().min(1).max(100).optional(),
  url: z.string().url().max(2048),
  event: z.string().min(1).max(100),
  body: z.string().max(INLINE_WEBHOOK_BODY_MAX_BYTES).optional(),
  secret: z.object({ sealed: z.string(), aad: z.string() }).nullable(),
});
export type WebhookDeliveryV1 = z.infer<typeof WebhookDeliveryV1>;

/** `body` for a message: the text itself when it fits inline, otherwise absent (the consumer reads the delivery row). */
export function inlineBody(body: string): { body?: string } {
  return new TextEncoder().encode(body).byteLength <= INLINE_WEBHOOK_BODY_MAX_BYTES ? { body } : {};
}

/** Every message the webhook queue carries. */
export const WebhookQueueMessage = z.discriminatedUnion("kind", [WebhookDeliveryV1]);
export type WebhookQueueMessage = z.infer<typeof WebhookQueueMessage>;
