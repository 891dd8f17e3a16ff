import type { AuthedContext, UsageSurface, VerbArgs } from "../context.ts";
import type { DelegatedRunOutcome } from "./delegation.ts";
import { startWaitableSubagentTask } from "./start-task.ts";
import { findSubagent } from "./store.ts";

/** Input of {@link runSubagentTask}: the subagent (id or name) of `agentId` on harness `ref`, and the delegating run. */
export interface RunSubagentTaskInput {
  ref: string;
  agentId: string;
  subagent: string;
  task: string;
  parent: { executionId: string; depth: number; metering: { subject: string; surface: UsageSurface }; toolCallId?: string };
  waitSeconds: number;
  signal?: AbortSignal;
}

/**
 * The `task` tool's delegation: starts the task on the subagent as a child of the delegating run (see
 * `start-task.ts`, `delegation.ts`) and waits up to `waitSeconds`; a cancelled parent cancels the task.
 * @throws ApiError `subagent_not_found`, `subagent_busy`, `rate_limited`, `model_not_available`, …; the
 *   signal's reason when the parent was cancelled.
 */
export async function runSubagentTask({
  ctx,
  input,
}: VerbArgs<AuthedContext, RunSubagentTaskInput>): Promise<{ name: string; outcome: DelegatedRunOutcome }> {
  const found = await findSubagent(ctx, {
    ref: input.ref,
    agentId: input.agentId,
    subagentId: input.subagent,
    operationId: "subagents.delegate",
  });
  const started = await startWaitableSubagentTask({
    ctx,
    input: {
      found,
      task: input.task,
      operationId: "subagents.delegate",
      parent: input.parent,
      waitSeconds: input.waitSeconds,
      ...(input.signal ? { signal: input.signal } : {}),
    },
  });
  const outcome = await started.wait();
  return { name: found.subagent.name, outcome };
}
