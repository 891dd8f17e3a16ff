import { sql } from "drizzle-orm";
import { memoryArchive } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import {
  archiveTotals,
  charCount,
  contentHash,
  findMemoryOwner,
  MAX_ARCHIVE_CHARS_PER_AGENT,
  MAX_ARCHIVE_ENTRY_CHARS,
  MAX_ARCHIVE_METADATA_CHARS,
  MAX_ARCHIVE_TAGS,
  MAX_TAG_CHARS,
  memoryLimitExceeded,
  TAG_PATTERN,
  type ArchiveEntryView,
  type MemoryOwner,
} from "./store.ts";

/** Input of {@link addToArchive} (spec memory.addToArchive, plus `tags`). */
export interface AddToArchiveInput {
  ref: string;
  agentId: string;
  content: string;
  metadata?: Record<string, unknown>;
  tags?: string[];
}

function fail(where: string, message: string): ApiError {
  return new ApiError("validation_error", `${where}: ${message}`, { domain: "memory", details: { field: where } });
}

/**
 * Checks an entry against the per-entry limits: content 1–{@link MAX_ARCHIVE_ENTRY_CHARS} characters,
 * at most {@link MAX_ARCHIVE_TAGS} tags of {@link TAG_PATTERN}, metadata at most
 * {@link MAX_ARCHIVE_METADATA_CHARS} characters of JSON. Returns the tags normalised (lower case, unique).
 * @throws ApiError `validation_error` naming `field`.
 */
export function checkArchiveEntry(entry: { content: string; tags?: string[]; metadata?: unknown }, field: string): string[] {
  const chars = charCount(entry.content);
  if (chars < 1 || chars > MAX_ARCHIVE_ENTRY_CHARS)
    throw fail(`${field}.content`, `must be 1–${MAX_ARCHIVE_ENTRY_CHARS} characters (got ${chars}).`);
  const tags = [...new Set((entry.tags ?? []).map((t) => t.toLowerCase()))];
  if (tags.length > MAX_ARCHIVE_TAGS) throw fail(`${field}.tags`, `at most ${MAX_ARCHIVE_TAGS} tags.`);
  tags.forEach((tag, i) => {
    if (tag.length > MAX_TAG_CHARS || !TAG_PATTERN.test(tag))
      throw fail(`${field}.tags[${i}]`, `a tag is 1–${MAX_TAG_CHARS} letters, digits, ".", "_", ":" or "-" (no spaces).`);
  });
  if (entry.metadata !== undefined) {
    if (entry.metadata === null || typeof entry.metadata !== "object" || Array.isArray(entry.metadata))
      throw fail(`${field}.metadata`, "must be an object.");
    if (JSON.stringify(entry.metadata).length > MAX_ARCHIVE_METADATA_CHARS)
      throw fail(`${field}.metadata`, `must be at most ${MAX_ARCHIVE_METADATA_CHARS} characters of JSON.`);
  }
  return tags;
}

/** 422 for an archive that would outgrow {@link MAX_ARCHIVE_CHARS_PER_AGENT}. */
export async function archiveFull(ctx: AuthedContext, owner: MemoryOwner, adding: number): Promise<ApiError> {
  const totals = await archiveTotals(ctx, owner);
  return memoryLimitExceeded(
    owner,
    `The agent's archive holds ${totals.chars} characters; adding ${adding} would pass its limit of ${MAX_ARCHIVE_CHARS_PER_AGENT}.`,
    { archive_chars: totals.chars, adding_chars: adding, max_archive_chars: MAX_ARCHIVE_CHARS_PER_AGENT },
  );
}

/**
 * memory.addToArchive — appends an entry to the agent's archival memory (searchable at once). The
 * insert is conditional on the archive's total size, in one statement, so concurrent adds cannot pass it.
 * @throws ApiError `validation_error`, `memory_limit_exceeded` (422: the archive is full), `harness_not_found`, `agent_not_found`.
 */
export async function addToArchive({ ctx, input }: VerbArgs<AuthedContext, AddToArchiveInput>): Promise<ArchiveEntryView> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: "memory.addToArchive" });
  const tags = checkArchiveEntry(input, "body");
  const entry: ArchiveEntryView = {
    id: newId("archiveEntry"),
    content: input.content,
    created_at: nowIso(),
    tags,
    ...(input.metadata ? { metadata: input.metadata } : {}),
  };
  const chars = charCount(input.content);
  const hash = await contentHash(input.content);
  const a = memoryArchive;
  const inserted = await ctx.db.all<{ id: string }>(sql`
    INSERT INTO ${a} (id, org_id, agent_id, content, content_hash, tags, metadata, created_at)
    SELECT ${entry.id}, ${owner.agent.orgId}, ${owner.agent.id}, ${input.content}, ${hash}, ${JSON.stringify(tags)},
      ${input.metadata ? JSON.stringify(input.metadata) : null}, ${entry.created_at}
    WHERE (SELECT coalesce(sum(length(content)), 0) FROM ${a} WHERE agent_id = ${owner.agent.id}) + ${chars} <= ${MAX_ARCHIVE_CHARS_PER_AGENT}
    RETURNING id`);
  if (inserted.length === 0) throw await archiveFull(ctx, owner, chars);
  return entry;
}
