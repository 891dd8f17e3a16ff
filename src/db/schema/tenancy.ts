/** D1 schema: Tenants and their API keys. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A tenant. Every other row belongs to exactly one organization. */
export const organizations = sqliteTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Organization-level default model (resolution step before the deployment default). */
  defaultModel: text("default_model"),
  /** Requests per user per UTC day (chat, MCP tool calls, executions); null = deployment default. */
  dailyRequestQuota: integer("daily_request_quota"),
  /** Tokens per UTC day for the whole organization; null = deployment default. */
  dailyTokenBudget: integer("daily_token_budget"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Organization API keys. Only a SHA-256 digest of the secret part is stored. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Lowercase hex SHA-256 of the key's secret part. */
    secretHash: text("secret_hash").notNull(),
    /** JSON string[] of scopes; `["*"]` = full access within the organization. */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("api_keys_org_idx").on(t.orgId)],
);
