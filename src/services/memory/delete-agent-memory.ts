import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/index.ts";
import { memoryArchive, memoryBlocks } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";

/**
 * The statements that delete an agent's whole memory (blocks and archive; their search entries go by
 * trigger) — for a caller that deletes the agent in the same D1 batch (agents.delete), so both happen
 * or neither. The `agents` foreign keys cascade too; these make the deletion explicit and org-filtered.
 */
export function agentMemoryDeletes(db: Db, orgId: string, agentId: string): [BatchItem<"sqlite">, BatchItem<"sqlite">] {
  return [
    db.delete(memoryBlocks).where(and(eq(memoryBlocks.orgId, orgId), eq(memoryBlocks.agentId, agentId))),
    db.delete(memoryArchive).where(and(eq(memoryArchive.orgId, orgId), eq(memoryArchive.agentId, agentId))),
  ];
}

/**
 * Deletes an agent's memory — every block (read-only ones included: the agent is going away) and every
 * archive entry — in the caller's organization. For agents.delete; `agentId` is the typed agent id.
 * Returns how many blocks and entries went.
 */
export async function deleteAgentMemory({
  ctx,
  input,
}: VerbArgs<AuthedContext, { agentId: string }>): Promise<{ blocks: number; archiveEntries: number }> {
  const [blocks, entries] = await ctx.db.batch([
    ctx.db
      .delete(memoryBlocks)
      .where(and(eq(memoryBlocks.orgId, ctx.principal.orgId), eq(memoryBlocks.agentId, input.agentId)))
      .returning({ id: memoryBlocks.id }),
    ctx.db
      .delete(memoryArchive)
      .where(and(eq(memoryArchive.orgId, ctx.principal.orgId), eq(memoryArchive.agentId, input.agentId)))
      .returning({ id: memoryArchive.id }),
  ]);
  return { blocks: blocks.length, archiveEntries: entries.length };
}
