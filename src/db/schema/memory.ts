/**
 * D1 schema: an agent's memory (Open Harness domain 8, Letta-style core and archival memory).
 *
 * - `memory_blocks`: core memory, labelled blocks rendered into the agent's system prompt. Each block has
 *   its own character limit, and the database itself refuses a value over it (CHECK constraint), so no
 *   write path — API, tools, import, or one added later — can store a block beyond its limit.
 * - `memory_archive`: archival memory, entries appended and searched, never rendered whole.
 * - Full-text search: the FTS5 table `memory_fts` and the triggers that keep it in step with both tables
 *   are hand-written SQL (`migrations/0014_memory_fts_and_limits.sql`): FTS5 rows are keyed by integer rowid, so
 *   both tables carry an integer `seq` (their rowid) beside the typed `id`: a block is FTS row `seq*2`,
 *   an archive entry `seq*2+1`.
 * Every row belongs to an agent (`ON DELETE CASCADE`): deleting the agent deletes its memory.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents } from "./harnesses.ts";

/** A core-memory block (Open Harness `MemoryBlock`, plus its character limit). */
export const memoryBlocks = sqliteTable(
  "memory_blocks",
  {
    /** The SQLite rowid: the block's key in `memory_fts` (`seq * 2`). */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    orgId: text("org_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    /** Unique per agent. */
    label: text("label").notNull(),
    value: text("value").notNull(),
    readOnly: integer("read_only", { mode: "boolean" }).notNull().default(false),
    /** Most characters (Unicode code points, SQLite `length()`) the value may hold. */
    charLimit: integer("char_limit").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("memory_blocks_agent_label_uq").on(t.agentId, t.label),
    index("memory_blocks_org_agent_idx").on(t.orgId, t.agentId),
    check("memory_blocks_value_within_limit", sql`length(${t.value}) <= ${t.charLimit}`),
    check("memory_blocks_limit_range", sql`${t.charLimit} BETWEEN 1 AND 100000`),
  ],
);

/** An archival-memory entry (Open Harness `ArchiveEntry`, plus tags). */
export const memoryArchive = sqliteTable(
  "memory_archive",
  {
    /** The SQLite rowid: the entry's key in `memory_fts` (`seq * 2 + 1`). */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    orgId: text("org_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    content: text("content").notNull(),
    /** SHA-256 (hex) of `content`: memory.import de-duplicates archive entries by it. */
    contentHash: text("content_hash").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown> | null>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("memory_archive_agent_time_idx").on(t.orgId, t.agentId, t.createdAt, t.seq),
    index("memory_archive_agent_hash_idx").on(t.agentId, t.contentHash),
  ],
);
