import { and, eq, sql } from "drizzle-orm";
import { memoryBlocks } from "../../db/schema.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import {
  blockLimitExceeded,
  blockReadOnly,
  charCount,
  findWritableBlock,
  isLimitViolation,
  toBlockView,
  type MemoryBlockView,
} from "./store.ts";

/**
 * Appends `text` to a block on a new line (Letta `core_memory_append`), for the agent's memory tools.
 * One conditional statement: a read-only block is never written, and the database refuses a value over
 * the block's limit even when two appends race.
 * @throws ApiError `memory_block_not_found`, `memory_block_read_only`, `memory_block_limit_exceeded`.
 */
export async function appendToBlock({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; label: string; text: string }>): Promise<MemoryBlockView> {
  const { owner, current } = await findWritableBlock(ctx, { ...input, operationId: "memory.updateBlock", what: "changed" });
  const addition = current.value.length === 0 ? input.text : `\n${input.text}`;
  const chars = charCount(current.value) + charCount(addition);
  if (chars > current.charLimit) throw blockLimitExceeded(owner, input.label, chars, current.charLimit);
  try {
    const [row] = await ctx.db
      .update(memoryBlocks)
      .set({ value: sql`${memoryBlocks.value} || ${addition}`, updatedAt: nowIso() })
      .where(and(eq(memoryBlocks.id, current.id), eq(memoryBlocks.orgId, owner.agent.orgId), eq(memoryBlocks.readOnly, false)))
      .returning();
    if (!row) throw blockReadOnly(owner, input.label, "changed");
    return toBlockView(row);
  } catch (error) {
    if (isLimitViolation(error)) throw blockLimitExceeded(owner, input.label, chars, current.charLimit);
    throw error;
  }
}
