import { and, asc, eq } from "drizzle-orm";
import { subagents } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findParentAgent, lastExecutions, toSubagentView, type SubagentView } from "./store.ts";

/**
 * subagents.list — the agent's subagents, oldest first (not paginated: at most 20).
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported`.
 */
export async function listSubagents({ ctx, input }: VerbArgs<AuthedContext, { ref: string; agentId: string }>): Promise<SubagentView[]> {
  const { agent } = await findParentAgent(ctx, { ...input, operationId: "subagents.list" });
  const rows = await ctx.db
    .select()
    .from(subagents)
    .where(and(eq(subagents.orgId, ctx.principal.orgId), eq(subagents.agentId, agent.id)))
    .orderBy(asc(subagents.createdAt), asc(subagents.id));
  const last = await lastExecutions(ctx, rows);
  return rows.map((row) => toSubagentView(row, last.get(row.lastExecutionId ?? "")));
}
