import { z } from "@hono/zod-openapi";
import { PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { MemoryState } from "../../../services/memory/get-memory.ts";
import { MAX_MEMORY_SNAPSHOT_BYTES } from "../../../services/memory/import.ts";
import {
  MAX_ARCHIVE_ENTRY_CHARS,
  MAX_ARCHIVE_TAGS,
  MAX_BLOCK_CHAR_LIMIT,
  MAX_BLOCK_LABEL_CHARS,
  MAX_TAG_CHARS,
  DEFAULT_BLOCK_CHAR_LIMIT,
} from "../../../services/memory/store.ts";
import { AgentParams } from "../agents/agents.schemas.ts";

export const MemoryParams = AgentParams;
export const BlockParams = AgentParams.extend({
  label: z
    .string()
    .min(1)
    .max(MAX_BLOCK_LABEL_CHARS)
    .openapi({ param: { name: "label", in: "path" }, example: "persona" }),
});

export const MemoryBlockSchema = z
  .object({
    label: z.string(),
    value: z.string(),
    read_only: z.boolean(),
    updated_at: z.string(),
    limit: z.number().int().openapi({ description: "Most characters (Unicode code points) the value may hold." }),
    chars: z.number().int().openapi({ description: "Characters the value holds now." }),
    created_at: z.string(),
  })
  .openapi("MemoryBlock");

export const ArchiveEntrySchema = z
  .object({
    id: z.string(),
    content: z.string(),
    created_at: z.string(),
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("ArchiveEntry");

export const MemoryStateSchema = z
  .object({
    agent_id: z.string(),
    blocks: z.array(MemoryBlockSchema),
    archive_size: z.number().int().openapi({ description: "Entries in the archive." }),
    archive_chars: z.number().int().openapi({ description: "Characters the archive holds." }),
  })
  .openapi("MemoryState");

export const MemoryEnvelope = z.object({ memory: MemoryStateSchema }).openapi("MemoryResponse");
export const BlocksEnvelope = z.object({ blocks: z.array(MemoryBlockSchema) }).openapi("MemoryBlocksResponse");
export const BlockEnvelope = z.object({ block: MemoryBlockSchema }).openapi("MemoryBlockResponse");
export const EntryEnvelope = z.object({ entry: ArchiveEntrySchema }).openapi("ArchiveEntryResponse");
export const ArchivePage = paginated(ArchiveEntrySchema, "ArchivePage");

const Value = z.string().min(1).max(MAX_BLOCK_CHAR_LIMIT);
const Limit = z
  .number()
  .int()
  .min(1)
  .max(MAX_BLOCK_CHAR_LIMIT)
  .openapi({
    description: `The block's character limit, 1–${MAX_BLOCK_CHAR_LIMIT} (default ${DEFAULT_BLOCK_CHAR_LIMIT}). Every write path refuses a value over it.`,
  });

export const CreateBlockRequest = z
  .strictObject({
    label: z
      .string()
      .min(1)
      .max(MAX_BLOCK_LABEL_CHARS)
      .openapi({ description: "Unique per agent: lowercase words joined by - or _ (persona, user-preferences, user_preferences)." }),
    value: Value,
    read_only: z.boolean().optional().openapi({ description: "Read-only blocks cannot be updated or deleted (default false)." }),
    limit: Limit.optional(),
  })
  .openapi("CreateMemoryBlockRequest");

export const UpdateBlockRequest = z.strictObject({ value: Value, limit: Limit.optional() }).openapi("UpdateMemoryBlockRequest");

export const SearchRequest = z
  .strictObject({
    query: z.string().min(1).max(1000).openapi({ description: "Free text: any of its words may match (stemmed, case-insensitive)." }),
    include_archive: z.boolean().default(true),
    limit: z.number().int().min(1).max(100).default(10),
  })
  .openapi("MemorySearchRequest");

export const SearchResult = z
  .object({
    source: z.enum(["block", "archive"]),
    label: z.string().optional().openapi({ description: "Block hits only." }),
    content: z.string(),
    relevance_score: z.number().min(0).max(1).openapi({ description: "0–1: bm25 relative to the best hit (which scores 1)." }),
    id: z.string().optional().openapi({ description: "Archive hits only: the entry id." }),
    created_at: z.string().optional(),
    tags: z.array(z.string()).optional(),
  })
  .openapi("MemorySearchResult");
export const SearchResponse = z.object({ results: z.array(SearchResult) }).openapi("MemorySearchResponse");

export const ArchiveQuery = PaginationQuery.extend({
  tag: z.string().min(1).max(MAX_TAG_CHARS).optional().openapi({ description: "Only entries with this tag." }),
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only entries created at or after this time (ISO 8601)." }),
});

export const AddToArchiveRequest = z
  .strictObject({
    content: z.string().min(1).max(MAX_ARCHIVE_ENTRY_CHARS),
    metadata: z.record(z.string(), z.unknown()).optional(),
    tags: z
      .array(z.string().min(1).max(MAX_TAG_CHARS))
      .max(MAX_ARCHIVE_TAGS)
      .optional()
      .openapi({ description: "Searchable tags (letters, digits, . _ : -), stored lower case." }),
  })
  .openapi("AddToArchiveRequest");

export const ExportRequest = z.strictObject({ include_archive: z.boolean().default(true) }).openapi("MemoryExportRequest");

export const ImportForm = z
  .object({
    snapshot: z
      .custom<File>((v) => v instanceof File, { message: "snapshot must be a file part (the ZIP made by memory.export)" })
      .openapi({
        type: "string",
        format: "binary",
        description: `The ZIP made by memory.export (≤ ${MAX_MEMORY_SNAPSHOT_BYTES / 1024 / 1024} MB).`,
      }),
    merge_strategy: z.enum(["overwrite", "skip", "merge"]).default("overwrite"),
  })
  .openapi("MemoryImportRequest");

export const ImportResponse = z
  .object({
    blocks_imported: z.number().int(),
    archive_entries_imported: z.number().int(),
    conflicts: z.number().int(),
    warnings: z.array(z.string()),
  })
  .openapi("MemoryImportResponse");

/** Open Harness `MemoryState`. */
export function toMemoryState(state: MemoryState): z.infer<typeof MemoryStateSchema> {
  return { agent_id: state.owner.agent.id, blocks: state.blocks, archive_size: state.archiveSize, archive_chars: state.archiveChars };
}
