import { and, eq } from "drizzle-orm";
import { webhooks } from "../../db/schema.ts";
import type { AuthedContext } from "../context.ts";
import { enqueueWebhookDelivery } from "./enqueue.ts";

/**
 * Hands one harness event to every enabled webhook of the harness subscribed to its type (or to `*`),
 * through the delivery queue (signed per attempt, retried on the spec's schedule). A webhook whose
 * delivery cannot be enqueued is logged and the others still get theirs.
 * @returns the delivery ids
 */
export async function deliverToWebhooks(
  ctx: AuthedContext,
  input: { harnessId: string; type: string; payload: unknown },
): Promise<string[]> {
  const subscribed = (
    await ctx.db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.orgId, ctx.principal.orgId), eq(webhooks.harnessId, input.harnessId), eq(webhooks.enabled, true)))
  ).filter((w) => w.events.includes(input.type) || w.events.includes("*"));
  const ids: string[] = [];
  for (const webhook of subscribed) {
    try {
      const { deliveryId } = await enqueueWebhookDelivery({
        ctx,
        input: {
          orgId: ctx.principal.orgId,
          webhookId: webhook.id,
          url: webhook.url,
          event: input.type,
          payload: input.payload,
          secret: { sealed: webhook.secretSealed, aad: `webhook:${webhook.id}` },
        },
      });
      ids.push(deliveryId);
    } catch (error) {
      ctx.log.error("a webhook delivery could not be enqueued", { webhook_id: webhook.id, event: input.type, error });
    }
  }
  return ids;
}
