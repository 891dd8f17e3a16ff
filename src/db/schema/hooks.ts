/** D1 schema: hooks and webhooks of a harness (Open Harness domain 11). */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A hook's handler. Only `webhook` handlers are accepted (no processes on the edge). */
export interface HookHandlerJson {
  type: "webhook";
  url: string;
}

/**
 * A hook on one of the harness's events (`hooks.register`). `event` is the stored canonical name
 * (`services/hooks/events.ts`); `pre_tool` hooks are blocking (the runtime waits up to `timeout_ms`
 * for their verdict and applies `on_error` when none comes). Each hook signs its calls with its own
 * secret, shown once at registration and stored sealed (associated data `hook:{id}`).
 */
export const hooks = sqliteTable(
  "hooks",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id").notNull(),
    event: text("event").notNull(),
    handler: text("handler", { mode: "json" }).$type<HookHandlerJson>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** How long a blocking hook may take to answer, in milliseconds. */
    timeoutMs: integer("timeout_ms").notNull(),
    /** allow | deny: what a blocking hook that fails or times out decides. */
    onError: text("on_error").notNull(),
    secretSealed: text("secret_sealed").notNull(),
    /** The last characters of the secret, to recognise it by (the secret itself is never shown again). */
    secretHint: text("secret_hint").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("hooks_harness_idx").on(t.orgId, t.harnessId, t.event, t.createdAt)],
);

/**
 * A webhook subscription (`webhooks.register`): the harness events it receives (`execution.completed`
 * and the other HarnessEvent types), delivered through the webhook queue, signed with its secret
 * (sealed at rest, associated data `webhook:{id}` — the queue message carries it sealed the same way).
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id").notNull(),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    secretSealed: text("secret_sealed").notNull(),
    secretHint: text("secret_hint").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("webhooks_harness_idx").on(t.orgId, t.harnessId, t.createdAt)],
);
