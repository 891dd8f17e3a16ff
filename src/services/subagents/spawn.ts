import { and, count, eq } from "drizzle-orm";
import { subagents } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { parentChain } from "../harnesses/chain.ts";
import { isUniqueViolation } from "../constraint-errors.ts";
import { resolveModelChain } from "../models/resolve.ts";
import {
  findParentAgent,
  MAX_SUBAGENTS_PER_AGENT,
  SUBAGENT_NAME_PATTERN,
  subagentsPath,
  toSubagentView,
  type SubagentView,
} from "./store.ts";

/** Input of {@link spawnSubagent} (spec subagents.spawn, plus `tools`). */
export interface SpawnSubagentInput {
  ref: string;
  agentId: string;
  name: string;
  description: string;
  system_prompt?: string;
  skills?: string[];
  model?: string;
  /** Tool-name patterns: the subagent gets only the parent's tools matching one of them. */
  tools?: string[];
}

/**
 * subagents.spawn — a new subagent of the agent (status `idle`): its own instructions, model and tool
 * subset; names are unique per agent (how the parent's model addresses it). The model is checked now,
 * so a subagent is never created with a model its tasks could not use.
 * @throws ApiError `subagent_exists` (409), `validation_error` (400: name, skills, more than
 *   {@link MAX_SUBAGENTS_PER_AGENT} subagents), `model_not_available`, `harness_not_found`, `agent_not_found`.
 */
export async function spawnSubagent({ ctx, input }: VerbArgs<AuthedContext, SpawnSubagentInput>): Promise<SubagentView> {
  const { harness, agent } = await findParentAgent(ctx, { ref: input.ref, agentId: input.agentId, operationId: "subagents.spawn" });
  if (!SUBAGENT_NAME_PATTERN.test(input.name)) {
    throw new ApiError("validation_error", "body.name: letters, digits, spaces, _ . or -, starting with a letter or digit.", {
      details: { field: "body.name" },
    });
  }
  if (input.skills && input.skills.length > 0) {
    throw new ApiError("validation_error", "body.skills: skills cannot be given to subagents on this deployment yet; omit skills.", {
      details: { field: "body.skills" },
      actions: [{ rel: "fix-input", hint: "Omit skills." }],
    });
  }
  if (input.model) {
    const model = await resolveModelChain(ctx, {
      orgId: ctx.principal.orgId,
      harness,
      parents: await parentChain(ctx, harness),
      agentConfig: agent.config,
      requestModel: input.model,
    });
    if (!model.ok) {
      throw new ApiError("model_not_available", `${model.detail} Set ${model.setting}.`, {
        domain: "subagents",
        operation: "subagents.spawn",
        details: { field: "body.model", model: model.modelId, setting: model.setting },
        actions: [{ rel: "fix-input", hint: "Name a model this deployment can call, or omit model to use the agent's." }],
      });
    }
  }
  const [existing] = await ctx.db
    .select({ n: count() })
    .from(subagents)
    .where(and(eq(subagents.orgId, ctx.principal.orgId), eq(subagents.agentId, agent.id)));
  if ((existing?.n ?? 0) >= MAX_SUBAGENTS_PER_AGENT) {
    throw new ApiError("validation_error", `An agent may have at most ${MAX_SUBAGENTS_PER_AGENT} subagents; terminate one first.`, {
      details: { max_subagents: MAX_SUBAGENTS_PER_AGENT },
      actions: [{ rel: "list", operation_id: "subagents.list", href: subagentsPath(harness, agent) }],
    });
  }
  const now = nowIso();
  try {
    const [row] = await ctx.db
      .insert(subagents)
      .values({
        id: newId("subagent"),
        orgId: ctx.principal.orgId,
        harnessId: harness.id,
        agentId: agent.id,
        name: input.name,
        description: input.description,
        systemPrompt: input.system_prompt ?? null,
        model: input.model ?? null,
        tools: input.tools ?? null,
        skills: [],
        lastExecutionId: null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return toSubagentView(row!, undefined);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new ApiError("subagent_exists", `Agent ${agent.slug} already has a subagent named "${input.name}".`, {
      domain: "subagents",
      details: { field: "body.name", name: input.name },
      actions: [
        {
          rel: "get-existing",
          operation_id: "subagents.get",
          href: `${subagentsPath(harness, agent)}/${encodeURIComponent(input.name)}`,
        },
      ],
    });
  }
}
