import { and, eq } from "drizzle-orm";
import { webhooks } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findWebhook } from "./list.ts";

/**
 * webhooks.delete — removes the subscription (deliveries already queued still run; their records stay).
 * @throws ApiError `harness_not_found`, `webhook_not_found`
 */
export async function deleteWebhook({ ctx, input }: VerbArgs<AuthedContext, { ref: string; webhookId: string }>): Promise<void> {
  const { webhook } = await findWebhook({ ctx, input });
  await ctx.db.delete(webhooks).where(and(eq(webhooks.id, webhook.id), eq(webhooks.orgId, ctx.principal.orgId)));
}
