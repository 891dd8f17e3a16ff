import { utcDay } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { countersToday, effectiveLimits, limitExceeded } from "./quota.ts";

/**
 * Refuses new model work for an organization whose daily token budget is used up — for work a run
 * starts on its own behalf (a subagent's task, a delegated task), which charges no new request but
 * spends the same organization's tokens.
 * @throws ApiError `rate_limited` (429, `daily_token_budget`) with `retryAfterSeconds` until the next UTC midnight.
 */
export async function assertTokenBudget({ ctx }: VerbArgs<AuthedContext, Record<string, never>>): Promise<void> {
  const nowMs = Date.now();
  const orgId = ctx.principal.orgId;
  const [limits, counters] = await Promise.all([effectiveLimits(ctx, orgId), countersToday(ctx.db, orgId, [], utcDay(nowMs))]);
  if (counters.tokens >= limits.dailyTokenBudget)
    throw limitExceeded("daily_token_budget", limits.dailyTokenBudget, counters.tokens, nowMs);
}
