import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { memoryArchive, memoryBlocks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { unzipSafely, ZipLimitError } from "../../lib/zip.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { checkArchiveEntry } from "./add-to-archive.ts";
import {
  archiveTotals,
  assertLabel,
  blockLimitExceeded,
  blockReadOnly,
  charCount,
  contentHash,
  coreMemoryBudgetExceeded,
  DEFAULT_BLOCK_CHAR_LIMIT,
  findMemoryOwner,
  isBudgetViolation,
  isLimitViolation,
  MAX_ARCHIVE_CHARS_PER_AGENT,
  MAX_BLOCK_CHAR_LIMIT,
  MAX_BLOCKS_PER_AGENT,
  MAX_CORE_MEMORY_CHARS,
  memoryLimitExceeded,
  memoryPath,
  readBlocks,
  type MemoryBlockRow,
  type MemoryOwner,
} from "./store.ts";

/** Largest snapshot accepted by memory.import, in bytes (compressed; the route refuses more with 413). */
export const MAX_MEMORY_SNAPSHOT_BYTES = 32 * 1024 * 1024;
/** Largest snapshot once inflated (all entries together), in bytes. */
export const MAX_MEMORY_SNAPSHOT_UNCOMPRESSED_BYTES = 48 * 1024 * 1024;
/** Most entries in a snapshot ZIP (`blocks.json`, `archive.json`, `metadata.json` and a few others). */
export const MAX_MEMORY_SNAPSHOT_ENTRIES = 16;
/** Bytes of archive JSON handed to one insert statement (one bound parameter; D1 allows 2 MB per value). */
const ARCHIVE_INSERT_CHUNK_BYTES = 1_000_000;

/** How same-label blocks are handled (spec memory.import). */
export type MergeStrategy = "overwrite" | "skip" | "merge";

/** Input of {@link importMemory}. */
export interface ImportMemoryInput {
  ref: string;
  agentId: string;
  snapshot: Uint8Array;
  mergeStrategy: MergeStrategy;
}

/** The spec's import summary. */
export interface ImportSummary {
  blocks_imported: number;
  archive_entries_imported: number;
  /** Blocks of the snapshot whose label the agent already had. */
  conflicts: number;
  warnings: string[];
}

const SnapshotBlock = z.looseObject({
  label: z.string(),
  value: z.string().optional(),
  /** Letta-style exports name the text `content`. */
  content: z.string().optional(),
  read_only: z.boolean().optional(),
  limit: z.number().int().min(1).max(MAX_BLOCK_CHAR_LIMIT).optional(),
});
const SnapshotEntry = z.looseObject({
  content: z.string(),
  created_at: z.string().optional(),
  tags: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const BlocksFile = z.union([z.array(SnapshotBlock), z.object({ blocks: z.array(SnapshotBlock) }).transform((f) => f.blocks)]);
const ArchiveFile = z.union([z.array(SnapshotEntry), z.object({ entries: z.array(SnapshotEntry) }).transform((f) => f.entries)]);

function invalid(detail: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError("invalid_memory_snapshot", detail, {
    domain: "memory",
    operation: "memory.import",
    details,
    actions: [{ rel: "fix-input", hint: "Send a ZIP made by memory.export: blocks.json at its root (archive.json optional)." }],
  });
}

/** The snapshot's files by name: at the root, under `memory/` (agent packages, spec §9.4 S9) or in one top folder. */
function snapshotFiles(bytes: Uint8Array): Map<string, Uint8Array> {
  let files: Map<string, Uint8Array>;
  try {
    files = unzipSafely(bytes, {
      maxEntries: MAX_MEMORY_SNAPSHOT_ENTRIES,
      maxTotalBytes: MAX_MEMORY_SNAPSHOT_UNCOMPRESSED_BYTES,
      maxEntryBytes: MAX_MEMORY_SNAPSHOT_UNCOMPRESSED_BYTES,
    });
  } catch (error) {
    if (!(error instanceof ZipLimitError)) throw error;
    if (error.kind === "too_many_entries" || error.kind === "too_large") {
      throw new ApiError("payload_too_large", `The snapshot is too large: ${error.message}.`, {
        details: { max_entries: MAX_MEMORY_SNAPSHOT_ENTRIES, max_uncompressed_bytes: MAX_MEMORY_SNAPSHOT_UNCOMPRESSED_BYTES },
      });
    }
    throw invalid(`The snapshot is not a usable ZIP: ${error.message}.`, error.path ? { path: error.path } : {});
  }
  if (files.has("blocks.json")) return files;
  for (const [path] of files) {
    const match = /^(.+\/)blocks\.json$/.exec(path);
    if (match && !match[1]!.slice(0, -1).includes("/")) {
      const prefix = match[1]!;
      return new Map([...files].filter(([p]) => p.startsWith(prefix)).map(([p, b]) => [p.slice(prefix.length), b]));
    }
  }
  throw invalid("The snapshot ZIP lacks blocks.json (at its root, or in memory/).", { files: [...files.keys()].slice(0, 20) });
}

function parseJsonFile<T>(files: Map<string, Uint8Array>, name: string, schema: z.ZodType<T>): T | undefined {
  const bytes = files.get(name);
  if (!bytes) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw invalid(`${name} is not UTF-8 JSON.`, { file: name });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = `${name}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
    throw invalid(`${where}: ${issue.message}`, { file: name, field: where });
  }
  return parsed.data;
}

/** One planned block write. */
interface BlockWrite {
  label: string;
  value: string;
  readOnly: boolean;
  limit: number;
  existing?: MemoryBlockRow;
}

/**
 * What the snapshot's blocks do to the agent's blocks under `strategy`: the writes, how many labels
 * collided, and warnings for what was kept.
 * @throws ApiError `memory_block_limit_exceeded` (a value over its block's limit), `memory_block_read_only`
 *   (the snapshot would change a read-only block), `invalid_memory_snapshot` (duplicate or bad labels).
 */
function planBlocks(
  owner: MemoryOwner,
  snapshot: z.infer<typeof SnapshotBlock>[],
  current: MemoryBlockRow[],
  strategy: MergeStrategy,
): { writes: BlockWrite[]; conflicts: number; warnings: string[] } {
  const byLabel = new Map(current.map((b) => [b.label, b]));
  const seen = new Set<string>();
  const writes: BlockWrite[] = [];
  const warnings: string[] = [];
  const readOnlyLabels: string[] = [];
  let conflicts = 0;
  snapshot.forEach((block, i) => {
    try {
      assertLabel(block.label, `blocks.json[${i}].label`);
    } catch (error) {
      throw invalid((error as ApiError).message, { field: `blocks.json[${i}].label` });
    }
    if (seen.has(block.label)) throw invalid(`blocks.json holds the label "${block.label}" twice.`, { field: `blocks.json[${i}].label` });
    seen.add(block.label);
    const value = block.value ?? block.content;
    if (value === undefined) throw invalid(`blocks.json[${i}] has no value.`, { field: `blocks.json[${i}].value` });
    const existing = byLabel.get(block.label);
    if (!existing) {
      writes.push({ label: block.label, value, readOnly: block.read_only ?? false, limit: block.limit ?? DEFAULT_BLOCK_CHAR_LIMIT });
      return;
    }
    conflicts++;
    if (strategy === "skip") {
      warnings.push(`Block "${block.label}" already existed and was kept (merge_strategy=skip).`);
      return;
    }
    let next = value;
    if (strategy === "merge") {
      if (existing.value.includes(value)) next = existing.value;
      else if (value.includes(existing.value)) next = value;
      else next = existing.value.length === 0 ? value : `${existing.value}\n${value}`;
    }
    const limit = strategy === "merge" ? Math.max(existing.charLimit, block.limit ?? 0) : (block.limit ?? existing.charLimit);
    const readOnly = strategy === "merge" ? existing.readOnly || (block.read_only ?? false) : (block.read_only ?? existing.readOnly);
    const unchanged = next === existing.value && limit === existing.charLimit && readOnly === existing.readOnly;
    if (unchanged) {
      warnings.push(`Block "${block.label}" already held this value; nothing changed.`);
      return;
    }
    if (existing.readOnly) {
      readOnlyLabels.push(block.label);
      return;
    }
    writes.push({ label: block.label, value: next, readOnly, limit, existing });
  });
  if (readOnlyLabels.length > 0) {
    const problem = blockReadOnly(owner, readOnlyLabels[0]!, "changed by an import");
    throw new ApiError("memory_block_read_only", `${problem.message} Read-only: ${readOnlyLabels.join(", ")}. Nothing was imported.`, {
      domain: "memory",
      operation: "memory.import",
      details: { labels: readOnlyLabels },
      actions: [{ rel: "fix-input", hint: "Import with merge_strategy=skip to keep the agent's blocks, or remove them from blocks.json." }],
    });
  }
  for (const w of writes) {
    const chars = charCount(w.value);
    if (chars > w.limit) throw blockLimitExceeded(owner, w.label, chars, w.limit);
  }
  const finalBlocks = new Map(current.map((b) => [b.label, b.charLimit]));
  for (const w of writes) finalBlocks.set(w.label, w.limit);
  const totalLimit = [...finalBlocks.values()].reduce((n, l) => n + l, 0);
  if (finalBlocks.size > MAX_BLOCKS_PER_AGENT || totalLimit > MAX_CORE_MEMORY_CHARS) throw coreMemoryBudgetExceeded(owner);
  return { writes, conflicts, warnings };
}

/** One planned archive insert, as the JSON the insert statement reads. */
interface EntryRow {
  id: string;
  content: string;
  hash: string;
  tags: string[];
  metadata: Record<string, unknown> | null;
  created_at: string;
}

async function planArchive(
  ctx: AuthedContext,
  owner: MemoryOwner,
  entries: z.infer<typeof SnapshotEntry>[],
): Promise<{ rows: EntryRow[]; warnings: string[] }> {
  const existing = new Set(
    (
      await ctx.db
        .select({ hash: memoryArchive.contentHash })
        .from(memoryArchive)
        .where(and(eq(memoryArchive.orgId, owner.agent.orgId), eq(memoryArchive.agentId, owner.agent.id)))
    ).map((r) => r.hash),
  );
  const rows: EntryRow[] = [];
  let duplicates = 0;
  let chars = 0;
  for (const [i, entry] of entries.entries()) {
    let tags: string[];
    try {
      tags = checkArchiveEntry(entry, `archive.json[${i}]`);
    } catch (error) {
      throw invalid((error as ApiError).message, (error as ApiError).details);
    }
    const hash = await contentHash(entry.content);
    if (existing.has(hash)) {
      duplicates++;
      continue;
    }
    existing.add(hash);
    const created = entry.created_at && !Number.isNaN(Date.parse(entry.created_at)) ? new Date(entry.created_at).toISOString() : nowIso();
    rows.push({ id: newId("archiveEntry"), content: entry.content, hash, tags, metadata: entry.metadata ?? null, created_at: created });
    chars += charCount(entry.content);
  }
  const totals = await archiveTotals(ctx, owner);
  if (totals.chars + chars > MAX_ARCHIVE_CHARS_PER_AGENT) {
    throw memoryLimitExceeded(
      owner,
      `The agent's archive holds ${totals.chars} characters; the snapshot adds ${chars}, past the limit of ${MAX_ARCHIVE_CHARS_PER_AGENT}.`,
      { archive_chars: totals.chars, adding_chars: chars, max_archive_chars: MAX_ARCHIVE_CHARS_PER_AGENT },
    );
  }
  const warnings =
    duplicates > 0
      ? [`${duplicates} archive entr${duplicates === 1 ? "y was" : "ies were"} already in the archive (same content) and skipped.`]
      : [];
  return { rows, warnings };
}

/** `json_extract(value, '$.<name>') AS <name>`, reading one field of the `json_each` row. */
function field(name: string) {
  return sql<string>`json_extract(value, ${`$.${name}`})`.as(name);
}

/**
 * Insert statements for `rows`, each reading one JSON array parameter of at most
 * {@link ARCHIVE_INSERT_CHUNK_BYTES} through `json_each` — D1 binds at most 100 values per query, so one
 * row per value list would need a statement per handful of entries.
 */
function archiveInserts(ctx: AuthedContext, owner: MemoryOwner, rows: EntryRow[]): BatchItem<"sqlite">[] {
  const chunks: EntryRow[][] = [];
  let chunk: EntryRow[] = [];
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row)).length;
    if (chunk.length > 0 && bytes + size > ARCHIVE_INSERT_CHUNK_BYTES) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks.map((c) =>
    ctx.db.insert(memoryArchive).select(
      ctx.db
        .select({
          seq: sql<number>`NULL`.as("seq"),
          id: field("id"),
          orgId: sql<string>`${owner.agent.orgId}`.as("org_id"),
          agentId: sql<string>`${owner.agent.id}`.as("agent_id"),
          content: field("content"),
          contentHash: field("hash"),
          tags: field("tags"),
          metadata: field("metadata"),
          createdAt: field("created_at"),
        })
        .from(sql`json_each(${JSON.stringify(c)})`),
    ),
  );
}

/**
 * memory.import — reads a snapshot made by memory.export (`blocks.json` required, `archive.json`
 * optional) into the agent's memory, all or nothing (one D1 batch). Blocks are matched by label:
 * `overwrite` (default) replaces a same-label block's value (and its limit/read_only when the snapshot
 * says), `skip` keeps the agent's block, `merge` joins both values on a new line (one containing the
 * other keeps the longer). Archive entries are appended, skipping entries whose content the archive
 * already holds (SHA-256). Every block limit and agent-wide memory limit applies: a value over its limit
 * refuses the whole import. A snapshot that would change a read-only block is refused (use `skip`).
 * @throws ApiError `invalid_memory_snapshot` (422: not a ZIP, no blocks.json, bad JSON or fields),
 *   `payload_too_large` (413), `memory_block_limit_exceeded`, `memory_limit_exceeded` (422),
 *   `memory_block_read_only` (409), `harness_not_found`, `agent_not_found`.
 */
export async function importMemory({ ctx, input }: VerbArgs<AuthedContext, ImportMemoryInput>): Promise<ImportSummary> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: "memory.import" });
  const files = snapshotFiles(input.snapshot);
  const blocks = parseJsonFile(files, "blocks.json", BlocksFile)!;
  const entries = parseJsonFile(files, "archive.json", ArchiveFile) ?? [];
  const known = new Set(["blocks.json", "archive.json", "metadata.json"]);
  const ignored = [...files.keys()].filter((f) => !known.has(f));

  const current = await readBlocks(ctx, owner);
  const planned = planBlocks(owner, blocks, current, input.mergeStrategy);
  const archive = await planArchive(ctx, owner, entries);

  const now = nowIso();
  const statements: BatchItem<"sqlite">[] = planned.writes.map((w) =>
    w.existing
      ? ctx.db
          .update(memoryBlocks)
          .set({ value: w.value, readOnly: w.readOnly, charLimit: w.limit, updatedAt: now })
          .where(and(eq(memoryBlocks.id, w.existing.id), eq(memoryBlocks.orgId, owner.agent.orgId), eq(memoryBlocks.readOnly, false)))
      : ctx.db.insert(memoryBlocks).values({
          id: newId("memoryBlock"),
          orgId: owner.agent.orgId,
          agentId: owner.agent.id,
          label: w.label,
          value: w.value,
          readOnly: w.readOnly,
          charLimit: w.limit,
          createdAt: now,
          updatedAt: now,
        }),
  );
  statements.push(...archiveInserts(ctx, owner, archive.rows));
  if (statements.length > 0) {
    try {
      await ctx.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    } catch (error) {
      if (isBudgetViolation(error)) throw coreMemoryBudgetExceeded(owner);
      if (isLimitViolation(error))
        throw memoryLimitExceeded(owner, "A block changed while the snapshot was imported and no longer fits its limit.", {});
      throw error;
    }
  }
  return {
    blocks_imported: planned.writes.length,
    archive_entries_imported: archive.rows.length,
    conflicts: planned.conflicts,
    warnings: [
      ...planned.warnings,
      ...archive.warnings,
      ...(ignored.length > 0 ? [`Ignored files not part of a memory snapshot: ${ignored.join(", ")}.`] : []),
      ...(files.has("archive.json") ? [] : [`No archive.json in the snapshot: the archive at ${memoryPath(owner)}/archive is unchanged.`]),
    ],
  };
}
