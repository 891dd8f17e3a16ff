/**
 * The {@link OrgPort} a run's tools act through: the organization-scoped verbs behind the assistant's
 * `org_insights` and `delegate_task` tools, bound to one organization and to whom the run is charged.
 * Every verb filters by the context's organization; expected failures reach the model as ToolErrors.
 */
import { ToolError } from "../../runtime/tools/contract.ts";
import type { DelegationResult, OrgPort } from "../../runtime/tools/ports.ts";
import { DELEGATE_TASK_REF } from "../../runtime/tools/builtin/delegate-task.ts";
import { listOrganizationAgents, recentExecutions } from "../assistant/insights.ts";
import type { AuthedContext, UsageSurface } from "../context.ts";
import { mergedCapabilityRefs, parentChain } from "../harnesses/chain.ts";
import { findHarness } from "../harnesses/find.ts";
import { listHarnesses } from "../harnesses/list.ts";
import { usageToday } from "../limits/usage.ts";
import { awaitDelegatedRun, startDelegatedRun } from "../subagents/delegation.ts";
import { asTool } from "./as-tool.ts";

/** Characters of an execution's task shown per item. */
const TASK_PREVIEW_CHARS = 200;

/** The run the port serves (absent outside a run): delegated tasks become its children. */
export interface OrgPortRun {
  executionId: string;
  /** The run's delegation depth (0: started by a client). */
  depth: number;
}

/**
 * The organization verbs for a run of `ctx`'s organization, charged to `metering.subject` through
 * `metering.surface` (delegated runs are recorded for the same subject and not charged as a new request).
 * With `run`, delegated tasks are children of that run (`parent_execution_id`; cancelled with it).
 */
export function createOrgPort(ctx: AuthedContext, metering: { subject: string; surface: UsageSurface }, run?: OrgPortRun): OrgPort {
  return {
    listHarnesses: ({ limit }) =>
      asTool(async () => {
        const page = await listHarnesses({ ctx, input: { limit, offset: 0 } });
        return {
          total: page.total,
          harnesses: page.items.map((h) => ({
            id: h.slug,
            name: h.displayName,
            description: h.description,
            kind: h.kind,
            status: h.availability,
            built_in: h.isBuiltIn,
            default_model: h.defaultModelId,
          })),
        };
      }),

    listAgents: ({ harness, limit }) =>
      asTool(async () => {
        const found = await listOrganizationAgents({ ctx, input: { limit, ...(harness ? { harness } : {}) } });
        return {
          total: found.total,
          agents: found.items.map(({ agent, harnessSlug }) => ({
            id: agent.id,
            name: agent.name,
            slug: agent.slug,
            harness_id: harnessSlug,
            version: agent.version,
            description: agent.description,
          })),
        };
      }),

    recentExecutions: ({ harness, status, limit }) =>
      asTool(async () => {
        const found = await recentExecutions({ ctx, input: { limit, ...(harness ? { harness } : {}), ...(status ? { status } : {}) } });
        return {
          total: found.total,
          executions: found.items.map(({ execution, harnessSlug }) => ({
            id: execution.id,
            harness_id: harnessSlug,
            agent_id: execution.agentId,
            status: execution.status,
            model: execution.model,
            task: execution.messagePreview.slice(0, TASK_PREVIEW_CHARS),
            started_at: execution.startedAt,
            completed_at: execution.completedAt,
            usage: execution.usage,
          })),
        };
      }),

    usageToday: () =>
      asTool(async () => {
        const today = await usageToday({ ctx, input: { subject: metering.subject } });
        return {
          date: today.date,
          resets_at: today.resetsAt,
          requests: { you: today.requests.caller, organization: today.requests.organization, quota_per_user: today.requests.quotaPerUser },
          tokens: { used: today.tokens.used, budget: today.tokens.budget },
        };
      }),

    delegate: (input) => asTool(() => delegate(ctx, metering, run, input)),
  };
}

/**
 * Starts the task on the target harness in the run's organization and waits for it — a delegated run
 * like a subagent's task (`services/subagents/delegation.ts`): a child of the calling run, charged to its
 * subject and organization budget, cancelled with it. A harness that can itself delegate (it has the
 * `delegate_task` ref, e.g. the assistant or a copy) is refused, so delegation never recurses.
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported`, `model_not_available`, `rate_limited`, …
 * @throws ToolError `delegation_refused`
 */
async function delegate(
  ctx: AuthedContext,
  metering: { subject: string; surface: UsageSurface },
  run: OrgPortRun | undefined,
  input: { harness: string; agent?: string; task: string; waitSeconds: number; signal?: AbortSignal; toolCallId?: string },
): Promise<DelegationResult> {
  const harness = await findHarness({ ctx, input: { ref: input.harness } });
  const refs = mergedCapabilityRefs(harness, await parentChain(ctx, harness));
  if (refs.some((r) => r.ref === DELEGATE_TASK_REF)) {
    throw new ToolError(
      "delegation_refused",
      `${harness.slug} delegates tasks itself; hand tasks only to specialists (harnesses without ${DELEGATE_TASK_REF}).`,
    );
  }
  const started = await startDelegatedRun({
    ctx,
    input: {
      ref: harness.id,
      ...(input.agent ? { agentId: input.agent } : {}),
      task: input.task,
      operationId: "execution.run",
      // Outside a run (no execution to be the parent) the task is still charged to the caller, uncounted as a request.
      parent: {
        executionId: run?.executionId ?? null,
        depth: run?.depth ?? 0,
        metering,
        ...(run && input.toolCallId ? { toolCallId: input.toolCallId } : {}),
      },
    },
  });
  const outcome = await awaitDelegatedRun({
    ctx,
    input: {
      ref: harness.id,
      executionId: started.executionId,
      timeoutMs: input.waitSeconds * 1000,
      ...(input.signal ? { signal: input.signal } : {}),
    },
  });
  return {
    execution_id: started.executionId,
    harness_id: harness.slug,
    agent_id: input.agent ?? null,
    status: outcome.status,
    finished: outcome.finished,
    output: outcome.output,
    error: outcome.error,
  };
}
