/**
 * Storage hygiene, run by the Worker's cron trigger (`scheduled` in `src/index.ts`, hourly): rows that
 * can no longer mean anything are deleted, so the identity tables do not grow with every sign-in.
 *
 *   web_sessions           expired browser sign-ins (the cookie is refused from `expires_at` on)
 *   oauth_codes            authorization codes expired more than {@link PURGE_GRACE_MS} ago (kept that
 *                          long so a replayed code is still recognised and revokes what it issued, RFC 6749 §4.1.2)
 *   oauth_refresh_tokens   refresh tokens expired more than {@link PURGE_GRACE_MS} ago (reuse detection, RFC 9700 §4.14)
 *   rate_counters          sign-in attempt windows (per email and per address) that ended more than {@link PURGE_GRACE_MS} ago
 *                          (request and token quota counters are purged by `limits/quota.ts`)
 */
import { and, like, lt } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { oauthCodes, oauthRefreshTokens, rateCounters, webSessions } from "../../db/schema.ts";

/** How long after expiry codes, refresh tokens and sign-in counters are kept, in milliseconds (1 day). */
export const PURGE_GRACE_MS = 24 * 60 * 60 * 1000;

/** Rows deleted per table by one {@link purgeExpired}. */
export interface PurgeReport {
  webSessions: number;
  oauthCodes: number;
  oauthRefreshTokens: number;
  signInCounters: number;
}

/**
 * Deletes what expired before `now` (web sessions) or before `now - PURGE_GRACE_MS` (the rest), in one
 * D1 batch. Rows of every organization: this is the deployment's own maintenance, not a tenant operation.
 * @param input.now the current time in ms since the epoch (the cron's `scheduledTime`).
 * @throws Error when D1 fails (the cron run is then retried at its next tick).
 */
export async function purgeExpired({ ctx, input }: { ctx: { db: Db }; input: { now: number } }): Promise<PurgeReport> {
  const { db } = ctx;
  const now = new Date(input.now).toISOString();
  const graceEnd = new Date(input.now - PURGE_GRACE_MS).toISOString();
  const [sessions, codes, refresh, counters] = await db.batch([
    db.delete(webSessions).where(lt(webSessions.expiresAt, now)),
    db.delete(oauthCodes).where(lt(oauthCodes.expiresAt, graceEnd)),
    db.delete(oauthRefreshTokens).where(lt(oauthRefreshTokens.expiresAt, graceEnd)),
    db.delete(rateCounters).where(and(like(rateCounters.key, "signin%"), lt(rateCounters.windowStart, graceEnd))),
  ]);
  return {
    webSessions: sessions.meta.changes,
    oauthCodes: codes.meta.changes,
    oauthRefreshTokens: refresh.meta.changes,
    signInCounters: counters.meta.changes,
  };
}
