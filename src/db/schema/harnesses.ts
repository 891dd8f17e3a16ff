/** D1 schema: Harnesses, their stored provider credentials, and agents. */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations } from "./tenancy.ts";

/** Capability ref (Everruns): something the harness's agent can use, with per-harness config. */
export interface CapabilityRef {
  ref: string;
  config?: Record<string, unknown>;
}

/** Starter file copied into the workspace (Everruns `initial_files`). */
export interface InitialFile {
  path: string;
  content: string;
  /** `text` or `base64` (other values, which the Everruns schema allows, are kept and read as text). */
  encoding?: string;
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

/** Open Harness `HarnessConfig` (request-side), plus the harness id at a remote server. */
export interface HarnessConfigJson {
  /** A remote Open Harness server's API base (e.g. `https://other.example/v1`): the harness is then a proxy to it. */
  base_url?: string;
  binary_path?: string;
  skills_path?: string;
  /** The harness's id on the remote server (default: this harness's own id). */
  remote_harness_id?: string;
}

/** A remote harness's capability manifest as last read from the remote (`harnesses.capabilities`). */
export interface RemoteManifestJson {
  capabilities: Record<string, { supported: boolean; operations: string[]; limitations?: string[] }>;
  /** When it was read (ISO 8601). */
  read_at: string;
}

/**
 * A harness: one record serving both the Open Harness view (`/v1`, id = slug) and the Everruns view.
 * `kind` says who executes: `native` (our runtime), `remote` (another Open Harness server, proxied), `registry`
 * (listed only, executes nothing).
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
    /** native | remote (proxies to another Open Harness server) | registry (listed only). */
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
    /** Remote harnesses: the remote's manifest as last read. */
    remoteManifest: text("remote_manifest", { mode: "json" }).$type<RemoteManifestJson | null>(),
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
  /** The package's authentication hint (scheme, header, variable name; never a value). */
  auth?: { type: string; header?: string; env_var?: string };
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
    /** The package's `network_access` (AGENTS.md front matter): narrows the harness's policy for this agent's runs. */
    networkAccess: text("network_access", { mode: "json" }).$type<NetworkAccess | null>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("agents_identity_uq").on(t.harnessId, t.vendorKey, t.agentKey),
    index("agents_org_harness_idx").on(t.orgId, t.harnessId, t.id),
  ],
);
