import { z } from "@hono/zod-openapi";
import { starterFileProblem } from "../../../services/files/starter-files.ts";
import { invalidHostPattern, MAX_HOST_PATTERN_CHARS, MAX_HOST_PATTERNS } from "../../../lib/network-policy.ts";
import { PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import { capabilityManifest } from "../../../services/harnesses/capabilities.ts";
import type { HarnessRow } from "../../../services/harnesses/find.ts";
import { MAX_HARNESS_ID_CHARS } from "../../../services/harnesses/register.ts";
import { MAX_MODEL_ID_CHARS, MAX_SYSTEM_PROMPT_CHARS } from "../../../lib/limits.ts";

/** Kebab-case: lowercase letters and digits in hyphen-separated runs (harness ids). */
export const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Longest `mcpServers` key, in characters. */
export const MAX_MCP_SERVER_KEY_CHARS = 64;

/**
 * An `mcpServers` key: any name a common MCP client config uses (`myServer`, `brave_search`,
 * `brave-search`, `server.v2`): ASCII letters, digits, `_`, `-` and `.`, starting with a letter or
 * digit, 1–64 characters.
 */
export const McpServerKey = z
  .string()
  .max(MAX_MCP_SERVER_KEY_CHARS, `must be at most ${MAX_MCP_SERVER_KEY_CHARS} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be ASCII letters, digits, _, - or ., starting with a letter or digit")
  .openapi({
    description: `Server name as in common MCP client configs: ASCII letters, digits, _, - and ., starting with a letter or digit, 1–${MAX_MCP_SERVER_KEY_CHARS} characters.`,
  });

export const ExecutionType = z.enum(["hosted", "sdk", "ide"]).openapi("ExecutionType");
export const HarnessStatus = z.enum(["active", "beta", "coming_soon", "maintenance", "deprecated"]).openapi("HarnessStatus");

export const HarnessIdParam = z.object({
  harnessId: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: "harnessId", in: "path" },
      description: "Harness slug (Open Harness id) or typed `harness_…` id.",
      example: "research",
    }),
});

const DomainCapability = z
  .object({ supported: z.boolean(), operations: z.array(z.string()), limitations: z.array(z.string()).optional() })
  .openapi("DomainCapability");

export const CapabilityManifestSchema = z
  .object({
    agents: DomainCapability,
    skills: DomainCapability,
    mcp: DomainCapability,
    execution: DomainCapability,
    sessions: DomainCapability,
    memory: DomainCapability,
    subagents: DomainCapability,
    files: DomainCapability,
    hooks: DomainCapability,
    planning: DomainCapability,
    models: DomainCapability,
  })
  .openapi("CapabilityManifest");

const HarnessConfig = z
  .object({
    base_url: z.url().max(2048).optional().openapi({
      description:
        "A remote Open Harness server's API base (e.g. https://other.example/v1): a hosted harness with one proxies to that server (store its key with validate-credentials).",
    }),
    binary_path: z.string().max(1024).optional(),
    skills_path: z.string().max(1024).optional(),
    remote_harness_id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/)
      .max(64)
      .optional()
      .openapi({ description: "The harness's id on the remote server (default: this harness's own id)." }),
  })
  .strict()
  .openapi("HarnessConfig");

export const CapabilityRef = z
  .object({ ref: z.string().min(1).max(100), config: z.record(z.string(), z.unknown()).optional() })
  .strict()
  .openapi("CapabilityRef");

export const InitialFile = z
  .object({
    path: z.string().min(1).max(1024),
    content: z.string().max(1_000_000),
    encoding: z.string().min(1).max(32).optional().openapi({
      description:
        "`text` (default) or `base64`; the Everruns schema types it as a plain string, so another value is kept as sent and read as text.",
    }),
    is_readonly: z.boolean().optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const problem = starterFileProblem(file);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.includes("base64") ? "content" : "path"], message: problem });
  })
  .openapi("InitialFile");

export const ScopedMcpServer = z
  .object({
    type: z.literal("http").optional(),
    url: z.string().min(1).max(2048).openapi({
      description:
        "The server's URL. Kept as written; a value that is not an absolute http(s) URL leaves the connection in status `error` saying so (see mcp.list).",
    }),
    auth_mode: z.enum(["none", "api_key", "o_auth"]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    oauth_provider_id: z.string().nullable().optional(),
    tool_discovery: z.boolean().optional(),
  })
  .openapi("ScopedMcpServer");

/** A host pattern of a network policy (`lib/network-policy.ts`): host, `*.domain`, `*`, optional `:port`, or an origin. */
const HostPattern = z
  .string()
  .max(MAX_HOST_PATTERN_CHARS)
  .superRefine((value, ctx) => {
    const problem = invalidHostPattern(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const NetworkAccess = z
  .object({
    allowed: z.array(HostPattern).max(MAX_HOST_PATTERNS).optional(),
    blocked: z.array(HostPattern).max(MAX_HOST_PATTERNS).optional(),
  })
  .strict()
  .openapi("NetworkAccess", {
    description:
      "Hosts outbound calls a user controls may reach (MCP servers, webhook tools, web_fetch, provider base URLs, every redirect hop): `example.com`, `*.example.com`, `*`, optionally `:port`, or an origin such as `https://api.acme.com/`. Layers only narrow: allowed lists intersect, blocked lists union.",
  });

/** The native-harness fields (Everruns create request), with their bounds; shared by both harness views. */
export const nativeFields = {
  kind: z.enum(["native", "remote", "registry"]).optional().openapi({
    description: "Who executes: the native runtime, or nobody (listed only). Derived from execution_type and config.base_url when absent.",
  }),
  system_prompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).optional(),
  capability_refs: z
    .array(CapabilityRef)
    .max(50)
    .optional()
    .openapi({ description: "What the harness's agent can use (Everruns `capabilities`)." }),
  default_model_id: z.string().min(1).max(MAX_MODEL_ID_CHARS).nullable().optional(),
  initial_files: z.array(InitialFile).max(100).optional(),
  mcpServers: z
    .record(McpServerKey, ScopedMcpServer)
    .optional()
    .openapi({
      description: `Remote MCP servers by name. Names: ASCII letters, digits, _, - and ., starting with a letter or digit, 1–${MAX_MCP_SERVER_KEY_CHARS} characters (\`myServer\`, \`brave_search\`).`,
    }),
  network_access: NetworkAccess.nullable().optional(),
  parent_harness_id: z.string().min(1).max(64).nullable().optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
};

export const RegisterHarnessBody = z
  .object({
    id: z
      .string()
      .min(1)
      .max(MAX_HARNESS_ID_CHARS)
      .regex(KEBAB, "must be kebab-case: lowercase letters, digits and single hyphens")
      .optional()
      .openapi({
        example: "research",
        description:
          "The HarnessId. Derived from `name` when absent (`Claude Code` → `claude-code`), as the reference TypeScript client registers.",
      }),
    name: z.string().min(1).max(100),
    vendor: z.string().min(1).max(100),
    version: z.string().min(1).max(100).optional().openapi({ description: "The vendor's version of the harness, stored and echoed." }),
    description: z.string().min(1).max(1000).optional().openapi({ description: "Empty when absent." }),
    execution_type: ExecutionType.default("hosted"),
    config: HarnessConfig.default({}),
    status: HarnessStatus.optional(),
    capabilities: z
      .array(z.string())
      .max(0, "is derived from what this deployment serves (harnesses.capabilities); send [] or nothing, and capability_refs for tools")
      .optional()
      .openapi({ description: "Reference-client field: only `[]` is accepted — the manifest is derived, never declared." }),
    credentials: z
      .unknown()
      .refine(
        (v) => v === undefined,
        "is not taken at registration: check and store a provider key with harnesses.validateCredentials (store: true)",
      )
      .optional()
      .openapi({ description: "Reference-client field, refused: use harnesses.validateCredentials with `store: true`." }),
    ...nativeFields,
  })
  .strict()
  .openapi("RegisterHarnessRequest");

export const UpdateHarnessBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    version: z.string().min(1).max(100).optional(),
    description: z.string().min(1).max(1000).optional(),
    config: HarnessConfig.partial().optional(),
    status: HarnessStatus.optional(),
    ...nativeFields,
  })
  .omit({ kind: true })
  .strict()
  .openapi("UpdateHarnessRequest");

export const ListHarnessesQuery = PaginationQuery.extend({
  status: HarnessStatus.optional(),
  execution_type: ExecutionType.optional(),
});

export const HarnessSchema = z
  .object({
    id: z.string().openapi({ description: "Open Harness id: the kebab-case slug." }),
    name: z.string(),
    vendor: z.string(),
    version: z.string().nullable().openapi({ description: "The vendor's version of the harness, when registered with one." }),
    description: z.string(),
    execution_type: ExecutionType,
    status: HarnessStatus,
    capabilities: CapabilityManifestSchema,
    created_at: z.string(),
    updated_at: z.string(),
    uid: z.string().openapi({ description: "Typed id (`harness_` + 32 hex); accepted wherever {harnessId} is." }),
    kind: z.enum(["native", "remote", "registry"]),
    lifecycle: z.enum(["active", "archived", "deleted"]),
    config: HarnessConfig,
    system_prompt: z.string(),
    capability_refs: z.array(CapabilityRef),
    default_model_id: z.string().nullable(),
    initial_files: z.array(InitialFile),
    mcpServers: z.record(z.string(), ScopedMcpServer),
    network_access: NetworkAccess.nullable(),
    parent_harness_id: z.string().nullable(),
    tags: z.array(z.string()),
    is_built_in: z.boolean(),
    self_url: z.string(),
  })
  .openapi("Harness");

export const HarnessEnvelope = z.object({ harness: HarnessSchema }).openapi("HarnessResponse");
export const HarnessPage = paginated(HarnessSchema, "HarnessPage");

export const CapabilitiesResponse = z
  .object({ harness_id: z.string(), harness_name: z.string(), version: z.string(), capabilities: CapabilityManifestSchema })
  .openapi("CapabilitiesResponse");

export const HealthResponse = z
  .object({
    status: z.enum(["healthy", "degraded", "unhealthy"]),
    healthy: z.boolean().openapi({ description: "status !== unhealthy (reference client field)." }),
    latency_ms: z.number(),
    version: z.string().optional(),
    checks: z.array(
      z.object({ name: z.string(), status: z.enum(["pass", "fail"]), message: z.string().optional() }).openapi("HealthCheck"),
    ),
  })
  .openapi("HealthResponse");

export const ValidateCredentialsBody = z
  .object({
    api_key: z.string().min(1).max(1000),
    base_url: z.url().max(2048).optional(),
    store: z.boolean().default(false),
    provider: z.enum(["anthropic", "openai", "openai-compatible", "openharness"]).optional().openapi({
      description:
        "Which provider the key is for; inferred from the harness's default model or the key when absent. `openharness`: the remote server's key of a remote harness (the default for those).",
    }),
  })
  .strict()
  .openapi("ValidateCredentialsRequest");

export const ValidateCredentialsResponse = z
  .object({ valid: z.boolean(), stored: z.boolean(), provider: z.string(), error: z.string().optional() })
  .openapi("ValidateCredentialsResponse");

/** The Open Harness view of a harness row (plus the native-harness fields). */
export function toHarnessView(row: HarnessRow, origin: string): z.infer<typeof HarnessSchema> {
  return {
    id: row.slug,
    name: row.displayName,
    vendor: row.vendor,
    version: row.version,
    description: row.description,
    execution_type: row.executionType as z.infer<typeof ExecutionType>,
    status: row.availability as z.infer<typeof HarnessStatus>,
    capabilities: capabilityManifest(row),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    uid: row.id,
    kind: row.kind as "native" | "remote" | "registry",
    lifecycle: row.lifecycle as "active" | "archived" | "deleted",
    config: row.config,
    system_prompt: row.systemPrompt,
    capability_refs: row.capabilityRefs,
    default_model_id: row.defaultModelId,
    initial_files: row.initialFiles,
    mcpServers: row.mcpServers,
    network_access: row.networkAccess,
    parent_harness_id: row.parentHarnessId,
    tags: row.tags,
    is_built_in: row.isBuiltIn,
    self_url: `${origin}/v1/harnesses/${row.slug}`,
  };
}
