import { z } from "@hono/zod-openapi";
import type { OrganizationLimits } from "../../../services/limits/limits.ts";

/** Upper bounds accepted for the limits (a typo must not become an effectively unlimited value by overflow). */
const MAX_DAILY_REQUEST_QUOTA = 100_000_000;
const MAX_DAILY_TOKEN_BUDGET = 1_000_000_000_000;

const LimitPair = z.object({
  daily_request_quota: z.number().int().openapi({ description: "Requests per user (or API key) per UTC day." }),
  daily_token_budget: z.number().int().openapi({ description: "Tokens (input + output) per organization per UTC day." }),
});

export const OrganizationLimitsSchema = z
  .object({
    daily_request_quota: z
      .number()
      .int()
      .openapi({ description: "Requests per user (or API key) per UTC day, through chat, MCP tool calls and executions." }),
    daily_token_budget: z.number().int().openapi({ description: "Model tokens (input + output) the organization may use per UTC day." }),
    configured: z
      .object({ daily_request_quota: z.number().int().nullable(), daily_token_budget: z.number().int().nullable() })
      .openapi({ description: "The organization's own settings; null = the deployment default applies." }),
    defaults: LimitPair.openapi({ description: "The deployment defaults (DAILY_REQUEST_QUOTA, DAILY_TOKEN_BUDGET)." }),
    window: z.literal("day").openapi({ description: "Limits are per UTC day." }),
    resets_at: z.string().openapi({ description: "Next UTC midnight (ISO 8601)." }),
  })
  .openapi("OrganizationLimits");

export const UpdateLimitsBody = z
  .object({
    daily_request_quota: z
      .number()
      .int()
      .min(0)
      .max(MAX_DAILY_REQUEST_QUOTA)
      .nullable()
      .optional()
      .openapi({ description: `Requests per user per UTC day (0–${MAX_DAILY_REQUEST_QUOTA}); null = the deployment default.` }),
    daily_token_budget: z
      .number()
      .int()
      .min(0)
      .max(MAX_DAILY_TOKEN_BUDGET)
      .nullable()
      .optional()
      .openapi({ description: `Tokens per UTC day (0–${MAX_DAILY_TOKEN_BUDGET}); null = the deployment default.` }),
  })
  .strict()
  .openapi("UpdateOrganizationLimitsRequest");

/** The API view of an organization's limits. */
export function toLimitsView(limits: OrganizationLimits): z.infer<typeof OrganizationLimitsSchema> {
  return {
    daily_request_quota: limits.dailyRequestQuota,
    daily_token_budget: limits.dailyTokenBudget,
    configured: { daily_request_quota: limits.configured.dailyRequestQuota, daily_token_budget: limits.configured.dailyTokenBudget },
    defaults: { daily_request_quota: limits.defaults.dailyRequestQuota, daily_token_budget: limits.defaults.dailyTokenBudget },
    window: "day",
    resets_at: limits.resetsAt,
  };
}
