/**
 * What every memory verb shares (Open Harness domain 8): the limits, resolving whose memory a request
 * addresses, row → view mapping, and the problems the verbs raise. The verbs themselves are one per file
 * beside this one.
 *
 * Characters are Unicode code points — what SQLite's `length()` counts, so the limit the API checks is
 * the one the database's CHECK constraint enforces (`db/schema/memory.ts`).
 */
import { and, eq, sql } from "drizzle-orm";
import { memoryArchive, memoryBlocks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { findAgent, type AgentRow } from "../agents/find.ts";
import type { AuthedContext } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";

export { isBudgetViolation, isLimitViolation, isUniqueViolation } from "../constraint-errors.ts";

/** Longest block label, in characters (spec memory.createBlock). */
export const MAX_BLOCK_LABEL_CHARS = 100;
/** Largest character limit a block may have, and longest value any block may hold (spec: 1–100000). */
export const MAX_BLOCK_CHAR_LIMIT = 100_000;
/**
 * A block's character limit when its creator names none. Blocks are rendered into the system prompt
 * before every model step, so a runaway append must stop somewhere: Letta's default size.
 */
export const DEFAULT_BLOCK_CHAR_LIMIT = 20_000;
/** Most blocks one agent may have. */
export const MAX_BLOCKS_PER_AGENT = 50;
/**
 * Most characters one agent's blocks may hold together: the sum of their limits. Bounds what core
 * memory can ever add to each prompt, whatever writes to it.
 */
export const MAX_CORE_MEMORY_CHARS = 200_000;
/** Longest archive entry, in characters (spec memory.addToArchive: 1–100000). */
export const MAX_ARCHIVE_ENTRY_CHARS = 100_000;
/** Most characters one agent's archive may hold (all entries' content together). */
export const MAX_ARCHIVE_CHARS_PER_AGENT = 20_000_000;
/** Most tags on one archive entry. */
export const MAX_ARCHIVE_TAGS = 20;
/** Longest tag, in characters. */
export const MAX_TAG_CHARS = 64;
/** Largest `metadata` of an archive entry, as JSON text, in characters. */
export const MAX_ARCHIVE_METADATA_CHARS = 16_384;

/** Label syntax: lowercase words joined by `-` or `_` (`persona`, `user-preferences`, `user_preferences` — spec §9.4 S4). */
export const BLOCK_LABEL_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
/** Tag syntax: letters, digits, `-`, `_`, `.`, `:` (no spaces). */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._:-]*$/u;

export type MemoryBlockRow = typeof memoryBlocks.$inferSelect;
export type ArchiveRow = typeof memoryArchive.$inferSelect;

/** Characters of `text` as SQLite's `length()` counts them (code points). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** SHA-256 of `text` (UTF-8), lowercase hex. */
export async function contentHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whose memory a request addresses: the harness and the agent, both in the caller's organization. */
export interface MemoryOwner {
  harness: HarnessRow;
  agent: AgentRow;
}

/** The base path of an agent's memory, for problem links. */
export function memoryPath(owner: MemoryOwner): string {
  return `/v1/harnesses/${owner.harness.slug}/agents/${owner.agent.id}/memory`;
}

/**
 * Resolves `{harnessId}` and `{agentId}` for a memory operation and checks the harness serves memory.
 * @throws ApiError `harness_not_found`, `agent_not_found` (also for another organization's), and
 *   `capability_not_supported` (501) for a registry-only harness.
 */
export async function findMemoryOwner(
  ctx: AuthedContext,
  input: { ref: string; agentId: string; operationId: string },
): Promise<MemoryOwner> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  assertCapability(harness, "memory", "blocks", input.operationId);
  const agent = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  return { harness, agent };
}

/** The SQL filter of one agent's rows of `table`, always with the organization. */
export function ownedBy(owner: MemoryOwner) {
  return and(eq(memoryBlocks.orgId, owner.agent.orgId), eq(memoryBlocks.agentId, owner.agent.id));
}

/** Open Harness `MemoryBlock`, plus its limit and current size. */
export interface MemoryBlockView {
  label: string;
  value: string;
  read_only: boolean;
  updated_at: string;
  /** Most characters the value may hold. */
  limit: number;
  /** Characters the value holds now. */
  chars: number;
  created_at: string;
}

/** The API view of a block row. */
export function toBlockView(row: MemoryBlockRow): MemoryBlockView {
  return {
    label: row.label,
    value: row.value,
    read_only: row.readOnly,
    updated_at: row.updatedAt,
    limit: row.charLimit,
    chars: charCount(row.value),
    created_at: row.createdAt,
  };
}

/** Open Harness `ArchiveEntry`, plus tags. */
export interface ArchiveEntryView {
  id: string;
  content: string;
  created_at: string;
  tags: string[];
  metadata?: Record<string, unknown>;
}

/** The API view of an archive row. */
export function toArchiveView(row: ArchiveRow): ArchiveEntryView {
  return {
    id: row.id,
    content: row.content,
    created_at: row.createdAt,
    tags: row.tags,
    ...(row.metadata ? { metadata: row.metadata } : {}),
  };
}

/** The blocks of `owner`, by label. */
export async function readBlocks(ctx: AuthedContext, owner: MemoryOwner): Promise<MemoryBlockRow[]> {
  return ctx.db.select().from(memoryBlocks).where(ownedBy(owner)).orderBy(memoryBlocks.label);
}

/** One block of `owner`, or undefined. */
export async function readBlock(ctx: AuthedContext, owner: MemoryOwner, label: string): Promise<MemoryBlockRow | undefined> {
  return ctx.db
    .select()
    .from(memoryBlocks)
    .where(and(ownedBy(owner), eq(memoryBlocks.label, label)))
    .get();
}

/** How many entries and characters `owner`'s archive holds. */
export async function archiveTotals(ctx: AuthedContext, owner: MemoryOwner): Promise<{ entries: number; chars: number }> {
  const row = await ctx.db
    .select({ entries: sql<number>`count(*)`, chars: sql<number>`coalesce(sum(length(${memoryArchive.content})), 0)` })
    .from(memoryArchive)
    .where(and(eq(memoryArchive.orgId, owner.agent.orgId), eq(memoryArchive.agentId, owner.agent.id)))
    .get();
  return { entries: Number(row?.entries ?? 0), chars: Number(row?.chars ?? 0) };
}

/**
 * A block's label, checked.
 * @throws ApiError `validation_error` naming `field`.
 */
export function assertLabel(label: string, field: string): void {
  if (label.length >= 1 && label.length <= MAX_BLOCK_LABEL_CHARS && BLOCK_LABEL_PATTERN.test(label)) return;
  throw new ApiError(
    "validation_error",
    `${field}: a label is 1–${MAX_BLOCK_LABEL_CHARS} lowercase letters or digits in words joined by "-" or "_" (e.g. persona, user-preferences).`,
    {
      details: { field, value: label.slice(0, MAX_BLOCK_LABEL_CHARS + 1) },
      actions: [{ rel: "fix-input", hint: "Use a label like persona or user-preferences." }],
    },
  );
}

/** 404 `memory_block_not_found` for `label` of `owner`. */
export function blockNotFound(owner: MemoryOwner, label: string): ApiError {
  return new ApiError("memory_block_not_found", `Agent ${owner.agent.slug} has no memory block "${label}".`, {
    domain: "memory",
    details: { label, agent_id: owner.agent.id },
    actions: [
      { rel: "list", hint: "List the agent's blocks.", operation_id: "memory.listBlocks", href: `${memoryPath(owner)}/blocks` },
      { rel: "create", hint: "Create it (there is no upsert).", operation_id: "memory.createBlock", href: `${memoryPath(owner)}/blocks` },
    ],
  });
}

/** 409 `memory_block_read_only` for `label`: `what` was refused ("changed", "deleted"). */
export function blockReadOnly(owner: MemoryOwner, label: string, what: string): ApiError {
  return new ApiError("memory_block_read_only", `Memory block "${label}" is read-only and cannot be ${what}.`, {
    domain: "memory",
    details: { label, read_only: true },
    actions: [
      {
        rel: "create",
        hint: "Keep it, and put what changes in another, writable block.",
        operation_id: "memory.createBlock",
        href: `${memoryPath(owner)}/blocks`,
      },
    ],
  });
}

/**
 * The writable block `label` of agent `agentId` on harness `ref`, about to be `what` ("changed",
 * "deleted") by `operationId`: its owner and the row as read.
 * @throws ApiError as {@link findMemoryOwner}; `memory_block_not_found` (404); `memory_block_read_only` (409).
 */
export async function findWritableBlock(
  ctx: AuthedContext,
  input: { ref: string; agentId: string; label: string; operationId: string; what: string },
): Promise<{ owner: MemoryOwner; current: MemoryBlockRow }> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: input.operationId });
  const current = await readBlock(ctx, owner, input.label);
  if (!current) throw blockNotFound(owner, input.label);
  if (current.readOnly) throw blockReadOnly(owner, input.label, input.what);
  return { owner, current };
}

/** 422 `memory_block_limit_exceeded`: `label` would hold `chars` characters, over its `limit`. */
export function blockLimitExceeded(owner: MemoryOwner | undefined, label: string, chars: number, limit: number, field?: string): ApiError {
  return new ApiError(
    "memory_block_limit_exceeded",
    `Memory block "${label}" would hold ${chars} characters; its limit is ${limit}. Nothing was written.`,
    {
      domain: "memory",
      details: { label, chars, limit, ...(field ? { field } : {}) },
      actions: [
        { rel: "fix-input", hint: "Shorten the value, or replace older content instead of appending." },
        {
          rel: "raise-limit",
          hint: `Raise the block's limit (up to ${MAX_BLOCK_CHAR_LIMIT}) with memory.updateBlock's \`limit\`.`,
          operation_id: "memory.updateBlock",
          ...(owner ? { href: `${memoryPath(owner)}/blocks/${label}` } : {}),
        },
      ],
    },
  );
}

/** 422 `memory_limit_exceeded`: an agent-wide memory limit (`what`) would be passed. */
export function memoryLimitExceeded(owner: MemoryOwner, what: string, details: Record<string, unknown>): ApiError {
  return new ApiError("memory_limit_exceeded", `${what} Nothing was written.`, {
    domain: "memory",
    details: { agent_id: owner.agent.id, ...details },
    actions: [
      { rel: "fix-input", hint: "Delete what the agent no longer needs, or write less." },
      { rel: "list", operation_id: "memory.get", href: memoryPath(owner) },
    ],
  });
}

/** 422 for the agent-wide core-memory budget (at most {@link MAX_BLOCKS_PER_AGENT} blocks, {@link MAX_CORE_MEMORY_CHARS} characters of limits). */
export function coreMemoryBudgetExceeded(owner: MemoryOwner): ApiError {
  return memoryLimitExceeded(
    owner,
    `An agent may have at most ${MAX_BLOCKS_PER_AGENT} memory blocks whose limits add up to at most ${MAX_CORE_MEMORY_CHARS} characters.`,
    { max_blocks: MAX_BLOCKS_PER_AGENT, max_core_memory_chars: MAX_CORE_MEMORY_CHARS },
  );
}
