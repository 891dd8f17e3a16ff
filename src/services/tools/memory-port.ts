/**
 * The {@link MemoryPort} of the memory tools and the memory prompt section: the memory verbs of
 * `services/memory/`, bound to the caller's organization — the same verbs, limits and checks as the API.
 */
import type { MemoryBlockItem, MemoryPort } from "../../runtime/tools/ports.ts";
import type { AuthedContext } from "../context.ts";
import { addToArchive } from "../memory/add-to-archive.ts";
import { appendToBlock } from "../memory/append-to-block.ts";
import { listBlocks } from "../memory/list-blocks.ts";
import { replaceInBlock } from "../memory/replace-in-block.ts";
import { searchMemory } from "../memory/search.ts";
import type { MemoryBlockView } from "../memory/store.ts";
import { asTool } from "./as-tool.ts";

function item(block: MemoryBlockView): MemoryBlockItem {
  return { label: block.label, value: block.value, read_only: block.read_only, limit: block.limit, chars: block.chars };
}

/** The memory port for `ctx`'s organization. */
export function createMemoryPort(ctx: AuthedContext): MemoryPort {
  return {
    blocks: (owner) => asTool(async () => (await listBlocks({ ctx, input: { ref: owner.harnessId, agentId: owner.agentId } })).map(item)),
    appendToBlock: (owner, input) =>
      asTool(async () => item(await appendToBlock({ ctx, input: { ref: owner.harnessId, agentId: owner.agentId, ...input } }))),
    replaceInBlock: (owner, input) =>
      asTool(async () => item(await replaceInBlock({ ctx, input: { ref: owner.harnessId, agentId: owner.agentId, ...input } }))),
    insertArchive: (owner, input) =>
      asTool(async () => {
        const entry = await addToArchive({ ctx, input: { ref: owner.harnessId, agentId: owner.agentId, ...input } });
        return { id: entry.id, created_at: entry.created_at };
      }),
    searchArchive: (owner, input) =>
      asTool(async () => {
        const hits = await searchMemory({ ctx, input: { ref: owner.harnessId, agentId: owner.agentId, ...input, sources: "archive" } });
        return hits.map((h) => ({
          id: h.id!,
          content: h.content,
          relevance_score: h.relevance_score,
          created_at: h.created_at!,
          tags: h.tags ?? [],
        }));
      }),
  };
}
