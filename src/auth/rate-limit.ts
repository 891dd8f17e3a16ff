/**
 * Fixed-window counters on D1 (`rate_counters`): one atomic upsert per hit, so concurrent requests
 * cannot both slip under the limit.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { rateCounters } from "../db/schema.ts";

/** The outcome of counting one hit. */
export interface WindowCount {
  count: number;
  /** Seconds until the window ends. */
  retryAfterSeconds: number;
}

/**
 * Counts one hit for `key` in the current window of `windowMs` and returns the count after it.
 * The window start is part of the stored key, so old windows never need resetting.
 */
export async function countHit(db: Db, key: string, windowMs: number): Promise<WindowCount> {
  const now = Date.now();
  const windowStart = now - (now % windowMs);
  const windowKey = `${key}:${windowStart}`;
  const [row] = await db
    .insert(rateCounters)
    .values({ key: windowKey, windowStart: new Date(windowStart).toISOString(), count: 1 })
    .onConflictDoUpdate({ target: rateCounters.key, set: { count: sql`${rateCounters.count} + 1` } })
    .returning({ count: rateCounters.count });
  return { count: row!.count, retryAfterSeconds: Math.ceil((windowStart + windowMs - now) / 1000) };
}
