import type { AuthedContext, VerbArgs } from "../context.ts";
import { blockNotFound, findMemoryOwner, readBlock, toBlockView, type MemoryBlockView } from "./store.ts";

/**
 * memory.getBlock — one block by label.
 * @throws ApiError `memory_block_not_found`, `harness_not_found`, `agent_not_found`, `capability_not_supported`.
 */
export async function getBlock({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; label: string }>): Promise<MemoryBlockView> {
  const owner = await findMemoryOwner(ctx, { ...input, operationId: "memory.getBlock" });
  const row = await readBlock(ctx, owner, input.label);
  if (!row) throw blockNotFound(owner, input.label);
  return toBlockView(row);
}
