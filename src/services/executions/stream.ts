import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution } from "./find.ts";
import { refuseCursorBeyondEnd } from "../streams/cursor.ts";

/**
 * execution.attachStream — the run's SSE stream, replayed strictly after `lastEventId` then live.
 * @throws ApiError `execution_not_found`; `stream_expired` (410) once the 1-hour retention has passed.
 */
export async function attachStream({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; lastEventId: number }>): Promise<Response> {
  const found = await findExecution({ ctx, input });
  return openRunStream(ctx, found.execution.id, found.harness.slug, input.lastEventId);
}

/** Opens the stream of a run the caller is known to own. */
export async function openRunStream(ctx: AuthedContext, executionId: string, harnessSlug: string, lastEventId: number): Promise<Response> {
  const response = await executionRunStub(ctx.env, executionId).fetch(new Request(`https://execution-run/stream?after=${lastEventId}`));
  await refuseCursorBeyondEnd(response);
  if (response.status === 410) {
    throw new ApiError("stream_expired", `The event stream of ${executionId} is no longer retained (1 hour after completion).`, {
      actions: [
        {
          rel: "get-result",
          hint: "The result is kept.",
          operation_id: "execution.result",
          href: `/v1/harnesses/${harnessSlug}/executions/${executionId}/result`,
        },
      ],
    });
  }
  if (!response.ok) throw new ApiError("execution_not_found", `No event stream for ${executionId}.`);
  return response;
}
