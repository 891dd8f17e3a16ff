import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution } from "./find.ts";

/**
 * execution.sendInput — answers the pending `ask_user` question of a run; the run resumes.
 * @throws ApiError `execution_not_waiting` (409) when no question is pending, `execution_ended` (410) once
 *   the run has completed.
 */
export async function sendInput({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string; data: string }>): Promise<void> {
  const found = await findExecution({ ctx, input });
  const outcome = await executionRunStub(ctx.env, found.execution.id).sendInput(input.data);
  if (outcome.accepted) return;
  const base = `/v1/harnesses/${found.harness.slug}/executions/${found.execution.id}`;
  if (outcome.reason === "finished") {
    throw new ApiError("execution_ended", `Execution ${found.execution.id} has completed; it takes no more input.`, {
      actions: [{ rel: "get-result", operation_id: "execution.result", href: `${base}/result` }],
    });
  }
  throw new ApiError("execution_not_waiting", `Execution ${found.execution.id} is not waiting for input.`, {
    actions: [
      {
        rel: "follow",
        hint: "Input is accepted after a prompt (ask_user) appears on the stream.",
        operation_id: "execution.attachStream",
        href: `${base}/stream`,
      },
    ],
  });
}
