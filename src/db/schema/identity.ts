/** D1 schema: People, memberships, browser sign-ins and the OAuth authorization server's state. */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations } from "./tenancy.ts";

/** A person. Passwords are PBKDF2-SHA256 (`auth/passwords.ts`), never stored in the clear. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  /** Lowercased; unique. */
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`. */
  passwordHash: text("password_hash").notNull(),
  /** The organization created at sign-up. */
  personalOrgId: text("personal_org_id"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/**
 * A user's role in an organization. A pending invitation has `user_id` null and `invited_email` set
 * until the invitee accepts after signing in.
 */
export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    invitedEmail: text("invited_email"),
    /** owner | admin | member. */
    role: text("role").notNull(),
    /** active | pending. */
    status: text("status").notNull(),
    invitedBy: text("invited_by"),
    createdAt: text("created_at").notNull(),
    acceptedAt: text("accepted_at"),
  },
  (t) => [
    uniqueIndex("memberships_org_user_uq").on(t.orgId, t.userId),
    uniqueIndex("memberships_org_invite_uq").on(t.orgId, t.invitedEmail),
    index("memberships_user_idx").on(t.userId),
  ],
);

/** A browser sign-in (cookie `__Host-eh_session`). Only a SHA-256 of the cookie value is stored. */
export const webSessions = sqliteTable(
  "web_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    /** Secret the page CSRF tokens are HMACs of. */
    csrfSecret: text("csrf_secret").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("web_sessions_user_idx").on(t.userId)],
);

/**
 * An OAuth client: registered dynamically (RFC 7591), described by a Client ID Metadata Document (the
 * `client_id` is its URL), or created by an organization admin as a machine client (client_credentials,
 * bound to `org_id`). Confidential clients keep a SHA-256 of their secret.
 */
export const oauthClients = sqliteTable(
  "oauth_clients",
  {
    id: text("id").primaryKey(),
    /** dcr | cimd | machine. */
    kind: text("kind").notNull(),
    secretHash: text("secret_hash"),
    name: text("name").notNull(),
    redirectUris: text("redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
    grantTypes: text("grant_types", { mode: "json" }).$type<string[]>().notNull(),
    /** none | client_secret_basic | client_secret_post. */
    tokenEndpointAuthMethod: text("token_endpoint_auth_method").notNull(),
    /**
     * False when a confidential client registered without choosing `token_endpoint_auth_method`: it may
     * then authenticate with client_secret_basic or client_secret_post. A chosen method is kept.
     */
    authMethodChosen: integer("auth_method_chosen", { mode: "boolean" }).notNull().default(true),
    scope: text("scope"),
    /** The registered metadata as returned to the client (RFC 7591 §3.2.1). */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Machine clients act as this organization's service principal. */
    orgId: text("org_id"),
    createdAt: text("created_at").notNull(),
    /** CIMD: when the cached document must be fetched again (HTTP caching headers). */
    expiresAt: text("expires_at"),
    revokedAt: text("revoked_at"),
  },
  // oauthClients.list reads one organization's machine clients; registration is open, so the table can be large.
  (t) => [index("oauth_clients_org_idx").on(t.orgId)],
);

/**
 * A consent: this user let this client act in this organization with these scopes for this resource.
 * Refresh tokens form a family under their grant; revoking the grant revokes the family.
 */
export const oauthGrants = sqliteTable(
  "oauth_grants",
  {
    id: text("id").primaryKey(),
    clientId: text("client_id").notNull(),
    userId: text("user_id").notNull(),
    orgId: text("org_id").notNull(),
    scope: text("scope").notNull(),
    resource: text("resource").notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
    /** Why it was revoked: code_replay | refresh_reuse | revoked | signed_out | membership_removed. */
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("oauth_grants_user_idx").on(t.userId, t.clientId)],
);

/** Authorization codes (RFC 6749 §4.1), stored as SHA-256; consumed by one conditional UPDATE. */
export const oauthCodes = sqliteTable("oauth_codes", {
  codeHash: text("code_hash").primaryKey(),
  grantId: text("grant_id").notNull(),
  clientId: text("client_id").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  codeChallenge: text("code_challenge").notNull(),
  nonce: text("nonce"),
  authTime: integer("auth_time").notNull(),
  expiresAt: text("expires_at").notNull(),
  usedAt: text("used_at"),
});

/** Refresh tokens, stored as SHA-256, rotated on every use (one conditional UPDATE). */
export const oauthRefreshTokens = sqliteTable(
  "oauth_refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    grantId: text("grant_id").notNull(),
    clientId: text("client_id").notNull(),
    scope: text("scope").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    /** Set when this token was exchanged for the next one; a second use is reuse. */
    usedAt: text("used_at"),
  },
  (t) => [index("oauth_refresh_grant_idx").on(t.grantId)],
);

/**
 * Token signing keys (ES256). The private JWK is sealed with the deployment's AES key. A key signs
 * until `rotates_at`; it stays published in the JWKS until `expires_at` (after its last token expired).
 */
export const signingKeys = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  publicJwk: text("public_jwk", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  sealedPrivateJwk: text("sealed_private_jwk").notNull(),
  createdAt: text("created_at").notNull(),
  rotatesAt: text("rotates_at").notNull(),
  expiresAt: text("expires_at").notNull(),
});
