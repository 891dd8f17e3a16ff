/**
 * Handing a webhook delivery to the queue: the delivery row is written first (status `pending`, its id
 * the `webhook-id` every attempt carries), then the versioned message is sent. The consumer
 * (`queues/webhook-delivery.ts`) does the rest — at least once, retried on the spec's schedule.
 */
import { eq } from "drizzle-orm";
import { webhookDeliveries } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { inlineBody, type WebhookDeliveryV1 } from "../../queues/messages.ts";
import type { ServiceContext } from "../context.ts";

/** Input of {@link enqueueWebhookDelivery}. `secret` is the signing secret as sealed at rest (`lib/crypto.ts`). */
export interface EnqueueDeliveryInput {
  orgId: string;
  /** The harness whose log records the attempts. */
  harnessId: string;
  webhookId: string | null;
  url: string;
  event: string;
  /** The JSON payload; serialised once, and those exact bytes are signed and sent. */
  payload: unknown;
  secret: { sealed: string; aad: string } | null;
}

/**
 * Records and enqueues one delivery. The URL must have passed the SSRF and network-policy checks when
 * the webhook was registered; the consumer checks it again on every attempt.
 * @returns the delivery id (`webhook-id`).
 * @throws Error when the queue refuses the message (the row is then marked `dead` with the reason).
 */
export async function enqueueWebhookDelivery({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, "db" | "env">;
  input: EnqueueDeliveryInput;
}): Promise<{ deliveryId: string }> {
  const deliveryId = newId("delivery");
  const body = JSON.stringify(input.payload);
  const at = nowIso();
  await ctx.db.insert(webhookDeliveries).values({
    id: deliveryId,
    orgId: input.orgId,
    webhookId: input.webhookId,
    url: input.url,
    event: input.event,
    status: "pending",
    attempts: 0,
    body,
    createdAt: at,
    updatedAt: at,
  });
  const message: WebhookDeliveryV1 = {
    v: 1,
    kind: "webhook.delivery",
    delivery_id: deliveryId,
    org_id: input.orgId,
    harness_id: input.harnessId,
    url: input.url,
    event: input.event,
    ...inlineBody(body),
    secret: input.secret,
  };
  try {
    await ctx.env.WEBHOOK_QUEUE.send(message, { contentType: "json" });
  } catch (error) {
    await ctx.db
      .update(webhookDeliveries)
      .set({ status: "dead", lastError: "the delivery queue refused the message", updatedAt: nowIso() })
      .where(eq(webhookDeliveries.id, deliveryId));
    throw error;
  }
  return { deliveryId };
}
