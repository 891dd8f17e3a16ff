import type { AuthedContext, VerbArgs } from "../context.ts";
import { openRunStream } from "../executions/stream.ts";
import { subagentIdle } from "./result.ts";
import { findSubagent } from "./store.ts";

/**
 * subagents.attachStream — the event stream of the subagent's latest task, replayed strictly after
 * `lastEventId` then live (the same stream as execution.attachStream of that execution).
 * @throws ApiError `subagent_idle` (409), `stream_expired` (410), `subagent_not_found`.
 */
export async function attachSubagentStream({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; subagentId: string; lastEventId: number }>): Promise<{
  executionId: string;
  harnessSlug: string;
  response: Response;
}> {
  const found = await findSubagent(ctx, { ...input, operationId: "subagents.attachStream" });
  const executionId = found.subagent.lastExecutionId;
  if (!executionId) throw subagentIdle(found);
  const response = await openRunStream(ctx, executionId, found.harness.slug, input.lastEventId);
  return { executionId, harnessSlug: found.harness.slug, response };
}
