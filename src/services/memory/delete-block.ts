import { and, eq } from "drizzle-orm";
import { memoryBlocks } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { blockNotFound, blockReadOnly, findMemoryOwner, readBlock } from "./store.ts";

/**
 * memory.deleteBlock — deletes a writable block (its search entry goes with it, by trigger).
 * @throws ApiError `memory_block_not_found` (404), `memory_block_read_only` (409).
 */
export async function deleteBlock({ ctx, input }: VerbArgs<AuthedContext, { ref: string; agentId: string; label: string }>): Promise<void> {
  const owner = await findMemoryOwner(ctx, { ...input, operationId: "memory.deleteBlock" });
  const current = await readBlock(ctx, owner, input.label);
  if (!current) throw blockNotFound(owner, input.label);
  if (current.readOnly) throw blockReadOnly(owner, input.label, "deleted");
  const deleted = await ctx.db
    .delete(memoryBlocks)
    .where(and(eq(memoryBlocks.id, current.id), eq(memoryBlocks.orgId, owner.agent.orgId), eq(memoryBlocks.readOnly, false)))
    .returning({ id: memoryBlocks.id });
  if (deleted.length === 0) throw blockReadOnly(owner, input.label, "deleted");
}
