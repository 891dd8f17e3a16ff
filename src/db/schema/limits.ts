/** D1 schema: Rate counters and the usage ledger. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Fixed-window counters for rate limits (sign-in attempts, daily request quotas). */
export const rateCounters = sqliteTable("rate_counters", {
  key: text("key").primaryKey(),
  windowStart: text("window_start").notNull(),
  count: integer("count").notNull(),
});

/** One metered request or turn: who, through which surface, how many tokens. */
export const usageLedger = sqliteTable(
  "usage_ledger",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    /** The principal's subject (user id or API key id). */
    subject: text("subject").notNull(),
    /** chat | mcp | execution | session. */
    surface: text("surface").notNull(),
    executionId: text("execution_id"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("usage_org_day_idx").on(t.orgId, t.createdAt), index("usage_subject_idx").on(t.subject, t.createdAt)],
);
