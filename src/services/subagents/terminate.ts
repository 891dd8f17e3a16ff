import { and, eq } from "drizzle-orm";
import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { subagents } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { isFinished } from "../executions/find.ts";
import { findSubagent } from "./store.ts";

/**
 * subagents.terminate — stops the subagent and removes it: its running task (if any) is cancelled (its
 * execution ends `cancelled` within moments, and a parent run waiting on it gets a failed tool result
 * at its next look, within a second), then the subagent is deleted. Its tasks stay in `/executions`.
 * Deleting first means no new task can start on it meanwhile; whatever task it last had is cancelled.
 * @throws ApiError `subagent_not_found`, `harness_not_found`, `agent_not_found`.
 */
export async function terminateSubagent({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; subagentId: string }>): Promise<{ cancelledExecutionId: string | null }> {
  const found = await findSubagent(ctx, { ...input, operationId: "subagents.terminate" });
  const [deleted] = await ctx.db
    .delete(subagents)
    .where(and(eq(subagents.id, found.subagent.id), eq(subagents.orgId, ctx.principal.orgId)))
    .returning({ lastExecutionId: subagents.lastExecutionId });
  const last = deleted?.lastExecutionId;
  if (!last) return { cancelledExecutionId: null };
  const outcome = await executionRunStub(ctx.env, last).cancel();
  return { cancelledExecutionId: outcome.cancelled || !isFinished(outcome.status) ? last : null };
}
