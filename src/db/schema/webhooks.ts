/** D1 schema: Outbound webhook deliveries. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One outbound delivery through the webhook queue (`src/queues/`): its `id` is the Standard Webhooks
 * `webhook-id`, the same on every attempt, so receivers can deduplicate. The consumer records each
 * attempt's outcome; the dead-letter consumer marks what never arrived (`dead`), where the user can see it.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    /** The registered webhook (or hook) it belongs to; null for deliveries without one. */
    webhookId: text("webhook_id"),
    url: text("url").notNull(),
    /** The event delivered, e.g. `execution.completed`. */
    event: text("event").notNull(),
    /** pending | retrying | delivered | dead. */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** HTTP status of the last attempt (null: no answer — refused, timed out). */
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deliveredAt: text("delivered_at"),
    /** The exact JSON body sent, kept so a failed delivery can be redelivered (same `webhook-id`). */
    body: text("body"),
  },
  (t) => [
    index("webhook_deliveries_org_idx").on(t.orgId, t.createdAt),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
  ],
);
