import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { getExecutionResult, type ExecutionResultDetail } from "../executions/read.ts";
import { findSubagent, subagentsPath, type FoundSubagent } from "./store.ts";

/** 409 `subagent_idle`: the subagent has had no task yet. */
export function subagentIdle(found: FoundSubagent): ApiError {
  return new ApiError("subagent_idle", `Subagent ${found.subagent.name} has had no task yet.`, {
    domain: "subagents",
    details: { subagent_id: found.subagent.id, status: "idle" },
    actions: [
      {
        rel: "delegate",
        hint: "Hand it a task first.",
        operation_id: "subagents.delegate",
        href: `${subagentsPath(found.harness, found.agent)}/${found.subagent.id}/delegate`,
      },
    ],
  });
}

/**
 * subagents.result — the result of the subagent's latest task (an Open Harness `ExecutionResult`).
 * @throws ApiError `execution_running` (409) while the task runs, `subagent_idle` (409) before its first
 *   task, `subagent_not_found`.
 */
export async function subagentResult({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; subagentId: string }>): Promise<ExecutionResultDetail> {
  const found = await findSubagent(ctx, { ...input, operationId: "subagents.result" });
  if (!found.subagent.lastExecutionId) throw subagentIdle(found);
  return getExecutionResult({ ctx, input: { ref: found.harness.id, executionId: found.subagent.lastExecutionId } });
}
