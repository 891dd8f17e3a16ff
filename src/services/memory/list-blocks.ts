import type { AuthedContext, VerbArgs } from "../context.ts";
import { findMemoryOwner, readBlocks, toBlockView, type MemoryBlockView } from "./store.ts";

/**
 * memory.listBlocks — every block of the agent, by label (not paginated: at most 50).
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported`.
 */
export async function listBlocks({ ctx, input }: VerbArgs<AuthedContext, { ref: string; agentId: string }>): Promise<MemoryBlockView[]> {
  const owner = await findMemoryOwner(ctx, { ...input, operationId: "memory.listBlocks" });
  return (await readBlocks(ctx, owner)).map(toBlockView);
}
