import { and, eq } from "drizzle-orm";
import { agents } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";

export type AgentRow = typeof agents.$inferSelect;

/** The 404 for an agent id that does not resolve on the harness. */
export function agentNotFound(harness: HarnessRow, agentId: string): ApiError {
  return new ApiError("agent_not_found", `No agent ${agentId} on harness ${harness.slug}.`, {
    details: { agent_id: agentId, harness_id: harness.slug },
    actions: [
      { rel: "list", hint: "List the harness's agents.", operation_id: "agents.list", href: `/v1/harnesses/${harness.slug}/agents` },
    ],
  });
}

/**
 * Resolves an agent on `harness` by its typed id (or by `slug`) in the caller's organization.
 * @throws ApiError `agent_not_found`.
 */
export async function findAgent({ ctx, input }: VerbArgs<AuthedContext, { harness: HarnessRow; agentId: string }>): Promise<AgentRow> {
  const { harness, agentId } = input;
  const where = and(eq(agents.orgId, ctx.principal.orgId), eq(agents.harnessId, harness.id));
  const row =
    (await ctx.db
      .select()
      .from(agents)
      .where(and(where, eq(agents.id, agentId)))
      .get()) ??
    (await ctx.db
      .select()
      .from(agents)
      .where(and(where, eq(agents.slug, agentId)))
      .get());
  if (!row) throw agentNotFound(harness, agentId);
  return row;
}
