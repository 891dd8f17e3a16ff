/** D1 schema: the web console's OAuth grants — which browser sign-in minted which grant, for sign-out. */
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { webSessions } from "./identity.ts";

/**
 * A grant (an `oauth_grants` row of the first-party console client) minted for one browser sign-in in
 * one organization (`services/console/token.ts`). Signing out revokes the grants of that sign-in, so
 * the access tokens the page holds stop working at once, like any revoked consent. A removed member's
 * console grants are revoked with their other grants in that organization (by user and organization).
 */
export const consoleGrants = sqliteTable(
  "console_grants",
  {
    grantId: text("grant_id").primaryKey(),
    webSessionId: text("web_session_id")
      .notNull()
      .references(() => webSessions.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("console_grants_session_idx").on(t.webSessionId, t.orgId)],
);
