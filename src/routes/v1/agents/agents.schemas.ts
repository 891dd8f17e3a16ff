import { z } from "@hono/zod-openapi";
import { BooleanQuery, PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { AgentRow } from "../../../services/agents/find.ts";
import type { HarnessRow } from "../../../services/harnesses/find.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";

export const AgentParams = HarnessIdParam.extend({
  agentId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "agentId", in: "path" } }),
});

export const ListAgentsQuery = PaginationQuery;

const ModelConfig = z.object({ provider: z.string(), name: z.string(), embedding: z.string().optional() }).openapi("ModelConfig");

const ToolsAccess = z.strictObject({
  allow: z.array(z.string().min(1).max(200)).max(200).optional(),
  deny: z.array(z.string().min(1).max(200)).max(200).optional(),
});

const AgentConfig = z
  .object({
    model: z.union([z.string(), ModelConfig]).optional(),
    temperature: z.number().optional(),
    max_tokens: z.number().int().optional(),
    system_prompt: z.string().optional(),
    tools_access: z.object({ allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional() }).optional(),
  })
  .openapi("AgentConfig");

const SkillReference = z
  .object({
    skill_id: z.string(),
    version: z.string().optional(),
    required: z.boolean(),
    name: z.string(),
    description: z.string().optional(),
    path: z.string().optional().openapi({ description: "The skill's folder inside the agent's package (as exported)." }),
  })
  .openapi("SkillReference");

const McpServerReference = z
  .object({
    server_id: z.string(),
    tools: z.array(z.string()).optional(),
    required: z.boolean(),
    name: z.string(),
    transport: z.object({ type: z.string(), url: z.string().optional() }).optional(),
    excluded_tools: z.array(z.string()).optional(),
    path: z.string().optional(),
  })
  .openapi("McpServerReference");

export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    vendorKey: z.string(),
    agentKey: z.string(),
    version: z.string(),
    slug: z.string(),
    description: z.string(),
    author: z.string().nullable(),
    license: z.string().nullable(),
    tags: z.array(z.string()),
    skills: z.array(SkillReference),
    mcp_servers: z.array(McpServerReference),
    config: AgentConfig,
    created_at: z.string(),
    updated_at: z.string(),
    harness_id: z.string(),
    model: z.string().nullable().openapi({ description: "config.model as provider/model or alias (reference client field)." }),
    instructions: z.string().openapi({ description: "The AGENTS.md body: the agent's instructions." }),
    package_path: z.string().openapi({ description: 'The agent\'s folder inside its package ("" = root).' }),
  })
  .openapi("Agent");

export const AgentEnvelope = z.object({ agent: AgentSchema }).openapi("AgentResponse");
export const AgentPage = paginated(AgentSchema, "AgentPage");

export const ImportForm = z
  .object({
    bundle: z
      .custom<File>((v) => v instanceof File, { message: "bundle must be a file part (the OAF zip)" })
      .openapi({ type: "string", format: "binary", description: "The Open Agent Format package (zip, ≤ 50 MB)." }),
    rename_to: z.string().min(1).max(100).optional(),
    merge_strategy: z.enum(["fail", "overwrite", "skip"]).default("fail"),
  })
  .openapi("ImportAgentRequest");

export const ImportResponse = z
  .object({
    agent: AgentSchema,
    agents: z.array(AgentSchema).openapi({ description: "Every agent the package held (multi-agent packages)." }),
    warnings: z.array(z.string()),
  })
  .openapi("ImportAgentResponse");

/** The Open Harness `Agent` view (plus harness, instructions and a top-level model). */
export function toAgentView(row: AgentRow, harness: HarnessRow): z.infer<typeof AgentSchema> {
  const model = row.config.model;
  return {
    id: row.id,
    name: row.name,
    vendorKey: row.vendorKey,
    agentKey: row.agentKey,
    version: row.version,
    slug: row.slug,
    description: row.description,
    author: row.author,
    license: row.license,
    tags: row.tags,
    skills: row.skills,
    mcp_servers: row.mcpServers,
    config: row.config,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    harness_id: harness.slug,
    model: model === undefined ? null : typeof model === "string" ? model : `${model.provider}/${model.name}`,
    instructions: row.instructions,
    package_path: row.bundlePath,
  };
}

const FilePart = z
  .custom<File>((v) => v instanceof File, { message: "must be a file part whose file name is its relative path" })
  .openapi({ type: "string", format: "binary" });

/** agents.create as multipart (spec): `files` parts (AGENTS.md at the root; file name = relative path) and a `metadata` JSON part. */
export const CreateAgentForm = z
  .object({
    files: z
      .union([FilePart, z.array(FilePart)])
      .optional()
      .openapi({ description: "AGENTS.md plus supporting files; file name = relative path." }),
    "files[]": z.union([FilePart, z.array(FilePart)]).optional(),
    metadata: z
      .union([z.string().max(10_000), FilePart])
      .optional()
      .openapi({ description: 'JSON {"name": "…", "description": "…"}: override the front matter\'s.' }),
  })
  .openapi("CreateAgentForm");

export const CreateAgentMetadata = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(2000).optional(),
});

/** The reference client's JSON `CreateAgentRequest` (spec §9.1 #5). */
export const CreateAgentJson = z
  .strictObject({
    name: z.string().min(1).max(100),
    model: z.string().min(1).max(200).optional().openapi({ description: "Without one: the harness's default model." }),
    vendorKey: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "kebab-case")
      .max(64)
      .optional(),
    agentKey: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "kebab-case")
      .max(64)
      .optional(),
    version: z.string().min(1).max(64).optional(),
    slug: z.string().min(1).max(130).optional(),
    description: z.string().max(2000).optional(),
    author: z.string().max(200).optional(),
    license: z.string().max(200).optional(),
    tags: z.array(z.string().min(1).max(100)).max(50).optional(),
    system_prompt: z.string().max(200_000).optional().openapi({ description: "config.system_prompt: used instead of the instructions." }),
    instructions: z.string().max(200_000).optional().openapi({ description: "The agent's instructions (an AGENTS.md body)." }),
    skills: z.array(z.string().min(1).max(100)).max(100).optional().openapi({ description: "Harness skills to use (ids or names)." }),
  })
  .openapi("CreateAgentRequest");

export const CreateAgentResponse = z.object({ agent: AgentSchema, warnings: z.array(z.string()) }).openapi("CreateAgentResponse");

const SkillRefInput = z.union([
  z.string().min(1).max(100),
  z.strictObject({
    skill_id: z.string().min(1).max(100),
    version: z.string().min(1).max(100).optional(),
    required: z.boolean().optional(),
  }),
]);

const McpRefInput = z.strictObject({
  server_id: z.string().min(1).max(200),
  name: z.string().min(1).max(200).optional(),
  tools: z.array(z.string().min(1).max(200)).max(500).optional(),
  excluded_tools: z.array(z.string().min(1).max(200)).max(500).optional(),
  required: z.boolean().optional(),
  transport: z.strictObject({ type: z.enum(["http", "sse", "stdio"]), url: z.string().url().max(2048).optional() }).optional(),
});

const ConfigPatch = z.strictObject({
  model: z
    .union([
      z.string().min(1).max(200),
      z.strictObject({ provider: z.string().min(1), name: z.string().min(1), embedding: z.string().optional() }),
    ])
    .nullable()
    .optional(),
  temperature: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.number().int().min(1).max(200_000).nullable().optional(),
  system_prompt: z.string().max(200_000).nullable().optional(),
  tools_access: ToolsAccess.nullable().optional(),
});

export const UpdateAgentBody = z
  .strictObject({
    name: z.string().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    instructions: z.string().max(200_000).optional().openapi({ description: "The AGENTS.md body." }),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, "a semantic version such as 1.2.0")
      .optional(),
    tags: z.array(z.string().min(1).max(100)).max(50).optional(),
    config: ConfigPatch.optional().openapi({ description: "Partial AgentConfig: set fields replace, null clears." }),
    model: z.string().min(1).max(200).optional().openapi({ description: "Same as config.model (reference client)." }),
    system_prompt: z.string().max(200_000).optional().openapi({ description: "Same as config.system_prompt (reference client)." }),
    skills: z
      .array(SkillRefInput)
      .max(100)
      .optional()
      .openapi({ description: "Replaces the agent's skills: ids or names, or {skill_id, version (pin), required}." }),
    mcp_servers: z.array(McpRefInput).max(50).optional().openapi({ description: "Replaces the agent's MCP server references." }),
  })
  .openapi("UpdateAgentRequest");

export const CloneAgentBody = z
  .strictObject({ new_name: z.string().min(1).max(100), include_memory: z.boolean().optional() })
  .openapi("CloneAgentRequest");

export const ExportQuery = z.object({
  include_memory: BooleanQuery.optional().openapi({ type: "string", enum: ["true", "false"] }),
  include_versions: BooleanQuery.optional().openapi({ type: "string", enum: ["true", "false"] }),
  contents_mode: z.enum(["bundled", "referenced"]).optional(),
});
