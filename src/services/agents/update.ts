import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { agents, agentSkills, type AgentConfigJson, type AgentMcpRef } from "../../db/schema.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { builtInReadOnly } from "../harnesses/lifecycle.ts";
import { resolveSkillRefs, type SkillRefInput } from "../skills/resolve.ts";
import { findAgent, type AgentRow } from "./find.ts";
import { assertAgentFree } from "./naming.ts";
import { withSkillRefs } from "./skill-refs.ts";

/** A partial `AgentConfig`: a field set to null is cleared. */
export type AgentConfigPatch = { [K in keyof AgentConfigJson]?: AgentConfigJson[K] | null };

/** Input of {@link updateAgent} (spec agents.update plus what the issue lists: instructions, skills, MCP references). */
export interface UpdateAgentInput {
  ref: string;
  agentId: string;
  name?: string;
  description?: string;
  instructions?: string;
  version?: string;
  tags?: string[];
  config?: AgentConfigPatch;
  /** Replaces the agent's skills (typed ids or names; the agent's own and the harness's). */
  skills?: SkillRefInput[];
  /** Replaces the agent's MCP server references. */
  mcp_servers?: AgentMcpRef[];
}

/** `config` merged with a partial: set fields replace, null fields are removed. */
export function mergeConfig(config: AgentConfigJson, patch: AgentConfigPatch | undefined): AgentConfigJson {
  if (!patch) return config;
  const out: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = value;
  }
  return out as AgentConfigJson;
}

/**
 * agents.update — `PATCH /v1/harnesses/{harnessId}/agents/{agentId}`. Changes the agent's configuration
 * without a new package: name, description, instructions, version, tags, `config` (a partial merge:
 * model, temperature, max_tokens, system_prompt, tools_access; null clears), and replaces its skills and
 * MCP server references when given. Its package is kept; agents.export writes what changed.
 * @throws ApiError `agent_not_found`, `agent_exists` (409: the name is another agent's), `skill_not_found`,
 *   `skill_version_not_found`, `validation_error`, `harness_read_only`, `harness_not_found`, `capability_not_supported`.
 */
export async function updateAgent({
  ctx,
  input,
}: VerbArgs<AuthedContext, UpdateAgentInput>): Promise<{ harness: HarnessRow; agent: AgentRow }> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "agents", "update", "agents.update");
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "modified");
  const agent = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  if (input.name !== undefined && input.name !== agent.name) {
    await assertAgentFree(ctx, harness, { name: input.name, exceptId: agent.id, operation: "agents.update" });
  }
  const refs = input.skills
    ? await resolveSkillRefs(ctx, { harness, agentId: agent.id, refs: input.skills, field: "body.skills", operation: "agents.update" })
    : undefined;
  const changes: Partial<AgentRow> = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.instructions !== undefined ? { instructions: input.instructions } : {}),
    ...(input.version !== undefined ? { version: input.version } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    ...(input.config !== undefined ? { config: mergeConfig(agent.config, input.config) } : {}),
    // Each server's folder is where agents.export writes its configs.
    ...(input.mcp_servers !== undefined
      ? {
          mcpServers: input.mcp_servers.map((m) => ({
            ...m,
            path: agent.bundlePath === "" ? `mcp-configs/${m.name}` : `${agent.bundlePath}/mcp-configs/${m.name}`,
          })),
        }
      : {}),
    updatedAt: nowIso(),
  };
  const statements: BatchItem<"sqlite">[] = [
    ctx.db
      .update(agents)
      .set(changes)
      .where(and(eq(agents.id, agent.id), eq(agents.orgId, ctx.principal.orgId))),
  ];
  if (refs) {
    statements.push(ctx.db.delete(agentSkills).where(eq(agentSkills.agentId, agent.id)));
    const links = refs.map((r, position) => ({
      agentId: agent.id,
      skillId: r.skill.id,
      orgId: ctx.principal.orgId,
      position,
      required: r.required,
      version: r.version,
    }));
    if (links.length > 0) statements.push(ctx.db.insert(agentSkills).values(links));
  }
  const [first, ...rest] = statements;
  await ctx.db.batch([first!, ...rest]);
  const [updated] = await withSkillRefs(ctx, [{ ...agent, ...changes }]);
  return { harness, agent: updated! };
}
