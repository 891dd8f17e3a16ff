/**
 * Daily limits (DESIGN.md "Identity and tenancy"): a per-user request quota and a per-organization
 * token budget, both over UTC days, enforced for chat, MCP tool calls and executions alike.
 *
 * Counters are fixed-window rows of D1 `rate_counters` (`window_start` = the UTC day):
 *   `req:<org>:<subject>:<yyyy-mm-dd>`  requests charged to one principal subject (user id or API key id)
 *   `tok:<org>:<yyyy-mm-dd>`            model tokens (input + output) recorded for the organization
 * A request is charged by ONE conditional statement that counts it only when both limits allow it, so
 * concurrent requests can never slip past the quota (no read-then-write race), and a refused request
 * is not counted. Tokens are added by `recordUsage` (`usage.ts`) when a run finishes, so the budget is
 * checked against what earlier requests used: a request admitted under the budget may overshoot it.
 */
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { organizations, rateCounters } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nextUtcMidnightMs, utcDay } from "../../lib/time.ts";
import type { AuthedContext, ServiceContext, UsageSurface, VerbArgs } from "../context.ts";

/** Input of {@link chargeRequest}. */
export interface ChargeRequestInput {
  surface: UsageSurface;
  /**
   * The subject to charge instead of the principal's: a session turn is charged to the session's owner
   * (`sessions.owner_subject`), whoever sent it.
   */
  subject?: string;
}

/** The limits in force for an organization: its own settings, else the deployment defaults. */
export interface EffectiveLimits {
  /** Requests per principal subject per UTC day. */
  dailyRequestQuota: number;
  /** Tokens (input + output) per organization per UTC day. */
  dailyTokenBudget: number;
  /** The organization's own settings (`null` = the deployment default applies). */
  configured: { dailyRequestQuota: number | null; dailyTokenBudget: number | null };
}

/** The counter key of `subject`'s requests in `orgId` on `day` (`YYYY-MM-DD`). */
export function requestCounterKey(orgId: string, subject: string, day: string): string {
  return `req:${orgId}:${subject}:${day}`;
}

/** The counter key of `orgId`'s tokens on `day` (`YYYY-MM-DD`). */
export function tokenCounterKey(orgId: string, day: string): string {
  return `tok:${orgId}:${day}`;
}

/**
 * `[from, to)` bounds of every key starting with `prefix` — a range scan on the primary key that,
 * unlike LIKE, treats `_` and `%` in ids literally (`;` is the character after `:`).
 */
export function keyRange(prefix: string): [string, string] {
  if (!prefix.endsWith(":")) throw new Error(`counter key prefix must end with ":": ${prefix}`);
  return [prefix, `${prefix.slice(0, -1)};`];
}

/** Seconds from `ms` until the daily window resets (next UTC midnight), at least 1. */
export function secondsUntilReset(ms: number = Date.now()): number {
  return Math.max(1, Math.ceil((nextUtcMidnightMs(ms) - ms) / 1000));
}

/** The limits of `orgId`: `organizations.daily_request_quota` / `daily_token_budget`, else the deployment's. */
export async function effectiveLimits(ctx: Pick<ServiceContext, "db" | "config">, orgId: string): Promise<EffectiveLimits> {
  const org = await ctx.db
    .select({ quota: organizations.dailyRequestQuota, budget: organizations.dailyTokenBudget })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .get();
  const configured = { dailyRequestQuota: org?.quota ?? null, dailyTokenBudget: org?.budget ?? null };
  return {
    dailyRequestQuota: configured.dailyRequestQuota ?? ctx.config.dailyRequestQuota,
    dailyTokenBudget: configured.dailyTokenBudget ?? ctx.config.dailyTokenBudget,
    configured,
  };
}

/** Today's value of counter `key` (0 when absent). */
async function counterValue(db: Db, key: string): Promise<number> {
  const row = await db.select({ count: rateCounters.count }).from(rateCounters).where(eq(rateCounters.key, key)).get();
  return row?.count ?? 0;
}

/** The 429 for an exhausted daily limit; `Retry-After` = seconds until the next UTC midnight. */
export function limitExceeded(which: "daily_request_quota" | "daily_token_budget", limit: number, used: number, nowMs: number): ApiError {
  const retryAfterSeconds = secondsUntilReset(nowMs);
  const resetsAt = new Date(nextUtcMidnightMs(nowMs)).toISOString();
  const detail =
    which === "daily_request_quota"
      ? `The daily request quota of ${limit} request(s) per user is used up (${used} today). It resets at ${resetsAt}.`
      : `The organization's daily token budget of ${limit} token(s) is used up (${used} today). It resets at ${resetsAt}.`;
  return new ApiError("rate_limited", detail, {
    retryAfterSeconds,
    details: { limit, used, window: "day", limit_name: which, resets_at: resetsAt },
    actions: [
      { rel: "retry-later", hint: `Retry after ${resetsAt} (in ${retryAfterSeconds} seconds).` },
      {
        rel: "configure",
        hint: `An organization owner or admin (or an API key) can raise ${which}.`,
        operation_id: "organization.limits.update",
        href: "/api/v1/organization/limits",
      },
      { rel: "usage", hint: "See what used it.", operation_id: "usage.list", href: "/api/v1/usage" },
    ],
  });
}

/**
 * Charges one request to the caller (or to `input.subject`) in the caller's organization: counts it
 * against the subject's daily request quota, provided the organization's daily token budget is not
 * used up. One conditional D1 statement decides and counts; a refused request is not counted.
 * At most one charge per HTTP request: when `ctx.meter` says this request was already charged (say
 * the MCP tool call, before the chat verb it runs), this does nothing.
 *
 * @throws ApiError `rate_limited` (429) with `retryAfterSeconds` = seconds until the next UTC midnight
 *   and `details: { limit, used, window: "day", limit_name, resets_at }`.
 */
export async function chargeRequest({ ctx, input }: VerbArgs<AuthedContext, ChargeRequestInput>): Promise<void> {
  if (ctx.meter?.charged) return;
  const orgId = ctx.principal.orgId;
  const subject = input.subject ?? ctx.principal.subject;
  const nowMs = Date.now();
  const day = utcDay(nowMs);
  const requestKey = requestCounterKey(orgId, subject, day);
  const tokenKey = tokenCounterKey(orgId, day);
  const quota = sql`coalesce((SELECT daily_request_quota FROM organizations WHERE id = ${orgId}), ${ctx.config.dailyRequestQuota})`;
  const budget = sql`coalesce((SELECT daily_token_budget FROM organizations WHERE id = ${orgId}), ${ctx.config.dailyTokenBudget})`;
  // One statement reads the limits, decides and counts: the request is counted only if the token budget
  // has room and the quota is not reached (SQLite upsert: an INSERT … SELECT needs its WHERE; DO UPDATE
  // … WHERE false leaves the row and returns nothing).
  const charged = await ctx.db.all<{ count: number }>(sql`
    INSERT INTO rate_counters (key, window_start, count)
    SELECT ${requestKey}, ${day}, 1
    WHERE ${quota} > 0
      AND coalesce((SELECT count FROM rate_counters WHERE key = ${tokenKey}), 0) < ${budget}
    ON CONFLICT(key) DO UPDATE SET count = rate_counters.count + 1 WHERE rate_counters.count < ${quota}
    RETURNING count`);
  const count = charged[0]?.count;
  if (count === undefined) {
    const limits = await effectiveLimits(ctx, orgId);
    const [requests, tokens] = await Promise.all([counterValue(ctx.db, requestKey), counterValue(ctx.db, tokenKey)]);
    if (tokens >= limits.dailyTokenBudget) throw limitExceeded("daily_token_budget", limits.dailyTokenBudget, tokens, nowMs);
    throw limitExceeded("daily_request_quota", limits.dailyRequestQuota, requests, nowMs);
  }
  if (ctx.meter) ctx.meter.charged = { surface: input.surface, subject };
  if (count === 1) await pruneOldCounters(ctx.db, orgId, subject, day);
}

/**
 * Deletes the subject's request counters and the organization's token counters of earlier days, so the
 * table stays bounded by the active subjects of the current day. Runs on a subject's first request of a day.
 */
async function pruneOldCounters(db: Db, orgId: string, subject: string, day: string): Promise<void> {
  const stale = (prefix: string) => {
    const [from, to] = keyRange(prefix);
    return and(gte(rateCounters.key, from), lt(rateCounters.key, to), lt(rateCounters.windowStart, day));
  };
  await db.batch([db.delete(rateCounters).where(stale(`req:${orgId}:${subject}:`)), db.delete(rateCounters).where(stale(`tok:${orgId}:`))]);
}

/** Today's counters of `orgId`: requests of `subjects` (each) and of the whole organization, and tokens. */
export async function countersToday(
  db: Db,
  orgId: string,
  subjects: string[],
  day: string = utcDay(),
): Promise<{ requestsBySubject: Record<string, number>; requestsInOrganization: number; tokens: number }> {
  const [from, to] = keyRange(`req:${orgId}:`);
  const subjectKeys = subjects.map((s) => requestCounterKey(orgId, s, day));
  const [org, tokens, bySubject] = await db.batch([
    db
      .select({ n: sql<number>`coalesce(sum(${rateCounters.count}), 0)` })
      .from(rateCounters)
      .where(and(gte(rateCounters.key, from), lt(rateCounters.key, to), eq(rateCounters.windowStart, day))),
    db
      .select({ count: rateCounters.count })
      .from(rateCounters)
      .where(eq(rateCounters.key, tokenCounterKey(orgId, day))),
    db
      .select({ key: rateCounters.key, count: rateCounters.count })
      .from(rateCounters)
      .where(inArray(rateCounters.key, subjectKeys.length > 0 ? subjectKeys : [""])),
  ]);
  const requestsBySubject: Record<string, number> = {};
  subjects.forEach((s, i) => {
    requestsBySubject[s] = bySubject.find((r) => r.key === subjectKeys[i])?.count ?? 0;
  });
  return { requestsBySubject, requestsInOrganization: Number(org[0]?.n ?? 0), tokens: tokens[0]?.count ?? 0 };
}
