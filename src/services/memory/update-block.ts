import { and, eq } from "drizzle-orm";
import { memoryBlocks } from "../../db/schema.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import {
  blockLimitExceeded,
  blockReadOnly,
  charCount,
  coreMemoryBudgetExceeded,
  findWritableBlock,
  isBudgetViolation,
  isLimitViolation,
  toBlockView,
  type MemoryBlockView,
} from "./store.ts";

/** Input of {@link updateBlock}: the new value (spec) and, optionally, a new character `limit`. */
export interface UpdateBlockInput {
  ref: string;
  agentId: string;
  label: string;
  value: string;
  limit?: number;
}

/**
 * memory.updateBlock — replaces a block's value (no upsert: the block must exist), optionally with a new
 * limit. Read-only blocks are refused; the value must fit the (new) limit.
 * @throws ApiError `memory_block_not_found` (404), `memory_block_read_only` (409),
 *   `memory_block_limit_exceeded` (422), `memory_limit_exceeded` (422: raising the limit passes the agent's budget).
 */
export async function updateBlock({ ctx, input }: VerbArgs<AuthedContext, UpdateBlockInput>): Promise<MemoryBlockView> {
  const { owner, current } = await findWritableBlock(ctx, { ...input, operationId: "memory.updateBlock", what: "changed" });
  const limit = input.limit ?? current.charLimit;
  const chars = charCount(input.value);
  if (chars > limit) throw blockLimitExceeded(owner, input.label, chars, limit, "body.value");
  try {
    // `read_only = 0` in the statement: a block made read-only meanwhile is not written.
    const [row] = await ctx.db
      .update(memoryBlocks)
      .set({ value: input.value, charLimit: limit, updatedAt: nowIso() })
      .where(and(eq(memoryBlocks.id, current.id), eq(memoryBlocks.orgId, owner.agent.orgId), eq(memoryBlocks.readOnly, false)))
      .returning();
    if (!row) throw blockReadOnly(owner, input.label, "changed");
    return toBlockView(row);
  } catch (error) {
    if (isBudgetViolation(error)) throw coreMemoryBudgetExceeded(owner);
    if (isLimitViolation(error)) throw blockLimitExceeded(owner, input.label, chars, limit, "body.value");
    throw error;
  }
}
