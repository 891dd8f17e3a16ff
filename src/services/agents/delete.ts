import { and, count, eq, inArray, ne } from "drizzle-orm";
import { agents, executions, sessions, skills } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { builtInReadOnly } from "../harnesses/lifecycle.ts";
import { deletePrefix, skillPrefix } from "../storage/keys.ts";
import { agentDataDeletes } from "./agent-data.ts";
import { findAgent, type AgentRow } from "./find.ts";

/** @throws ApiError `agent_busy` (409) while the agent has sessions not ended or executions pending or running. */
async function assertAgentIdle(ctx: AuthedContext, harness: HarnessRow, agent: AgentRow): Promise<void> {
  const [openSessions, running] = await ctx.db.batch([
    ctx.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.orgId, ctx.principal.orgId), eq(sessions.agentId, agent.id), ne(sessions.status, "ended"))),
    ctx.db
      .select({ n: count() })
      .from(executions)
      .where(
        and(
          eq(executions.orgId, ctx.principal.orgId),
          eq(executions.agentId, agent.id),
          inArray(executions.status, ["pending", "running"]),
        ),
      ),
  ]);
  const s = openSessions[0]?.n ?? 0;
  const e = running[0]?.n ?? 0;
  if (s === 0 && e === 0) return;
  throw new ApiError("agent_busy", `Agent ${agent.name} has ${s} session(s) not ended and ${e} execution(s) running.`, {
    domain: "agents",
    operation: "agents.delete",
    details: { agent_id: agent.id, active_sessions: s, running_executions: e },
    actions: [
      {
        rel: "end-sessions",
        hint: "End its sessions.",
        operation_id: "sessions.list",
        href: `/v1/harnesses/${harness.slug}/sessions?agent_id=${agent.id}`,
      },
      {
        rel: "cancel-executions",
        hint: "Cancel or wait for its executions.",
        operation_id: "execution.list",
        href: `/v1/harnesses/${harness.slug}/executions?agent_id=${agent.id}&status=running`,
      },
    ],
  });
}

/**
 * agents.delete — `DELETE /v1/harnesses/{harnessId}/agents/{agentId}`. Refused (409 `agent_busy`) while
 * the agent has sessions that have not ended or executions pending or running. Deletes the agent, the
 * skills its package brought (every version and bundle), its links to harness skills (the harness's
 * skills stay), its memory (`deleteAgentData`), and its package when no other agent shares it.
 * Execution and session history rows stay for the organization's records.
 * @throws ApiError `agent_busy` (409), `agent_not_found`, `harness_read_only`, `harness_not_found`, `capability_not_supported`.
 */
export async function deleteAgent({ ctx, input }: VerbArgs<AuthedContext, { ref: string; agentId: string }>): Promise<void> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "agents", "delete", "agents.delete");
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "modified");
  const agent = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  await assertAgentIdle(ctx, harness, agent);
  const owned = await ctx.db
    .select({ id: skills.id })
    .from(skills)
    .where(and(eq(skills.orgId, ctx.principal.orgId), eq(skills.agentId, agent.id)))
    .all();
  // Its memory, then the agent (its links and own skills with their versions go by foreign-key cascade): one batch.
  await ctx.db.batch([
    ctx.db.delete(agents).where(and(eq(agents.id, agent.id), eq(agents.orgId, ctx.principal.orgId))),
    ...agentDataDeletes(ctx, agent),
  ]);
  for (const { id } of owned) await deletePrefix(ctx.env.BUCKET, skillPrefix(ctx.principal.orgId, harness.id, id));
  if (agent.bundleKey) {
    const shared = await ctx.db
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.orgId, ctx.principal.orgId), eq(agents.bundleKey, agent.bundleKey)))
      .get();
    if (!shared) await ctx.env.BUCKET.delete(agent.bundleKey);
  }
}
