import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution } from "../executions/find.ts";
import { planPath } from "./outcome.ts";
import { refuseCursorBeyondEnd } from "../streams/cursor.ts";

/**
 * planning.stream — the plan's events (`task.added`, `task.updated`, `task.removed`, `plan.reordered`) as
 * SSE, replayed strictly after `lastEventId` then live; the stream ends when the run finishes (after the
 * replay, for a finished run). Kept as long as the execution's own stream (1 hour after completion).
 * @throws ApiError `execution_not_found`; `stream_expired` (410) once the retention has passed.
 */
export async function openPlanStream({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; lastEventId: number }>): Promise<Response> {
  const found = await findExecution({ ctx, input });
  const response = await executionRunStub(ctx.env, found.execution.id).fetch(
    new Request(`https://execution-run/plan/stream?after=${input.lastEventId}`),
  );
  await refuseCursorBeyondEnd(response);
  if (response.status === 410) {
    throw new ApiError("stream_expired", `The plan stream of ${found.execution.id} is no longer retained (1 hour after completion).`, {
      actions: [{ rel: "get", hint: "The plan is kept.", operation_id: "planning.get", href: planPath(found) }],
    });
  }
  if (!response.ok) throw new ApiError("execution_not_found", `No plan stream for ${found.execution.id}.`);
  return response;
}
