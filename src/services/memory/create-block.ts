import { memoryBlocks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import {
  assertLabel,
  blockLimitExceeded,
  charCount,
  coreMemoryBudgetExceeded,
  DEFAULT_BLOCK_CHAR_LIMIT,
  findMemoryOwner,
  isBudgetViolation,
  isLimitViolation,
  isUniqueViolation,
  memoryPath,
  toBlockView,
  type MemoryBlockView,
} from "./store.ts";

/** Input of {@link createBlock} (spec memory.createBlock, plus the block's character `limit`). */
export interface CreateBlockInput {
  ref: string;
  agentId: string;
  label: string;
  value: string;
  read_only?: boolean;
  /** Most characters the value may ever hold (1–100000, default {@link DEFAULT_BLOCK_CHAR_LIMIT}). */
  limit?: number;
}

/**
 * memory.createBlock — a new block for the agent. Labels are unique per agent; the value must fit the
 * block's limit; the agent's blocks together stay within the core-memory budget (checked by the database).
 * @throws ApiError `memory_block_exists` (409), `memory_block_limit_exceeded` (422), `memory_limit_exceeded`
 *   (422: 50 blocks or 200000 characters of limits), `validation_error`, `harness_not_found`, `agent_not_found`.
 */
export async function createBlock({ ctx, input }: VerbArgs<AuthedContext, CreateBlockInput>): Promise<MemoryBlockView> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: "memory.createBlock" });
  assertLabel(input.label, "body.label");
  const limit = input.limit ?? DEFAULT_BLOCK_CHAR_LIMIT;
  const chars = charCount(input.value);
  if (chars > limit) throw blockLimitExceeded(owner, input.label, chars, limit, "body.value");
  const now = nowIso();
  try {
    const [row] = await ctx.db
      .insert(memoryBlocks)
      .values({
        id: newId("memoryBlock"),
        orgId: owner.agent.orgId,
        agentId: owner.agent.id,
        label: input.label,
        value: input.value,
        readOnly: input.read_only ?? false,
        charLimit: limit,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return toBlockView(row!);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("memory_block_exists", `Agent ${owner.agent.slug} already has a memory block "${input.label}".`, {
        domain: "memory",
        details: { label: input.label, field: "body.label" },
        actions: [
          {
            rel: "update",
            hint: "Change its value instead.",
            operation_id: "memory.updateBlock",
            href: `${memoryPath(owner)}/blocks/${input.label}`,
          },
        ],
      });
    }
    if (isBudgetViolation(error)) throw coreMemoryBudgetExceeded(owner);
    if (isLimitViolation(error)) throw blockLimitExceeded(owner, input.label, chars, limit, "body.value");
    throw error;
  }
}
