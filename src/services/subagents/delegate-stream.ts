import type { AuthedContext, VerbArgs } from "../context.ts";
import { openRunStream } from "../executions/stream.ts";
import { startSubagentTask } from "./start-task.ts";
import { findSubagent } from "./store.ts";

/**
 * subagents.delegateStream — hands a task to the subagent and streams its execution's events
 * (`ExecutionEvent`, ending with `done` or `error`). Reconnect with subagents.attachStream (or
 * execution.attachStream) and `Last-Event-ID`; the task runs on if the client goes away.
 * @throws ApiError as subagents.delegate.
 */
export async function delegateToSubagentStream({
  ctx,
  input,
}: VerbArgs<
  AuthedContext,
  { ref: string; agentId: string; subagentId: string; task: string; context?: Record<string, unknown> }
>): Promise<{ executionId: string; harnessSlug: string; response: Response }> {
  const found = await findSubagent(ctx, { ...input, operationId: "subagents.delegateStream" });
  const started = await startSubagentTask({
    ctx,
    input: { found, task: input.task, ...(input.context ? { context: input.context } : {}), operationId: "subagents.delegateStream" },
  });
  const response = await openRunStream(ctx, started.executionId, found.harness.slug, 0);
  return { executionId: started.executionId, harnessSlug: found.harness.slug, response };
}
