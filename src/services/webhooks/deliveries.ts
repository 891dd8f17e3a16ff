import { and, desc, eq, sql } from "drizzle-orm";
import { webhookDeliveries } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { findWebhook, type DeliveryRow } from "./list.ts";

/**
 * webhookDeliveries.list — a page of a webhook's deliveries, newest first, optionally of one status
 * (`pending`, `retrying`, `delivered`, `dead`): what was sent, how often, and the last answer or error.
 * @throws ApiError `harness_not_found`, `webhook_not_found`
 */
export async function listDeliveries({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; webhookId: string; status?: string; limit: number; offset: number }>): Promise<{
  harness: HarnessRow;
  page: Page<DeliveryRow>;
}> {
  const { harness, webhook } = await findWebhook({ ctx, input });
  const where = and(
    eq(webhookDeliveries.orgId, ctx.principal.orgId),
    eq(webhookDeliveries.webhookId, webhook.id),
    input.status ? eq(webhookDeliveries.status, input.status) : undefined,
  );
  const [rows, total] = await Promise.all([
    ctx.db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(webhookDeliveries)
      .where(where)
      .get(),
  ]);
  return { harness, page: { items: rows, total: total?.n ?? 0, limit: input.limit, offset: input.offset } };
}
