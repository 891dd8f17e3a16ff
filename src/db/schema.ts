/**
 * D1 schema (drizzle). Migrations in `migrations/` are generated from this file by drizzle-kit
 * (`npm run db:generate`) and applied identically by `npm start` and by the tests.
 *
 * Conventions: ids are typed and time-ordered (`lib/ids.ts`); timestamps are ISO 8601 text (UTC);
 * JSON columns hold documented shapes; every tenant table carries `org_id` and every query filters on it.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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

/** Capability ref (Everruns): something the harness's agent can use, with per-harness config. */
export interface CapabilityRef {
  ref: string;
  config?: Record<string, unknown>;
}

/** Starter file copied into the workspace (Everruns `initial_files`). */
export interface InitialFile {
  path: string;
  content: string;
  encoding?: "text" | "base64";
  is_readonly?: boolean;
}

/** A harness-scoped remote MCP server (Everruns `mcpServers` value). */
export interface ScopedMcpServer {
  type?: "http";
  url: string;
  auth_mode?: "none" | "api_key" | "o_auth";
  headers?: Record<string, string>;
  oauth_provider_id?: string | null;
  tool_discovery?: boolean;
}

/** Network access policy: host patterns allowed / blocked for outbound tool requests. */
export interface NetworkAccess {
  allowed?: string[];
  blocked?: string[];
}

/** Open Harness `HarnessConfig` (request-side). */
export interface HarnessConfigJson {
  base_url?: string;
  binary_path?: string;
  skills_path?: string;
}

/**
 * A harness: one record serving both the Open Harness view (`/v1`, id = slug) and the Everruns view.
 * `kind` says who executes: `native` (our runtime), `registry` (listed only, executes nothing).
 */
export const harnesses = sqliteTable(
  "harnesses",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Open Harness HarnessId / Everruns `name`: kebab-case, unique per organization. */
    slug: text("slug").notNull(),
    displayName: text("display_name").notNull(),
    vendor: text("vendor").notNull(),
    /** The harness's own version as its vendor states it (the reference client's `version`), if any. */
    version: text("version"),
    description: text("description").notNull(),
    /** Open Harness ExecutionType: hosted | sdk | ide. */
    executionType: text("execution_type").notNull(),
    /** native | registry. */
    kind: text("kind").notNull(),
    /** Open Harness HarnessStatus (availability): active | beta | coming_soon | maintenance | deprecated. */
    availability: text("availability").notNull(),
    /** Everruns lifecycle: active | archived | deleted. */
    lifecycle: text("lifecycle").notNull(),
    config: text("config", { mode: "json" }).$type<HarnessConfigJson>().notNull(),
    systemPrompt: text("system_prompt").notNull(),
    capabilityRefs: text("capability_refs", { mode: "json" }).$type<CapabilityRef[]>().notNull(),
    defaultModelId: text("default_model_id"),
    initialFiles: text("initial_files", { mode: "json" }).$type<InitialFile[]>().notNull(),
    mcpServers: text("mcp_servers", { mode: "json" }).$type<Record<string, ScopedMcpServer>>().notNull(),
    networkAccess: text("network_access", { mode: "json" }).$type<NetworkAccess | null>(),
    parentHarnessId: text("parent_harness_id"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    isBuiltIn: integer("is_built_in", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    archivedAt: text("archived_at"),
    deletedAt: text("deleted_at"),
  },
  // A deleted harness keeps its record but frees its name (seeds/002 soft delete): unique among the live ones.
  (t) => [
    uniqueIndex("harnesses_org_slug_uq")
      .on(t.orgId, t.slug)
      .where(sql`lifecycle <> 'deleted'`),
    index("harnesses_org_idx").on(t.orgId, t.id),
  ],
);

/** Provider credentials stored by `harnesses.validateCredentials` with `store: true`, AES-GCM sealed. */
export const harnessCredentials = sqliteTable(
  "harness_credentials",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    /** anthropic | openai | openai-compatible. */
    provider: text("provider").notNull(),
    /** `lib/crypto.ts` sealString output; associated data = `${harnessId}:${provider}`. */
    sealedApiKey: text("sealed_api_key").notNull(),
    baseUrl: text("base_url"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("harness_credentials_uq").on(t.harnessId, t.provider)],
);

/** Open Harness SkillReference as recorded from a package. */
export interface AgentSkillRef {
  skill_id: string;
  name: string;
  version?: string;
  required: boolean;
  description?: string;
  /** Path of the skill directory inside the stored bundle. */
  path?: string;
}

/** Open Harness McpServerReference plus what the package's mcp-configs said about the server. */
export interface AgentMcpRef {
  server_id: string;
  tools?: string[];
  required: boolean;
  name: string;
  transport?: { type: string; url?: string };
  excluded_tools?: string[];
  /** Path of the mcp-configs directory inside the stored bundle. */
  path?: string;
}

/** Open Harness AgentConfig. */
export interface AgentConfigJson {
  model?: string | { provider: string; name: string; embedding?: string };
  temperature?: number;
  max_tokens?: number;
  system_prompt?: string;
  tools_access?: { allow?: string[]; deny?: string[] };
}

/** An agent on a harness, usually imported from an Open Agent Format package. */
export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    vendorKey: text("vendor_key").notNull(),
    agentKey: text("agent_key").notNull(),
    version: text("version").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull(),
    author: text("author"),
    license: text("license"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    skills: text("skills", { mode: "json" }).$type<AgentSkillRef[]>().notNull(),
    mcpServers: text("mcp_servers", { mode: "json" }).$type<AgentMcpRef[]>().notNull(),
    config: text("config", { mode: "json" }).$type<AgentConfigJson>().notNull(),
    /** The AGENTS.md body: the agent's instructions. */
    instructions: text("instructions").notNull(),
    /** The AGENTS.md front matter as parsed (unknown keys preserved). */
    frontmatter: text("frontmatter", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** R2 key of the original package bundle. */
    bundleKey: text("bundle_key"),
    /** Directory of this agent inside the bundle (`""` = root). */
    bundlePath: text("bundle_path").notNull().default(""),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("agents_identity_uq").on(t.harnessId, t.vendorKey, t.agentKey),
    index("agents_org_harness_idx").on(t.orgId, t.harnessId, t.id),
  ],
);

/** Open Harness UsageStats (tokens). */
export interface UsageJson {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/** Open Harness ExecutionProgress. */
export interface ProgressJson {
  percentage: number;
  current_step: string;
  steps_completed: number;
  steps_total: number;
}

/**
 * Index row of an execution. The run itself (event log, tool calls, checkpoints) lives in its
 * `ExecutionRun` Durable Object; this row is what lists and filters read, and it outlives the log.
 */
export const executions = sqliteTable(
  "executions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id").notNull(),
    agentId: text("agent_id"),
    sessionId: text("session_id"),
    /** pending | running | completed | failed | cancelled. */
    status: text("status").notNull(),
    model: text("model").notNull(),
    /** First 500 characters of the task, for lists. */
    messagePreview: text("message_preview").notNull(),
    progress: text("progress", { mode: "json" }).$type<ProgressJson | null>(),
    usage: text("usage", { mode: "json" }).$type<UsageJson | null>(),
    artifactsCount: integer("artifacts_count").notNull().default(0),
    errorCode: text("error_code"),
    startedAt: text("started_at").notNull(),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("executions_org_harness_idx").on(t.orgId, t.harnessId, t.startedAt),
    index("executions_status_idx").on(t.harnessId, t.status),
  ],
);

/**
 * Index row of a session. The conversation itself (messages, queued turns, live sockets) lives in the
 * session's `Session` Durable Object; this row is what lists and filters read.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    agentId: text("agent_id"),
    name: text("name"),
    /** active | paused | ended. */
    status: text("status").notNull(),
    systemPrompt: text("system_prompt"),
    /** Messages in the history (user and assistant), kept in step with the Session object. */
    messageCount: integer("message_count").notNull().default(0),
    /** The session this one was forked from, if any. */
    forkedFrom: text("forked_from"),
    /** The principal that created it; chat conversations are private to it. */
    ownerSubject: text("owner_subject"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    endedAt: text("ended_at"),
  },
  (t) => [index("sessions_org_harness_idx").on(t.orgId, t.harnessId, t.id), index("sessions_status_idx").on(t.harnessId, t.status)],
);

// ---------------------------------------------------------------- identity (issue: front door)

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
