import type { AuthedContext, VerbArgs } from "../context.ts";
import type { DelegatedRunOutcome } from "./delegation.ts";
import { startWaitableSubagentTask } from "./start-task.ts";
import { findSubagent, type FoundSubagent } from "./store.ts";

/** Longest a subagents.delegate request waits for the task, in seconds. */
export const MAX_DELEGATE_WAIT_SECONDS = 60;
/** How long subagents.delegate waits when the request names no `wait_seconds`. */
export const DEFAULT_DELEGATE_WAIT_SECONDS = 30;

/** Input of {@link delegateToSubagent} (spec subagents.delegate, plus `wait_seconds`). */
export interface DelegateInput {
  ref: string;
  agentId: string;
  subagentId: string;
  task: string;
  context?: Record<string, unknown>;
  /** How long to wait for the task, 0–{@link MAX_DELEGATE_WAIT_SECONDS} seconds. */
  waitSeconds: number;
}

/**
 * subagents.delegate — hands a task to the subagent and waits up to `waitSeconds` for it ("waits for
 * completion", spec). The task is an execution of its own (charged as one): when it outlives the wait
 * it goes on, and the answer says so (`finished: false`) with where to follow it. A client that goes
 * away does not cancel it either (subagents.terminate does): the wait is bounded by `waitSeconds` alone.
 * @throws ApiError `subagent_not_found`, `subagent_busy` (409), `harness_archived`, `model_not_available`,
 *   `rate_limited`, and everything `startExecution` raises.
 */
export async function delegateToSubagent({
  ctx,
  input,
}: VerbArgs<AuthedContext, DelegateInput>): Promise<{ found: FoundSubagent; outcome: DelegatedRunOutcome }> {
  const found = await findSubagent(ctx, { ...input, operationId: "subagents.delegate" });
  const started = await startWaitableSubagentTask({
    ctx,
    input: {
      found,
      task: input.task,
      ...(input.context ? { context: input.context } : {}),
      operationId: "subagents.delegate",
      waitSeconds: input.waitSeconds,
    },
  });
  return { found, outcome: await started.wait() };
}
