import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { RunSummary } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import { sleep } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution, isFinished } from "./find.ts";

/** First pause between two looks at a running execution, in milliseconds (doubles up to the max). */
const WAIT_POLL_INITIAL_MS = 50;
/** Longest pause between two looks, in milliseconds. */
const WAIT_POLL_MAX_MS = 1_000;

/** Input of {@link waitForExecution}. */
export interface WaitForExecutionInput {
  ref: string;
  executionId: string;
  /** How long to wait at most, in milliseconds (0 = look once). */
  timeoutMs: number;
  /** Stops waiting early (e.g. the client went away). */
  signal?: AbortSignal;
}

/**
 * Waits until the execution has finished (completed, failed or cancelled), is waiting for an answer to
 * `ask_user` (nothing will change until someone answers), or `timeoutMs` has passed, polling its
 * `ExecutionRun` summary with a growing pause. Never throws for a timeout: the caller reads `finished`.
 * @throws ApiError `harness_not_found`, `execution_not_found` (also for another organization's run).
 */
export async function waitForExecution({
  ctx,
  input,
}: VerbArgs<AuthedContext, WaitForExecutionInput>): Promise<{ finished: boolean; summary: RunSummary | null }> {
  const found = await findExecution({ ctx, input: { ref: input.ref, executionId: input.executionId } });
  if (isFinished(found.execution.status)) return { finished: true, summary: null };
  const stub = executionRunStub(ctx.env, found.execution.id);
  const deadline = Date.now() + input.timeoutMs;
  let pauseMs = WAIT_POLL_INITIAL_MS;
  for (;;) {
    const summary = await stub.summary();
    if (summary && isFinished(summary.status)) return { finished: true, summary };
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0 || input.signal?.aborted || summary?.waitingForInput) return { finished: false, summary };
    await sleep(Math.min(pauseMs, remainingMs), input.signal).catch(() => {});
    pauseMs = Math.min(pauseMs * 2, WAIT_POLL_MAX_MS);
  }
}
