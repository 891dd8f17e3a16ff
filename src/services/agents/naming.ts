import { and, eq, ne, or } from "drizzle-orm";
import { agents } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";

/** Longest agent name (OAF §3.2; agents.clone `new_name`). */
export const MAX_AGENT_NAME_CHARS = 100;

/** A kebab-case key from a display name (`Recipe Finder 2` → `recipe-finder-2`); "" when nothing is left. */
export function kebabKey(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

/**
 * Refuses a name or identity already used on the harness by another agent (agents.create: the name is
 * unique per harness; every agent: `vendorKey`/`agentKey`, spec §9.4 S6).
 * @throws ApiError `agent_exists` (409) naming the agent in the way.
 */
export async function assertAgentFree(
  ctx: AuthedContext,
  harness: HarnessRow,
  input: { name?: string; vendorKey?: string; agentKey?: string; exceptId?: string; operation: string },
): Promise<void> {
  const clauses = [
    ...(input.name !== undefined ? [eq(agents.name, input.name)] : []),
    ...(input.vendorKey !== undefined && input.agentKey !== undefined
      ? [and(eq(agents.vendorKey, input.vendorKey), eq(agents.agentKey, input.agentKey))]
      : []),
  ];
  if (clauses.length === 0) return;
  const clash = await ctx.db
    .select({ id: agents.id, name: agents.name, vendorKey: agents.vendorKey, agentKey: agents.agentKey })
    .from(agents)
    .where(
      and(
        eq(agents.orgId, ctx.principal.orgId),
        eq(agents.harnessId, harness.id),
        or(...clauses),
        ...(input.exceptId ? [ne(agents.id, input.exceptId)] : []),
      ),
    )
    .get();
  if (!clash) return;
  const what = clash.name === input.name ? `the name "${clash.name}"` : `the identity ${clash.vendorKey}/${clash.agentKey}`;
  throw new ApiError("agent_exists", `Agent ${clash.id} on harness ${harness.slug} already has ${what}.`, {
    domain: "agents",
    operation: input.operation,
    details: { agent_id: clash.id, name: clash.name, vendorKey: clash.vendorKey, agentKey: clash.agentKey },
    actions: [
      { rel: "fix-input", hint: "Choose another name." },
      { rel: "get-existing", operation_id: "agents.get", href: `/v1/harnesses/${harness.slug}/agents/${clash.id}` },
    ],
  });
}
