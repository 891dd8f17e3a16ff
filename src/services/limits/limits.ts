/**
 * organization.limits.get / organization.limits.update — the organization's daily request quota and
 * token budget (`organizations.daily_request_quota` / `daily_token_budget`; null = deployment default).
 */
import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema.ts";
import { nextUtcMidnightMs, nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCanManage } from "../organizations/access.ts";
import { effectiveLimits, type EffectiveLimits } from "./quota.ts";

/** The limits in force plus the deployment defaults and when the current window resets. */
export interface OrganizationLimits extends EffectiveLimits {
  defaults: { dailyRequestQuota: number; dailyTokenBudget: number };
  /** Next UTC midnight, ISO 8601. */
  resetsAt: string;
}

/** Input of {@link updateOrganizationLimits}: absent = unchanged, `null` = back to the deployment default. */
export interface UpdateLimitsInput {
  daily_request_quota?: number | null;
  daily_token_budget?: number | null;
}

/** organization.limits.get — the caller's organization's limits. */
export async function getOrganizationLimits({ ctx }: VerbArgs<AuthedContext, Record<string, never>>): Promise<OrganizationLimits> {
  const limits = await effectiveLimits(ctx, ctx.principal.orgId);
  return {
    ...limits,
    defaults: { dailyRequestQuota: ctx.config.dailyRequestQuota, dailyTokenBudget: ctx.config.dailyTokenBudget },
    resetsAt: new Date(nextUtcMidnightMs()).toISOString(),
  };
}

/**
 * organization.limits.update — sets either limit (null resets it to the deployment default).
 * @throws ApiError `forbidden` for a member (see {@link assertCanManage}).
 */
export async function updateOrganizationLimits({ ctx, input }: VerbArgs<AuthedContext, UpdateLimitsInput>): Promise<OrganizationLimits> {
  await assertCanManage(ctx, "change its limits");
  const patch: Partial<typeof organizations.$inferInsert> = {};
  if (input.daily_request_quota !== undefined) patch.dailyRequestQuota = input.daily_request_quota;
  if (input.daily_token_budget !== undefined) patch.dailyTokenBudget = input.daily_token_budget;
  if (Object.keys(patch).length > 0) {
    await ctx.db
      .update(organizations)
      .set({ ...patch, updatedAt: nowIso() })
      .where(eq(organizations.id, ctx.principal.orgId));
  }
  return getOrganizationLimits({ ctx, input: {} });
}
