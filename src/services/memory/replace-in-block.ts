import { and, eq } from "drizzle-orm";
import { memoryBlocks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { blockLimitExceeded, charCount, findWritableBlock, isLimitViolation, toBlockView, type MemoryBlockView } from "./store.ts";

/** Input of {@link replaceInBlock}: `oldText` must occur exactly once in the block. */
export interface ReplaceInBlockInput {
  ref: string;
  agentId: string;
  label: string;
  oldText: string;
  /** The replacement ("" deletes `oldText`). */
  newText: string;
}

/**
 * Replaces the one occurrence of `oldText` in a block (Letta `core_memory_replace`), for the agent's
 * memory tools. Written only if the block still holds what was read (a concurrent edit is not lost).
 * @throws ApiError `memory_block_not_found`, `memory_block_read_only`, `memory_block_limit_exceeded`,
 *   `validation_error` when `oldText` occurs zero or several times, or the block changed meanwhile.
 */
export async function replaceInBlock({ ctx, input }: VerbArgs<AuthedContext, ReplaceInBlockInput>): Promise<MemoryBlockView> {
  const { owner, current } = await findWritableBlock(ctx, { ...input, operationId: "memory.updateBlock", what: "changed" });
  const occurrences = input.oldText.length === 0 ? 0 : current.value.split(input.oldText).length - 1;
  if (occurrences !== 1) {
    throw new ApiError(
      "validation_error",
      occurrences === 0
        ? `The text to replace does not occur in memory block "${input.label}"; read the block in your system prompt and copy the text exactly.`
        : `The text to replace occurs ${occurrences} times in memory block "${input.label}"; include more of the surrounding text so it occurs once.`,
      { domain: "memory", details: { field: "old_text", label: input.label, occurrences } },
    );
  }
  const value = current.value.replace(input.oldText, () => input.newText);
  const chars = charCount(value);
  if (chars > current.charLimit) throw blockLimitExceeded(owner, input.label, chars, current.charLimit);
  try {
    const [row] = await ctx.db
      .update(memoryBlocks)
      .set({ value, updatedAt: nowIso() })
      .where(
        and(
          eq(memoryBlocks.id, current.id),
          eq(memoryBlocks.orgId, owner.agent.orgId),
          eq(memoryBlocks.readOnly, false),
          eq(memoryBlocks.value, current.value),
        ),
      )
      .returning();
    if (!row) {
      throw new ApiError("validation_error", `Memory block "${input.label}" changed while it was being edited; read it again and retry.`, {
        domain: "memory",
        details: { label: input.label },
      });
    }
    return toBlockView(row);
  } catch (error) {
    if (isLimitViolation(error)) throw blockLimitExceeded(owner, input.label, chars, current.charLimit);
    throw error;
  }
}
