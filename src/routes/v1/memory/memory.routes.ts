import { z } from "@hono/zod-openapi";
import { limitRequestBody } from "../../../middleware/body-limit.ts";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { MAX_MEMORY_SNAPSHOT_BYTES } from "../../../services/memory/import.ts";
import { operationRoute } from "../../operation-route.ts";
import {
  AddToArchiveRequest,
  ArchivePage,
  ArchiveQuery,
  BlockEnvelope,
  BlockParams,
  BlocksEnvelope,
  CreateBlockRequest,
  EntryEnvelope,
  ExportRequest,
  ImportForm,
  ImportResponse,
  MemoryEnvelope,
  MemoryParams,
  SearchRequest,
  SearchResponse,
  UpdateBlockRequest,
} from "./memory.schemas.ts";

const tags = ["Memory"];
const base = [...AUTH_ERRORS, "harness_not_found", "agent_not_found", "capability_not_supported"] as const;
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const zip = {
  description: "The snapshot: `blocks.json`, `archive.json` (unless include_archive is false) and `metadata.json`.",
  content: { "application/zip": { schema: z.string().openapi({ format: "binary" }) } },
};

export const get = operationRoute("memory.get", {
  tags,
  summary: "Get an agent's memory",
  description: "The agent's core-memory blocks and the size of its archive.",
  request: { params: MemoryParams },
  responses: { 200: jsonContent(MemoryEnvelope, "The memory state"), ...problemResponses(...base) },
});

export const listBlocks = operationRoute("memory.listBlocks", {
  tags,
  summary: "List memory blocks",
  request: { params: MemoryParams },
  responses: { 200: jsonContent(BlocksEnvelope, "Every block, by label"), ...problemResponses(...base) },
});

export const getBlock = operationRoute("memory.getBlock", {
  tags,
  summary: "Get a memory block",
  request: { params: BlockParams },
  responses: { 200: jsonContent(BlockEnvelope, "The block"), ...problemResponses(...base, "memory_block_not_found") },
});

export const updateBlock = operationRoute("memory.updateBlock", {
  tags,
  summary: "Replace a memory block's value",
  description:
    "No upsert: 404 when the block does not exist. 409 `memory_block_read_only` for a read-only block; 422 `memory_block_limit_exceeded` when the value is longer than the block's limit (`limit` may raise it, up to 100000).",
  request: { params: BlockParams, body: json(UpdateBlockRequest) },
  responses: {
    200: jsonContent(BlockEnvelope, "The block"),
    ...problemResponses(
      ...base,
      "invalid_json",
      "memory_block_not_found",
      "memory_block_read_only",
      "memory_block_limit_exceeded",
      "memory_limit_exceeded",
    ),
  },
});

export const createBlock = operationRoute("memory.createBlock", {
  tags,
  summary: "Create a memory block",
  description:
    "Labels are unique per agent (409). The value must fit the block's `limit` (default 20000 characters); an agent has at most 50 blocks whose limits add up to at most 200000 characters.",
  request: { params: MemoryParams, body: json(CreateBlockRequest) },
  responses: {
    201: jsonContent(BlockEnvelope, "The new block"),
    ...problemResponses(...base, "invalid_json", "memory_block_exists", "memory_block_limit_exceeded", "memory_limit_exceeded"),
  },
});

export const deleteBlock = operationRoute("memory.deleteBlock", {
  tags,
  summary: "Delete a memory block",
  description: "409 `memory_block_read_only` for a read-only block.",
  request: { params: BlockParams },
  responses: { 204: { description: "Deleted" }, ...problemResponses(...base, "memory_block_not_found", "memory_block_read_only") },
});

export const search = operationRoute("memory.search", {
  tags,
  summary: "Search memory",
  description:
    "Full-text search (SQLite FTS5, stemmed) over the agent's blocks and, unless `include_archive` is false, its archive; ranked by bm25 with labels and tags weighted twice. `relevance_score` is 0–1, relative to the best hit.",
  request: { params: MemoryParams, body: json(SearchRequest) },
  responses: { 200: jsonContent(SearchResponse, "Hits, best first"), ...problemResponses(...base, "invalid_json") },
});

export const getArchive = operationRoute("memory.getArchive", {
  tags,
  summary: "List archive entries",
  description: "Newest first; filter by `tag` and `since`.",
  request: { params: MemoryParams, query: ArchiveQuery },
  responses: { 200: jsonContent(ArchivePage, "A page of entries"), ...problemResponses(...base) },
});

export const addToArchive = operationRoute("memory.addToArchive", {
  tags,
  summary: "Add an archive entry",
  description: "Searchable at once. An agent's archive holds at most 20 000 000 characters (422 `memory_limit_exceeded`).",
  request: { params: MemoryParams, body: json(AddToArchiveRequest) },
  responses: { 201: jsonContent(EntryEnvelope, "The new entry"), ...problemResponses(...base, "invalid_json", "memory_limit_exceeded") },
});

const exportDescription =
  "A ZIP named `{agentKey}-memory-{YYYYMMDDTHHMMSSZ}.zip` with `blocks.json`, `archive.json` (entries without embeddings: search here is full-text) and `metadata.json`; memory.import reads it back.";

export const exportMemory = operationRoute("memory.export", {
  tags,
  summary: "Export an agent's memory (ZIP)",
  description: `${exportDescription} Also answers GET with \`?include_archive=true|false\`, the reference client's form (spec §9.3 R1; not listed separately, so /v1 documents exactly the spec's operations).`,
  request: { params: MemoryParams, body: { required: false, content: { "application/json": { schema: ExportRequest } } } },
  responses: { 200: zip, ...problemResponses(...base, "invalid_json") },
});

export const importMemory = operationRoute("memory.import", {
  tags,
  summary: "Import a memory snapshot",
  description:
    "Multipart: `snapshot` (the ZIP memory.export made, ≤ 32 MB) and `merge_strategy` (`overwrite` default, `skip`, `merge`). Blocks match by label; archive entries are appended, skipping content the archive already holds. All or nothing: any block over its limit, a change to a read-only block (409) or a full memory (422) refuses the whole snapshot.",
  middleware: limitRequestBody(MAX_MEMORY_SNAPSHOT_BYTES + 64 * 1024),
  request: { params: MemoryParams, body: { required: true, content: { "multipart/form-data": { schema: ImportForm } } } },
  responses: {
    200: jsonContent(ImportResponse, "What was imported"),
    ...problemResponses(
      ...base,
      "invalid_memory_snapshot",
      "memory_block_limit_exceeded",
      "memory_limit_exceeded",
      "memory_block_read_only",
      "payload_too_large",
      "unsupported_media_type",
    ),
  },
});
