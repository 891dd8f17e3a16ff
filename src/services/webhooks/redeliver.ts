import { and, eq } from "drizzle-orm";
import { webhookDeliveries } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import { inlineBody, type WebhookDeliveryV1 } from "../../queues/messages.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { harnessOutboundVerdict } from "../network/policy.ts";
import { findWebhook, type DeliveryRow } from "./list.ts";

/**
 * webhookDeliveries.redeliver — sends a finished delivery (`dead`, or `delivered` when the receiver
 * lost it) again through the queue: the same body and the same `webhook-id` (receivers deduplicate by
 * it), to the webhook's current URL, signed afresh, with a fresh retry schedule.
 * @throws ApiError `harness_not_found`, `webhook_not_found`, `delivery_not_found`,
 *   `delivery_in_progress` (409: still pending or retrying), `network_blocked`
 *   (the URL no longer passes), `upstream_unavailable` (the queue refused it)
 */
export async function redeliver({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; webhookId: string; deliveryId: string }>): Promise<DeliveryRow> {
  const { harness, webhook } = await findWebhook({ ctx, input });
  const delivery = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.id, input.deliveryId),
        eq(webhookDeliveries.orgId, ctx.principal.orgId),
        eq(webhookDeliveries.webhookId, webhook.id),
      ),
    )
    .get();
  const list = `/api/v1/harnesses/${harness.slug}/webhooks/${webhook.id}/deliveries`;
  if (!delivery || delivery.body === null) {
    throw new ApiError("delivery_not_found", `No delivery ${input.deliveryId} of webhook ${webhook.id} that can be sent again.`, {
      domain: "hooks",
      details: { delivery_id: input.deliveryId },
      actions: [{ rel: "list", operation_id: "webhookDeliveries.list", href: list }],
    });
  }
  if (delivery.status === "pending" || delivery.status === "retrying") {
    throw new ApiError("delivery_in_progress", `Delivery ${delivery.id} is still ${delivery.status}; the queue retries it on its own.`, {
      domain: "hooks",
      details: { status: delivery.status, attempts: delivery.attempts },
      actions: [{ rel: "wait", hint: "Redeliver once it is delivered or dead.", href: list }],
    });
  }
  const target = await harnessOutboundVerdict(ctx, harness, webhook.url);
  if (!target.ok) {
    throw new ApiError("network_blocked", `The webhook's URL no longer passes: ${target.reason}.`, {
      domain: "hooks",
      details: { url: webhook.url, rule: target.rule },
      actions: [{ rel: "fix-input", hint: "Register the webhook again with an allowed URL." }],
    });
  }
  const message: WebhookDeliveryV1 = {
    v: 1,
    kind: "webhook.delivery",
    delivery_id: delivery.id,
    org_id: ctx.principal.orgId,
    harness_id: harness.id,
    url: webhook.url,
    event: delivery.event,
    ...inlineBody(delivery.body),
    secret: { sealed: webhook.secretSealed, aad: `webhook:${webhook.id}` },
  };
  const [row] = await ctx.db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, lastStatus: null, lastError: null, url: webhook.url, updatedAt: nowIso() })
    .where(eq(webhookDeliveries.id, delivery.id))
    .returning();
  try {
    await ctx.env.WEBHOOK_QUEUE.send(message, { contentType: "json" });
  } catch (cause) {
    await ctx.db
      .update(webhookDeliveries)
      .set({ status: "dead", lastError: "the delivery queue refused the message", updatedAt: nowIso() })
      .where(eq(webhookDeliveries.id, delivery.id));
    throw new ApiError("upstream_unavailable", "The delivery could not be queued; try again shortly.", { cause, retryAfterSeconds: 5 });
  }
  return row!;
}
