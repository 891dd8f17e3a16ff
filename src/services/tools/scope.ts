/** What tool ports resolve a {@link PortScope} to: the harness row and the network policy layers. */
import { and, eq } from "drizzle-orm";
import { harnesses } from "../../db/schema.ts";
import type { NetworkPolicyLayer } from "../../lib/network-policy.ts";
import { ToolError } from "../../runtime/tools/contract.ts";
import type { PortScope } from "../../runtime/tools/ports.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { networkPolicyLayers } from "../network/policy.ts";

/**
 * The scope's harness, in the caller's organization.
 * @throws ToolError `harness_not_found` when it is gone (deleted while a run was going)
 */
export async function scopeHarness(ctx: AuthedContext, scope: PortScope): Promise<HarnessRow> {
  const row = await ctx.db
    .select()
    .from(harnesses)
    .where(and(eq(harnesses.id, scope.harnessId), eq(harnesses.orgId, ctx.principal.orgId)))
    .get();
  if (!row) throw new ToolError("harness_not_found", "The harness of this run no longer exists.");
  return row;
}

/** The network policy layers of the scope (harness chain, agent, session). */
export async function policyLayersFor(ctx: AuthedContext, scope: PortScope): Promise<NetworkPolicyLayer[]> {
  const harness = await scopeHarness(ctx, scope);
  return networkPolicyLayers(ctx, { harness, agentId: scope.agentId, sessionId: scope.sessionId ?? null });
}
