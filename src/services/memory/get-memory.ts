import type { AuthedContext, VerbArgs } from "../context.ts";
import { archiveTotals, findMemoryOwner, readBlocks, toBlockView, type MemoryBlockView, type MemoryOwner } from "./store.ts";

/** Open Harness `MemoryState` with the owner it was read for. */
export interface MemoryState {
  owner: MemoryOwner;
  blocks: MemoryBlockView[];
  archiveSize: number;
  archiveChars: number;
}

/**
 * memory.get — the agent's blocks and the size of its archive.
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported`.
 */
export async function getMemory({ ctx, input }: VerbArgs<AuthedContext, { ref: string; agentId: string }>): Promise<MemoryState> {
  const owner = await findMemoryOwner(ctx, { ...input, operationId: "memory.get" });
  const [blocks, totals] = await Promise.all([readBlocks(ctx, owner), archiveTotals(ctx, owner)]);
  return { owner, blocks: blocks.map(toBlockView), archiveSize: totals.entries, archiveChars: totals.chars };
}
