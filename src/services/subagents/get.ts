import type { AuthedContext, VerbArgs } from "../context.ts";
import { findSubagent, toSubagentView, type SubagentView } from "./store.ts";

/**
 * subagents.get — one subagent (by id or name), its status derived from its latest task.
 * @throws ApiError `subagent_not_found`, `harness_not_found`, `agent_not_found`.
 */
export async function getSubagent({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; subagentId: string }>): Promise<SubagentView> {
  const found = await findSubagent(ctx, { ...input, operationId: "subagents.get" });
  return toSubagentView(found.subagent, found.lastExecution);
}
