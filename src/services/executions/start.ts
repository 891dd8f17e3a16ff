import { and, eq } from "drizzle-orm";
import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { ChargedMetering, RunMetering, RunSpec } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import { executions, sessions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { approxTokens } from "../../lib/tokens.ts";
import { ASK_USER_TOOL, inputTimeoutSeconds } from "../../runtime/tools/builtin/ask-user.ts";
import { findAgent, type AgentRow } from "../agents/find.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { mergedCapabilityRefs, parentChain, stackedSystemPrompt } from "../harnesses/chain.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertNotArchived } from "../harnesses/lifecycle.ts";
import { chargeRequest } from "../limits/quota.ts";
import { resolveSkillRefs } from "../skills/resolve.ts";
import { resolveModelChain, type InlineCredentials } from "../models/resolve.ts";
import { seedStarterFiles } from "../files/starter-files.ts";
import { networkPolicyLayers } from "../network/policy.ts";
import { sessionWorkspacePrefix, workspacePrefix } from "../storage/keys.ts";

/** Open Harness `ExecuteRequest` (spec §4 domain 6) plus the route guide's `harness_credentials`. */
export interface ExecuteInput {
  message: string;
  agent_id?: string;
  skills?: string[];
  model?: string;
  max_tokens?: number;
  temperature?: number;
  system_prompt?: string;
  session_id?: string;
  harness_credentials?: InlineCredentials;
}

/** A subagent a run is a task of: its id, instructions, model and tool subset (`services/subagents/`). */
export interface SubagentRunSpec {
  id: string;
  /** Its instructions: they stand in for the agent's in the system prompt. */
  instructions: string;
  /** Its model, before the agent's along the resolution order (a request `model` still wins). */
  model?: string | null;
  /** Tool-name patterns narrowing the run's tools (`toolsAccess.only`); null/absent: all of them. */
  tools?: string[] | null;
}

/** Input of {@link startExecution}. `session` is set only by a `Session` object starting one of its turns. */
export interface StartExecutionInput {
  ref: string;
  operationId: "execution.run" | "execution.stream" | "sessions.turn" | "subagents.delegate" | "subagents.delegateStream";
  body: ExecuteInput;
  session?: {
    id: string;
    /** Earlier messages of the session, oldest first. */
    history: { role: "user" | "assistant"; content: string }[];
    /** Pre-assigned execution id, so the session knows its turn before the run emits anything. */
    executionId: string;
  };
  /**
   * Whom to charge and record the run for, when the starter knows better than the principal: a session
   * turn carries what the request that queued it decided (`charged: true` — that request was charged
   * already; a WebSocket turn carries nothing and is charged to the session's owner here), a task the
   * assistant delegates carries its own chat's subject. Absent for external callers: the principal is
   * charged (surface `execution`).
   */
  metering?: ChargedMetering;
  /** Pre-assigned execution id (a delegated task derives it from its parent's tool call, so a redone call starts nothing new). */
  executionId?: string;
  /** Set for a delegated run: the run that delegated it (null: a client delegated it) and how deep it is. */
  delegation?: { parentExecutionId: string | null; depth: number };
  /** Set for a subagent's task. */
  subagent?: SubagentRunSpec;
}

/** Model steps a run may take before it is stopped with `max_steps_exceeded`. */
export const DEFAULT_MAX_STEPS = 16;

/** Context windows (tokens) by provider, for the `context_length_exceeded` pre-check. */
const CONTEXT_WINDOW_TOKENS: Record<string, number> = {
  anthropic: 200_000,
  openai: 128_000,
  "openai-compatible": 128_000,
  "workers-ai": 32_000,
  scripted: 1_000_000,
};

/** What a started execution is: its id and where its harness lives. */
export interface StartedExecution {
  executionId: string;
  harness: HarnessRow;
  status: "pending";
}

function agentSystemPrompt(agent: AgentRow): string {
  return agent.config.system_prompt?.trim() || agent.instructions.trim();
}

/**
 * Whom a run is charged to and recorded for: the starter's explicit metering; else, for a session turn
 * started by its Session object (an internal principal), the session's owner; else the request's
 * charge so far (an MCP tool call charged as `mcp`) or the principal itself.
 */
async function runMetering(ctx: AuthedContext, input: StartExecutionInput): Promise<RunMetering> {
  if (input.metering) return { subject: input.metering.subject, surface: input.metering.surface };
  if (ctx.principal.via === "internal" && input.session) {
    const row = await ctx.db
      .select({ owner: sessions.ownerSubject })
      .from(sessions)
      .where(and(eq(sessions.id, input.session.id), eq(sessions.orgId, ctx.principal.orgId)))
      .get();
    if (row?.owner) return { subject: row.owner, surface: "execution" };
  }
  return ctx.meter?.charged ?? { subject: ctx.principal.subject, surface: "execution" };
}

/** What a run is resolved to before anything is written: harness chain, agent, model and system prompt. */
interface ResolvedRun {
  harness: HarnessRow;
  parents: HarnessRow[];
  agent: AgentRow | undefined;
  model: Extract<Awaited<ReturnType<typeof resolveModelChain>>, { ok: true }>;
  system: string;
  /** Skills the request enabled (ids). */
  skillIds: string[];
}

/**
 * Resolves harness, agent, model (request > agent > harness > parents > organization > deployment) and
 * the system prompt stack, and checks the context window — everything that can refuse the request.
 * @throws ApiError `harness_not_found`, `harness_archived` (409), `capability_not_supported`, `agent_not_found`, `validation_error`,
 *   `skill_not_found` (404, naming every unknown skill), `skill_version_not_found`, `model_not_available`, `context_length_exceeded`
 */
async function resolveRun(ctx: AuthedContext, input: StartExecutionInput): Promise<ResolvedRun> {
  const { body } = input;
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  assertNotArchived(harness, input.operationId === "sessions.turn" ? "sessions.sendMessage" : input.operationId);
  assertCapability(
    harness,
    "execution",
    input.operationId === "execution.stream" || input.operationId === "subagents.delegateStream" ? "stream" : "sync",
    input.operationId === "sessions.turn" ? "execution.run" : input.operationId,
  );
  const [agent, parents] = await Promise.all([
    body.agent_id ? findAgent({ ctx, input: { harness, agentId: body.agent_id } }) : undefined,
    parentChain(ctx, harness),
  ]);
  // Enabled besides the agent's and the harness's: typed ids or names (the agent's own, then the harness's).
  const skillIds = (
    await resolveSkillRefs(ctx, {
      harness,
      agentId: agent?.id ?? null,
      refs: (body.skills ?? []).map((skill_id) => ({ skill_id })),
      field: "body.skills",
      operation: input.operationId,
    })
  ).map((r) => r.skill.id);
  const networkLayers = await networkPolicyLayers(ctx, {
    harness,
    parents,
    agentId: agent?.id ?? null,
    sessionId: input.session?.id ?? null,
  });
  const model = await resolveModelChain(ctx, {
    networkLayers,
    orgId: ctx.principal.orgId,
    harness,
    parents,
    ...(agent ? { agentConfig: agent.config } : {}),
    ...(body.model ? { requestModel: body.model } : input.subagent?.model ? { requestModel: input.subagent.model } : {}),
    ...(body.harness_credentials ? { inline: body.harness_credentials } : {}),
  });
  if (!model.ok) {
    throw new ApiError("model_not_available", `${model.detail} Set ${model.setting}.`, {
      domain: "execution",
      operation: input.operationId,
      details: { model: model.modelId, setting: model.setting },
      actions: [
        { rel: "fix-input", hint: "Pass a model this deployment can call in `model`, e.g. scripted/echo." },
        { rel: "configure", hint: `Set ${model.setting}.` },
      ],
    });
  }
  // A subagent's instructions stand in for its agent's.
  const system = [
    ...stackedSystemPrompt(harness, parents),
    ...(input.subagent ? [input.subagent.instructions] : agent ? [agentSystemPrompt(agent)] : []),
    ...(body.system_prompt ? [body.system_prompt] : []),
  ].join("\n\n");
  assertFitsContext(input, model.modelId, model.provider, system);
  return { harness, parents, agent, model, system, skillIds };
}

/** @throws ApiError `context_length_exceeded` when system prompt, history and message outgrow the model's window. */
function assertFitsContext(input: StartExecutionInput, modelId: string, provider: string, system: string): void {
  const window = CONTEXT_WINDOW_TOKENS[provider] ?? 128_000;
  const historyChars = (input.session?.history ?? []).reduce((n, m) => n + m.content.length, 0);
  const needed = approxTokens(system.length + input.body.message.length + historyChars);
  if (needed <= window) return;
  throw new ApiError(
    "context_length_exceeded",
    `The system prompt and message need about ${needed} tokens; ${modelId} accepts about ${window}.`,
    {
      domain: "execution",
      operation: input.operationId,
      details: { estimated_tokens: needed, context_window_tokens: window },
      actions: [{ rel: "fix-input", hint: "Shorten the message or the system prompt." }],
    },
  );
}

/** The run's spec: everything its `ExecutionRun` needs, fixed at start. */
function runSpec(
  ctx: AuthedContext,
  input: StartExecutionInput,
  run: ResolvedRun,
  ids: { executionId: string; startedAt: string },
  metering: RunMetering,
): RunSpec {
  const { body } = input;
  const { harness, agent, model } = run;
  const toolRefs = mergedCapabilityRefs(harness, run.parents);
  return {
    executionId: ids.executionId,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    harnessSlug: harness.slug,
    agentId: agent?.id ?? null,
    sessionId: input.session?.id ?? null,
    message: body.message,
    ...(input.session ? { history: input.session.history } : {}),
    inputTimeoutSeconds: inputTimeoutSeconds(toolRefs.find((r) => r.ref === ASK_USER_TOOL)?.config),
    system: run.system,
    model: {
      modelId: model.modelId,
      provider: model.provider,
      model: model.model,
      keySource: model.keySource,
      ...(model.baseUrl ? { baseUrl: model.baseUrl } : {}),
    },
    ...(model.keySource === "handed" && model.apiKey ? { apiKey: model.apiKey } : {}),
    toolRefs,
    ...(run.skillIds.length > 0 ? { skills: run.skillIds } : {}),
    ...(agent?.config.tools_access || input.subagent?.tools
      ? { toolsAccess: { ...agent?.config.tools_access, ...(input.subagent?.tools ? { only: input.subagent.tools } : {}) } }
      : {}),
    maxSteps: DEFAULT_MAX_STEPS,
    ...(body.temperature !== undefined
      ? { temperature: body.temperature }
      : agent?.config.temperature !== undefined
        ? { temperature: agent.config.temperature }
        : {}),
    ...(body.max_tokens !== undefined
      ? { maxOutputTokens: body.max_tokens }
      : agent?.config.max_tokens !== undefined
        ? { maxOutputTokens: agent.config.max_tokens }
        : {}),
    workspacePrefix: input.session
      ? sessionWorkspacePrefix(ctx.principal.orgId, harness.id, input.session.id)
      : workspacePrefix(ctx.principal.orgId, harness.id),
    startedAt: ids.startedAt,
    metering,
    ...(input.session ? { observers: [{ binding: "SESSION" as const, name: input.session.id }] } : {}),
    ...(input.delegation ? { parentExecutionId: input.delegation.parentExecutionId, delegationDepth: input.delegation.depth } : {}),
    ...(input.subagent ? { subagentId: input.subagent.id } : {}),
  };
}

/**
 * Hands the run to its `ExecutionRun` while its D1 index row is written — at the same time: the row is
 * inserted only if absent, and the run writes its own state into it with upserts, so whichever lands
 * first, the row ends up right.
 * @throws ApiError `upstream_unavailable` when either could not be written (the other is undone).
 */
async function launch(ctx: AuthedContext, spec: RunSpec): Promise<void> {
  const stub = executionRunStub(ctx.env, spec.executionId);
  const [indexed, started] = await Promise.allSettled([
    ctx.db.insert(executions).values(indexRow(spec)).onConflictDoNothing(),
    stub.start(spec),
  ]);
  if (indexed.status === "fulfilled" && started.status === "fulfilled") return;
  const cause = started.status === "rejected" ? started.reason : (indexed as PromiseRejectedResult).reason;
  if (started.status === "fulfilled") await stub.cancel().catch(() => {});
  if (indexed.status === "fulfilled") {
    await ctx.db
      .update(executions)
      .set({ status: "failed", errorCode: "start_failed", completedAt: nowIso() })
      .where(eq(executions.id, spec.executionId));
  }
  throw new ApiError("upstream_unavailable", "The execution could not be started; retry shortly.", { cause, retryAfterSeconds: 1 });
}

/** The D1 index row of a run as it starts (`pending`); the run keeps it current from then on. */
export function indexRow(spec: RunSpec): typeof executions.$inferInsert {
  return {
    id: spec.executionId,
    orgId: spec.orgId,
    harnessId: spec.harnessId,
    agentId: spec.agentId,
    sessionId: spec.sessionId,
    status: "pending",
    model: spec.model.modelId,
    messagePreview: spec.message.slice(0, 500),
    progress: null,
    usage: null,
    artifactsCount: 0,
    errorCode: null,
    startedAt: spec.startedAt,
    completedAt: null,
    parentExecutionId: spec.parentExecutionId ?? null,
    subagentId: spec.subagentId ?? null,
  };
}

/**
 * execution.run / execution.stream — starts a run on a native harness and returns at once; the
 * `ExecutionRun` Durable Object runs it. Everything that can refuse the request is resolved before
 * anything is written (`resolveRun`), so a bad request leaves nothing behind. Then charges the request
 * (`services/limits/quota.ts`, surface `execution`) unless `input.metering.charged` says it was charged
 * already, and records in the run's spec whom its token usage is for.
 * @throws ApiError `harness_not_found`, `harness_archived` (409), `capability_not_supported` (501, registry-only harness),
 *   `agent_not_found`, `skill_not_found`, `validation_error` (another agent's skill), `model_not_available`,
 *   `context_length_exceeded`, `rate_limited` (429, daily quota or token budget),
 *   `upstream_unavailable` when the run could not be handed to its object.
 */
export async function startExecution({ ctx, input }: VerbArgs<AuthedContext, StartExecutionInput>): Promise<StartedExecution> {
  const run = await resolveRun(ctx, input);
  const metering = await runMetering(ctx, input);
  if (!input.metering?.charged) await chargeRequest({ ctx, input: { surface: metering.surface, subject: metering.subject } });
  const executionId = input.session?.executionId ?? input.executionId ?? newId("execution");
  // A run without a session works in the harness workspace: restore the starter files it is missing.
  if (!input.session) {
    await seedStarterFiles(ctx, {
      harness: run.harness,
      parents: run.parents,
      prefix: workspacePrefix(ctx.principal.orgId, run.harness.id),
      onlyMissing: true,
    });
  }
  await launch(ctx, runSpec(ctx, input, run, { executionId, startedAt: nowIso() }, metering));
  return { executionId, harness: run.harness, status: "pending" };
}
