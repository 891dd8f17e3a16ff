/**
 * What every subagent verb shares (Open Harness domain 9): limits, resolving a subagent in the caller's
 * organization, its status (derived from its latest task's execution, so it can never disagree with it)
 * and the problems the verbs raise.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { RunStatus } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import { executions, subagents } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { findAgent, type AgentRow } from "../agents/find.ts";
import type { AuthedContext } from "../context.ts";
import type { ExecutionRow } from "../executions/find.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";

/** Most subagents one agent may have. */
export const MAX_SUBAGENTS_PER_AGENT = 20;
/** Longest subagent name, in characters (spec subagents.spawn: 1–100). */
export const MAX_SUBAGENT_NAME_CHARS = 100;
/** Longest description, in characters (spec: 1–1000). */
export const MAX_SUBAGENT_DESCRIPTION_CHARS = 1_000;
/** Longest system prompt, in characters. */
export const MAX_SUBAGENT_PROMPT_CHARS = 100_000;
/** Most tool-name patterns in a subagent's tool subset. */
export const MAX_SUBAGENT_TOOL_PATTERNS = 50;
/** Name syntax: letters, digits, spaces, `_`, `.`, `-`, starting with a letter or digit (how the parent's model names it). */
export const SUBAGENT_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u;
/** Tool-name pattern syntax (picomatch globs over tool names). */
export const TOOL_PATTERN = /^[A-Za-z0-9_*?.[\]{}!,-]{1,100}$/;

export type SubagentRow = typeof subagents.$inferSelect;

/** Open Harness `Subagent` status: idle (no task yet), running, completed, failed (its latest task failed or was cancelled). */
export type SubagentStatus = "idle" | "running" | "completed" | "failed";

/** A subagent with its parent and latest task. */
export interface FoundSubagent {
  harness: HarnessRow;
  agent: AgentRow;
  subagent: SubagentRow;
  /** The execution of its latest task (absent: none yet, or its row is still being written). */
  lastExecution?: ExecutionRow;
}

/** The status of a subagent from its latest task's execution status. */
export function subagentStatus(subagent: SubagentRow, last: Pick<ExecutionRow, "status"> | undefined): SubagentStatus {
  if (!subagent.lastExecutionId) return "idle";
  if (!last || last.status === "pending" || last.status === "running") return "running";
  return last.status === "completed" ? "completed" : "failed";
}

/** The base path of an agent's subagents, for problem links. */
export function subagentsPath(harness: HarnessRow, agent: AgentRow): string {
  return `/v1/harnesses/${harness.slug}/agents/${agent.id}/subagents`;
}

/**
 * Resolves `{harnessId}` and `{agentId}` for a subagent operation and checks the harness serves them.
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported` (registry-only harness).
 */
export async function findParentAgent(
  ctx: AuthedContext,
  input: { ref: string; agentId: string; operationId: string },
): Promise<{ harness: HarnessRow; agent: AgentRow }> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  assertCapability(harness, "subagents", "spawn", input.operationId);
  const agent = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  return { harness, agent };
}

/** The latest-task execution rows of `rows`, by id (one query). */
export async function lastExecutions(ctx: AuthedContext, rows: SubagentRow[]): Promise<Map<string, ExecutionRow>> {
  const ids = rows.flatMap((r) => (r.lastExecutionId ? [r.lastExecutionId] : []));
  if (ids.length === 0) return new Map();
  const found = await ctx.db
    .select()
    .from(executions)
    .where(and(eq(executions.orgId, ctx.principal.orgId), inArray(executions.id, ids)));
  return new Map(found.map((e) => [e.id, e]));
}

/** 404 `subagent_not_found`. */
export function subagentNotFound(harness: HarnessRow, agent: AgentRow, subagentId: string): ApiError {
  return new ApiError("subagent_not_found", `Agent ${agent.slug} has no subagent ${subagentId}.`, {
    domain: "subagents",
    details: { subagent_id: subagentId, agent_id: agent.id },
    actions: [{ rel: "list", hint: "List the agent's subagents.", operation_id: "subagents.list", href: subagentsPath(harness, agent) }],
  });
}

/**
 * Resolves a subagent of the agent by id (or by name) in the caller's organization, with its latest task.
 * @throws ApiError `subagent_not_found`, and everything {@link findParentAgent} raises.
 */
export async function findSubagent(
  ctx: AuthedContext,
  input: { ref: string; agentId: string; subagentId: string; operationId: string },
): Promise<FoundSubagent> {
  const { harness, agent } = await findParentAgent(ctx, input);
  const scope = and(eq(subagents.orgId, ctx.principal.orgId), eq(subagents.agentId, agent.id));
  const subagent =
    (await ctx.db
      .select()
      .from(subagents)
      .where(and(scope, eq(subagents.id, input.subagentId)))
      .get()) ??
    (await ctx.db
      .select()
      .from(subagents)
      .where(and(scope, eq(subagents.name, input.subagentId)))
      .get());
  if (!subagent) throw subagentNotFound(harness, agent, input.subagentId);
  const lastExecution = (await lastExecutions(ctx, [subagent])).get(subagent.lastExecutionId ?? "");
  return { harness, agent, subagent, ...(lastExecution ? { lastExecution } : {}) };
}

/** Open Harness `Subagent`, plus its instructions, model, tools and latest task. */
export interface SubagentView {
  id: string;
  name: string;
  description: string;
  status: SubagentStatus;
  parent_agent_id: string;
  created_at: string;
  updated_at: string;
  system_prompt: string | null;
  model: string | null;
  tools: string[] | null;
  skills: string[];
  /** The execution of its latest task (`/executions/{id}`), and that execution's status (spec §9.4 S8). */
  last_execution_id: string | null;
  last_execution_status: RunStatus | null;
}

/** The API view of a subagent. */
export function toSubagentView(subagent: SubagentRow, last: ExecutionRow | undefined): SubagentView {
  return {
    id: subagent.id,
    name: subagent.name,
    description: subagent.description,
    status: subagentStatus(subagent, last),
    parent_agent_id: subagent.agentId,
    created_at: subagent.createdAt,
    updated_at: subagent.updatedAt,
    system_prompt: subagent.systemPrompt,
    model: subagent.model,
    tools: subagent.tools,
    skills: subagent.skills,
    last_execution_id: subagent.lastExecutionId,
    last_execution_status: subagent.lastExecutionId ? ((last?.status ?? "pending") as RunStatus) : null,
  };
}

/** A subagent's instructions: its system prompt, else who it is from its name and description. */
export function subagentInstructions(subagent: SubagentRow): string {
  return (
    subagent.systemPrompt?.trim() ||
    `You are ${subagent.name}, a subagent. ${subagent.description}\n\nDo the task you are given and answer with its result only.`
  );
}
