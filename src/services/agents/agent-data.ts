/**
 * What other domains keep per agent, seen from the agent lifecycle: its memory (Open Harness domain 8).
 * agents.delete deletes it in the same batch as the agent; agents.export (`include_memory`) puts a
 * memory snapshot in the package (`memory/blocks.json`, `memory/archive.json`, `memory/metadata.json`
 * in the agent's folder, spec §9.4 S9 — what memory.import reads); agents.clone (`include_memory`)
 * copies it to the clone.
 */
import type { BatchItem } from "drizzle-orm/batch";
import { unzipSafely } from "../../lib/zip.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { agentMemoryDeletes } from "../memory/delete-agent-memory.ts";
import { exportMemory } from "../memory/export.ts";
import { importMemory } from "../memory/import.ts";
import type { AgentRow } from "./find.ts";

/** The statements deleting everything other domains keep for `agent` (its memory blocks and archive), for the caller's batch. */
export function agentDataDeletes(ctx: AuthedContext, agent: AgentRow): BatchItem<"sqlite">[] {
  return agentMemoryDeletes(ctx.db, ctx.principal.orgId, agent.id);
}

/** The memory snapshot files of `agent`, as paths relative to its package folder (`memory/…`). */
export async function agentMemoryFiles(ctx: AuthedContext, harness: HarnessRow, agent: AgentRow): Promise<Map<string, Uint8Array>> {
  const snapshot = await exportMemory({ ctx, input: { ref: harness.id, agentId: agent.id, includeArchive: true } });
  return new Map([...unzipSafely(snapshot.bytes)].map(([path, bytes]) => [`memory/${path}`, bytes] as const));
}

/** Copies `source`'s memory to `clone` (agents.clone `include_memory`). */
export async function copyAgentMemory(ctx: AuthedContext, harness: HarnessRow, source: AgentRow, clone: AgentRow): Promise<void> {
  const snapshot = await exportMemory({ ctx, input: { ref: harness.id, agentId: source.id, includeArchive: true } });
  await importMemory({ ctx, input: { ref: harness.id, agentId: clone.id, snapshot: snapshot.bytes, mergeStrategy: "overwrite" } });
}
