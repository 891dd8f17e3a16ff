import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution, isFinished } from "./find.ts";
import { getExecution, type ExecutionDetail } from "./read.ts";

/**
 * execution.cancel — asks the run to stop (best effort: a tool call in flight may still finish).
 * @throws ApiError `execution_finished` (409) when the run had already finished.
 */
export async function cancelExecution({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; executionId: string }>): Promise<{ detail: ExecutionDetail; cancelled: boolean }> {
  const found = await findExecution({ ctx, input });
  const outcome = await executionRunStub(ctx.env, found.execution.id).cancel();
  if (!outcome.cancelled && isFinished(outcome.status)) {
    throw new ApiError("execution_finished", `Execution ${found.execution.id} already finished (${outcome.status}).`, {
      details: { status: outcome.status },
      actions: [
        {
          rel: "get-result",
          operation_id: "execution.result",
          href: `/v1/harnesses/${found.harness.slug}/executions/${found.execution.id}/result`,
        },
      ],
    });
  }
  return { detail: await getExecution({ ctx, input }), cancelled: outcome.cancelled };
}
