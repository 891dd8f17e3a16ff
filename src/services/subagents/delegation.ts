/**
 * Delegated runs — the one mechanism behind a subagent's task (subagents.delegate/delegateStream and the
 * model's `task` tool) and the assistant's `delegate_task`: a child execution linked to the run (or
 * client) that delegated it, started under the delegator's metering, waited for with a bound, and
 * cancelled when its delegator stops waiting because it was cancelled.
 *
 * - Link: the child's index row names its parent execution (`parent_execution_id`) and, for a subagent's
 *   task, the subagent — visible in `/executions` like any run, with its own resumable stream.
 * - Idempotence: a child started by a tool call gets an id derived from the parent and the call, so a
 *   call redone after the parent was evicted attaches to the child it started instead of starting another.
 * - Metering: a child started by a run charges no new request but is recorded for the run's subject and
 *   spends the same organization's token budget (refused with 429 once it is used up).
 * - Depth: each child is one delegation deeper than its parent; sources offer delegation only below the
 *   configured bound (`subagents` ref `max_depth`, default {@link DEFAULT_MAX_DELEGATION_DEPTH}).
 */
import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { AuthedContext, UsageSurface, VerbArgs } from "../context.ts";
import { startExecution, type StartExecutionInput, type StartedExecution, type SubagentRunSpec } from "../executions/start.ts";
import { waitForExecution } from "../executions/wait.ts";
import { assertTokenBudget } from "../limits/budget.ts";

/** How many delegations deep runs may go unless the `subagents` ref says otherwise (a subagent delegates no further). */
export const DEFAULT_MAX_DELEGATION_DEPTH = 1;
/** The deepest the `subagents` ref's `max_depth` may allow. */
export const MAX_DELEGATION_DEPTH = 3;

/** The run that delegates: its execution (null: work charged like a run's outside any, e.g. a tool invoked directly), depth, metering and the call that delegates. */
export interface DelegatingRun {
  executionId: string | null;
  /** The delegating run's own depth (0: started by a client). */
  depth: number;
  metering: { subject: string; surface: UsageSurface };
  /** The tool call that delegates, when one does: the child's id is derived from it. */
  toolCallId?: string;
}

/** The id of the child a run's tool call starts: `exec_` + 32 hex of SHA-256(parent, call) — the same when the call is redone. */
export async function childExecutionId(parentExecutionId: string, toolCallId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${parentExecutionId}\n${toolCallId}`));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `exec_${hex.slice(0, 32)}`;
}

/** Input of {@link startDelegatedRun}. */
export interface DelegatedRunInput {
  /** The harness to run on (slug or typed id). */
  ref: string;
  agentId?: string;
  task: string;
  /** Extra system context for the child (e.g. the delegator's `context`). */
  context?: string;
  operationId: StartExecutionInput["operationId"];
  /** Absent when a client delegates (the request is charged as an execution). */
  parent?: DelegatingRun;
  subagent?: SubagentRunSpec;
  /** A pre-assigned id (otherwise derived from `parent.toolCallId`, or new). */
  executionId?: string;
}

/**
 * Starts a delegated run. For a run's delegation: checks the organization's token budget, derives the
 * child id from the tool call, records usage for the run's subject without charging a new request.
 * @throws ApiError `rate_limited` (token budget), and everything `startExecution` raises.
 */
export async function startDelegatedRun({ ctx, input }: VerbArgs<AuthedContext, DelegatedRunInput>): Promise<StartedExecution> {
  const { parent } = input;
  if (parent) await assertTokenBudget({ ctx, input: {} });
  const executionId =
    input.executionId ??
    (parent?.executionId && parent.toolCallId ? await childExecutionId(parent.executionId, parent.toolCallId) : undefined);
  return startExecution({
    ctx,
    input: {
      ref: input.ref,
      operationId: input.operationId,
      body: {
        message: input.task,
        ...(input.agentId ? { agent_id: input.agentId } : {}),
        ...(input.context ? { system_prompt: input.context } : {}),
      },
      delegation: { parentExecutionId: parent?.executionId ?? null, depth: (parent?.depth ?? 0) + 1 },
      ...(parent ? { metering: { ...parent.metering, charged: true } } : {}),
      ...(input.subagent ? { subagent: input.subagent } : {}),
      ...(executionId ? { executionId } : {}),
    },
  });
}

/** What a delegated run came to once waited for. */
export interface DelegatedRunOutcome {
  executionId: string;
  status: string;
  /** False when the run outlived the wait (it goes on; follow it by id). */
  finished: boolean;
  output: string;
  error: string | null;
  errorCode: string | null;
}

/**
 * Waits up to `timeoutMs` for a delegated run. When `signal` aborts (the delegating run was cancelled)
 * the child is cancelled too, and the abort reason is rethrown.
 * @throws the signal's reason when it aborted; ApiError `execution_not_found`.
 */
export async function awaitDelegatedRun({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; timeoutMs: number; signal?: AbortSignal }>): Promise<DelegatedRunOutcome> {
  const stub = executionRunStub(ctx.env, input.executionId);
  const waited = await waitForExecution({
    ctx,
    input: {
      ref: input.ref,
      executionId: input.executionId,
      timeoutMs: input.timeoutMs,
      ...(input.signal ? { signal: input.signal } : {}),
    },
  });
  if (input.signal?.aborted) {
    await stub
      .cancel()
      .catch((error: unknown) => ctx.log.warn("cancelling a delegated run failed", { execution_id: input.executionId, error }));
    throw input.signal.reason;
  }
  const summary = waited.summary ?? (await stub.summary());
  return {
    executionId: input.executionId,
    status: summary?.status ?? "pending",
    finished: waited.finished,
    output: summary?.output ?? "",
    error: summary?.errorMessage ?? null,
    errorCode: summary?.errorCode ?? null,
  };
}
