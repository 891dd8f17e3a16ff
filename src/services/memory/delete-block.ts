import { and, eq } from "drizzle-orm";
import { memoryBlocks } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { blockReadOnly, findWritableBlock } from "./store.ts";

/**
 * memory.deleteBlock — deletes a writable block (its search entry goes with it, by trigger).
 * @throws ApiError `memory_block_not_found` (404), `memory_block_read_only` (409).
 */
export async function deleteBlock({ ctx, input }: VerbArgs<AuthedContext, { ref: string; agentId: string; label: string }>): Promise<void> {
  const { owner, current } = await findWritableBlock(ctx, { ...input, operationId: "memory.deleteBlock", what: "deleted" });
  const deleted = await ctx.db
    .delete(memoryBlocks)
    .where(and(eq(memoryBlocks.id, current.id), eq(memoryBlocks.orgId, owner.agent.orgId), eq(memoryBlocks.readOnly, false)))
    .returning({ id: memoryBlocks.id });
  if (deleted.length === 0) throw blockReadOnly(owner, input.label, "deleted");
}
