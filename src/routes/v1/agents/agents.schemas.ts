import { z } from "@hono/zod-openapi";
import { PaginationQuery, paginated } from "../../../openapi/schemas.ts";
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
    path: z.string().optional().openapi({ description: "The skill directory inside the stored package." }),
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
