import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { webhookDeliveries, webhooks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import type { WebhookRow } from "./register.ts";

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** A webhook with what its deliveries came to: the latest one and how many never arrived. */
export interface WebhookWithDeliveries {
  webhook: WebhookRow;
  lastDelivery: DeliveryRow | null;
  failedDeliveries: number;
}

/** The 404 for a webhook id that does not resolve on the harness (also another organization's). */
export function webhookNotFound(harness: HarnessRow, webhookId: string): ApiError {
  return new ApiError("webhook_not_found", `No webhook ${webhookId} on harness ${harness.slug}.`, {
    domain: "hooks",
    details: { webhook_id: webhookId },
    actions: [{ rel: "list", operation_id: "webhooks.list", href: `/v1/harnesses/${harness.slug}/webhooks` }],
  });
}

/**
 * webhooks.list — the harness's webhooks, oldest first, each with its latest delivery and the number of
 * deliveries that failed for good (`dead`), so a failure is visible where the webhook is.
 * @throws ApiError `harness_not_found`
 */
export async function listWebhooks({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string }>): Promise<{ harness: HarnessRow; webhooks: WebhookWithDeliveries[] }> {
  const harness = await findHarness({ ctx, input });
  const rows = await ctx.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.orgId, ctx.principal.orgId), eq(webhooks.harnessId, harness.id)))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id));
  if (rows.length === 0) return { harness, webhooks: [] };
  const ids = rows.map((w) => w.id);
  const failed = await ctx.db
    .select({ webhookId: webhookDeliveries.webhookId, n: sql<number>`count(*)` })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, ctx.principal.orgId),
        inArray(webhookDeliveries.webhookId, ids),
        eq(webhookDeliveries.status, "dead"),
      ),
    )
    .groupBy(webhookDeliveries.webhookId);
  const latest = await Promise.all(
    ids.map((id) =>
      ctx.db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.orgId, ctx.principal.orgId), eq(webhookDeliveries.webhookId, id)))
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(1)
        .get(),
    ),
  );
  return {
    harness,
    webhooks: rows.map((webhook, i) => ({
      webhook,
      lastDelivery: latest[i] ?? null,
      failedDeliveries: failed.find((f) => f.webhookId === webhook.id)?.n ?? 0,
    })),
  };
}

/**
 * One webhook of the harness.
 * @throws ApiError `harness_not_found`, `webhook_not_found`
 */
export async function findWebhook({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; webhookId: string }>): Promise<{ harness: HarnessRow; webhook: WebhookRow }> {
  const harness = await findHarness({ ctx, input });
  const webhook = await ctx.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, input.webhookId), eq(webhooks.orgId, ctx.principal.orgId), eq(webhooks.harnessId, harness.id)))
    .get();
  if (!webhook) throw webhookNotFound(harness, input.webhookId);
  return { harness, webhook };
}
