import { sql } from "drizzle-orm";
import { memoryArchive, memoryBlocks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findMemoryOwner } from "./store.ts";

/** Most words of a query that are searched for (the rest are ignored). */
export const MAX_SEARCH_TERMS = 32;

/** Input of {@link searchMemory} (spec memory.search). */
export interface SearchMemoryInput {
  ref: string;
  agentId: string;
  /** Free text, 1–1000 characters: any of its words may match. */
  query: string;
  /** What to search: blocks and archive (default), blocks only, or the archive only (the agent's tool). */
  sources?: "all" | "blocks" | "archive";
  /** Most results, 1–100. */
  limit: number;
}

/** Open Harness `MemorySearchResult`, plus the entry's id and time for archive hits. */
export interface MemorySearchResult {
  source: "block" | "archive";
  label?: string;
  content: string;
  /** 0–1: the hit's bm25 score relative to the best hit of this search (which scores 1). */
  relevance_score: number;
  id?: string;
  created_at?: string;
  tags?: string[];
}

/**
 * The FTS5 query for free text: each word (letters and digits) as a quoted term, any of which may match
 * — so no user input is ever read as FTS5 syntax (`AND`, `NEAR`, `"`, `*`, column filters).
 * @throws ApiError `validation_error` when the text has no word to search for.
 */
export function ftsQuery(text: string, field = "body.query"): string {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_SEARCH_TERMS);
  if (words.length === 0) {
    throw new ApiError("validation_error", `${field}: has no word to search for (letters or digits).`, {
      domain: "memory",
      details: { field },
      actions: [{ rel: "fix-input", hint: "Search for one or more words." }],
    });
  }
  return words.map((w) => `"${w}"`).join(" OR ");
}

interface Hit {
  source: "block" | "archive";
  score: number;
  label: string | null;
  value: string | null;
  entry_id: string | null;
  content: string | null;
  created_at: string | null;
  tags: string | null;
}

/**
 * memory.search — full-text search (SQLite FTS5, porter stemming) over the agent's blocks and archive,
 * ranked by bm25 with labels and tags weighted twice the text. `relevance_score` is each hit's score over
 * the best hit's, so it lies in 0–1 and the best hit scores 1 (bm25 values themselves are unbounded and
 * depend on the whole index, never shown).
 * @throws ApiError `validation_error` (no searchable word), `harness_not_found`, `agent_not_found`.
 */
export async function searchMemory({ ctx, input }: VerbArgs<AuthedContext, SearchMemoryInput>): Promise<MemorySearchResult[]> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: "memory.search" });
  const match = ftsQuery(input.query);
  const sources = input.sources ?? "all";
  const sourceFilter = sources === "all" ? sql`` : sql`AND f.source = ${sources === "blocks" ? "block" : "archive"}`;
  const b = memoryBlocks;
  const a = memoryArchive;
  const rows = await ctx.db.all<Hit>(sql`
    SELECT f.source AS source, bm25(memory_fts, 2.0, 1.0) AS score,
      b.label AS label, b.value AS value, a.id AS entry_id, a.content AS content, a.created_at AS created_at, a.tags AS tags
    FROM memory_fts f
    LEFT JOIN ${b} b ON f.source = 'block' AND b.seq = f.rowid / 2 AND b.org_id = ${owner.agent.orgId}
    LEFT JOIN ${a} a ON f.source = 'archive' AND a.seq = (f.rowid - 1) / 2 AND a.org_id = ${owner.agent.orgId}
    WHERE memory_fts MATCH ${match} AND f.agent_id = ${owner.agent.id} ${sourceFilter}
      AND (b.id IS NOT NULL OR a.id IS NOT NULL)
    ORDER BY score, f.rowid
    LIMIT ${input.limit}`);
  // bm25() is negative, lower is better: the best hit is the first row.
  const best = rows.length > 0 ? -rows[0]!.score : 0;
  return rows.map((r) => {
    const relevance = best > 0 ? Math.max(0, Math.min(1, -r.score / best)) : 1;
    const rounded = Math.round(relevance * 10_000) / 10_000;
    return r.source === "block"
      ? { source: "block", label: r.label!, content: r.value!, relevance_score: rounded }
      : {
          source: "archive",
          content: r.content!,
          relevance_score: rounded,
          id: r.entry_id!,
          created_at: r.created_at!,
          tags: JSON.parse(r.tags ?? "[]") as string[],
        };
  });
}
