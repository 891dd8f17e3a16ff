/**
 * The usage ledger (D1 `usage_ledger`): one row per metered run — who it was charged to, through which
 * surface, how many tokens — and the organization's token counter for the day (`quota.ts`).
 */
import { and, count, desc, eq, gte, sql, type SQL } from "drizzle-orm";
import { rateCounters, usageLedger } from "../../db/schema.ts";
import { ID_PREFIXES, isId, newId } from "../../lib/ids.ts";
import type { Page } from "../../lib/page.ts";
import { nextUtcMidnightMs, nowIso, utcDay } from "../../lib/time.ts";
import type { AuthedContext, ServiceContext, UsageSurface, VerbArgs } from "../context.ts";
import { countersToday, effectiveLimits, tokenCounterKey } from "./quota.ts";

export type UsageRow = typeof usageLedger.$inferSelect;

/** Input of {@link recordUsage}. Token counts are model tokens (non-negative integers). */
export interface RecordUsageInput {
  orgId: string;
  /** The subject the run was charged to (user id or API key id). */
  subject: string;
  surface: UsageSurface;
  executionId?: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The ledger id of a run's row: derived from the execution id, so recording the same run twice (a
 * finish redone after an eviction) leaves one row and counts its tokens once.
 */
function ledgerId(executionId: string | undefined): string {
  if (executionId && isId("execution", executionId)) return `${ID_PREFIXES.usage}_${executionId.slice(ID_PREFIXES.execution.length + 1)}`;
  return newId("usage");
}

/**
 * Writes one ledger row and adds its tokens to the organization's counter for today, in one D1 batch
 * (a transaction). Idempotent per `executionId`: the counter is only incremented when the row is new.
 * Takes only a database handle, so Durable Objects call it too (`{ ctx: { db } }`).
 */
export async function recordUsage({ ctx, input }: { ctx: Pick<ServiceContext, "db">; input: RecordUsageInput }): Promise<void> {
  const { db } = ctx;
  const id = ledgerId(input.executionId);
  const inputTokens = Math.max(0, Math.round(input.inputTokens));
  const outputTokens = Math.max(0, Math.round(input.outputTokens));
  const tokens = inputTokens + outputTokens;
  const day = utcDay();
  await db.batch([
    // Before the ledger insert, so "the row is new" is still observable (both run in one transaction).
    // (A builder rather than `db.run(sql)`: drizzle's D1 batch cannot bind raw statements.)
    db
      .insert(rateCounters)
      .select(
        sql`SELECT ${tokenCounterKey(input.orgId, day)}, ${day}, ${tokens} WHERE ${tokens} > 0 AND NOT EXISTS (SELECT 1 FROM usage_ledger WHERE id = ${id})`,
      )
      .onConflictDoUpdate({ target: rateCounters.key, set: { count: sql`${rateCounters.count} + excluded.count` } }),
    db
      .insert(usageLedger)
      .values({
        id,
        orgId: input.orgId,
        subject: input.subject,
        surface: input.surface,
        executionId: input.executionId ?? null,
        inputTokens,
        outputTokens,
        createdAt: nowIso(),
      })
      .onConflictDoNothing(),
  ]);
}

/** Today's usage of the caller's organization against its limits. */
export interface UsageToday {
  /** The UTC day, `YYYY-MM-DD`. */
  date: string;
  /** When the daily window resets (next UTC midnight, ISO 8601). */
  resetsAt: string;
  /** Requests charged today: to the caller (or the subject asked about), to the whole organization, and the per-user quota. */
  requests: { caller: number; organization: number; quotaPerUser: number };
  /** Tokens (input + output) recorded today for the organization, and its budget. */
  tokens: { used: number; budget: number };
}

/**
 * Today's counters and limits of the caller's organization: requests of `subject` (default: the caller)
 * and of everyone, and tokens.
 */
export async function usageToday({ ctx, input }: VerbArgs<AuthedContext, { subject?: string }>): Promise<UsageToday> {
  const orgId = ctx.principal.orgId;
  const subject = input.subject ?? ctx.principal.subject;
  const nowMs = Date.now();
  const day = utcDay(nowMs);
  const [limits, counters] = await Promise.all([effectiveLimits(ctx, orgId), countersToday(ctx.db, orgId, [subject], day)]);
  return {
    date: day,
    resetsAt: new Date(nextUtcMidnightMs(nowMs)).toISOString(),
    requests: {
      caller: counters.requestsBySubject[subject] ?? 0,
      organization: counters.requestsInOrganization,
      quotaPerUser: limits.dailyRequestQuota,
    },
    tokens: { used: counters.tokens, budget: limits.dailyTokenBudget },
  };
}

/** Input of {@link listUsage}: pagination and filters (`since` is an ISO 8601 instant). */
export interface ListUsageInput {
  limit: number;
  offset: number;
  since?: string;
  surface?: UsageSurface;
  subject?: string;
}

/** usage.list — the caller's organization's ledger, newest first, with today's totals. */
export async function listUsage({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListUsageInput>): Promise<{ page: Page<UsageRow>; today: UsageToday }> {
  const filters: SQL[] = [eq(usageLedger.orgId, ctx.principal.orgId)];
  if (input.since) filters.push(gte(usageLedger.createdAt, new Date(input.since).toISOString()));
  if (input.surface) filters.push(eq(usageLedger.surface, input.surface));
  if (input.subject) filters.push(eq(usageLedger.subject, input.subject));
  const where = and(...filters);
  const [[rows, totals], today] = await Promise.all([
    ctx.db.batch([
      ctx.db
        .select()
        .from(usageLedger)
        .where(where)
        .orderBy(desc(usageLedger.createdAt), desc(usageLedger.id))
        .limit(input.limit)
        .offset(input.offset),
      ctx.db.select({ n: count() }).from(usageLedger).where(where),
    ]),
    usageToday({ ctx, input: {} }),
  ]);
  return { page: { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset }, today };
}
