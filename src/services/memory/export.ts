import { and, asc, eq, gt } from "drizzle-orm";
import { memoryArchive } from "../../db/schema.ts";
import { zipFiles } from "../../lib/zip.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findMemoryOwner, readBlocks, toArchiveView, type ArchiveEntryView, type MemoryOwner } from "./store.ts";

/** Archive rows read per query while exporting. */
const EXPORT_PAGE_ROWS = 500;
/** Format name and version in `metadata.json`, checked by memory.import. */
export const MEMORY_SNAPSHOT_FORMAT = "edgeharness-memory";
export const MEMORY_SNAPSHOT_VERSION = 1;

/** One block as `blocks.json` holds it. */
export interface SnapshotBlock {
  label: string;
  value: string;
  read_only: boolean;
  limit: number;
  updated_at: string;
}

/** A memory export: the ZIP bytes and its file name. */
export interface MemoryExport {
  filename: string;
  bytes: Uint8Array;
  blockCount: number;
  archiveCount: number;
}

/** `YYYYMMDDTHHMMSSZ` (spec §9.4 S10). */
function compactTimestamp(iso: string): string {
  return iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

async function allArchive(ctx: AuthedContext, owner: MemoryOwner): Promise<ArchiveEntryView[]> {
  const entries: ArchiveEntryView[] = [];
  let after = 0;
  for (;;) {
    const rows = await ctx.db
      .select()
      .from(memoryArchive)
      .where(and(eq(memoryArchive.orgId, owner.agent.orgId), eq(memoryArchive.agentId, owner.agent.id), gt(memoryArchive.seq, after)))
      .orderBy(asc(memoryArchive.seq))
      .limit(EXPORT_PAGE_ROWS);
    entries.push(...rows.map(toArchiveView));
    if (rows.length < EXPORT_PAGE_ROWS) return entries;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * memory.export — the agent's memory as a ZIP: `blocks.json` (every block: label, value, read_only,
 * limit, updated_at), `archive.json` (every entry, oldest first: id, content, created_at, tags,
 * metadata — no embeddings: this deployment searches by text, spec §9.4 S11) unless `includeArchive`
 * is false, and `metadata.json` (format, export time, agent identity and version, counts). The file is
 * named `{agentKey}-memory-{YYYYMMDDTHHMMSSZ}.zip`. What memory.import reads back.
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported`.
 */
export async function exportMemory({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; includeArchive: boolean }>): Promise<MemoryExport> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: "memory.export" });
  const exportedAt = new Date().toISOString();
  const blocks: SnapshotBlock[] = (await readBlocks(ctx, owner)).map((b) => ({
    label: b.label,
    value: b.value,
    read_only: b.readOnly,
    limit: b.charLimit,
    updated_at: b.updatedAt,
  }));
  const archive = input.includeArchive ? await allArchive(ctx, owner) : undefined;
  const { agent } = owner;
  const metadata = {
    format: MEMORY_SNAPSHOT_FORMAT,
    format_version: MEMORY_SNAPSHOT_VERSION,
    exported_at: exportedAt,
    agent: { id: agent.id, name: agent.name, vendorKey: agent.vendorKey, agentKey: agent.agentKey, version: agent.version },
    harness_id: owner.harness.slug,
    block_count: blocks.length,
    archive_count: archive?.length ?? null,
    include_archive: input.includeArchive,
  };
  const bytes = zipFiles({
    "blocks.json": JSON.stringify(blocks, null, 2),
    ...(archive ? { "archive.json": JSON.stringify(archive, null, 2) } : {}),
    "metadata.json": JSON.stringify(metadata, null, 2),
  });
  return {
    filename: `${agent.agentKey}-memory-${compactTimestamp(exportedAt)}.zip`,
    bytes,
    blockCount: blocks.length,
    archiveCount: archive?.length ?? 0,
  };
}
