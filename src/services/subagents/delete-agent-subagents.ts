import { and, eq } from "drizzle-orm";
import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import { subagents } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";

/**
 * Deletes every subagent of an agent in the caller's organization, cancelling their running tasks —
 * for agents.delete (the `agents` foreign key cascades too, but would leave the tasks running).
 * Returns how many subagents went.
 */
export async function deleteAgentSubagents({ ctx, input }: VerbArgs<AuthedContext, { agentId: string }>): Promise<number> {
  const deleted = await ctx.db
    .delete(subagents)
    .where(and(eq(subagents.orgId, ctx.principal.orgId), eq(subagents.agentId, input.agentId)))
    .returning({ lastExecutionId: subagents.lastExecutionId });
  await Promise.all(
    deleted.flatMap((d) =>
      d.lastExecutionId
        ? [
            executionRunStub(ctx.env, d.lastExecutionId)
              .cancel()
              .catch(() => undefined),
          ]
        : [],
    ),
  );
  return deleted.length;
}
