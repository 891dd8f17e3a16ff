import { z } from "@hono/zod-openapi";
import { pageShape, PaginationQuery } from "../../../openapi/schemas.ts";
import { USAGE_SURFACES } from "../../../services/context.ts";
import type { UsageRow, UsageToday } from "../../../services/limits/usage.ts";
import { MAX_REF_CHARS } from "../../../lib/limits.ts";

export const UsageSurface = z.enum(USAGE_SURFACES).openapi("UsageSurface", {
  description: "Where a metered request came from: the chat API, an MCP tool call, or an execution (sessions included).",
});

export const ListUsageQuery = PaginationQuery.extend({
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Only ledger rows recorded at or after this time (ISO 8601)." }),
  surface: UsageSurface.optional().openapi({ description: "Only rows of this surface." }),
  subject: z
    .string()
    .min(1)
    .max(MAX_REF_CHARS)
    .optional()
    .openapi({ description: "Only rows charged to this subject (user id or API key id)." }),
});

export const UsageEntry = z
  .object({
    id: z.string().openapi({ example: "use_0193…" }),
    subject: z.string().openapi({ description: "Who was charged: a user id or an API key id." }),
    surface: UsageSurface,
    execution_id: z.string().nullable().openapi({ description: "The metered run (a chat turn, an execution or a delegated task)." }),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    total_tokens: z.number().int(),
    created_at: z.string(),
  })
  .openapi("UsageEntry");

export const UsageTodaySchema = z
  .object({
    date: z.string().openapi({ description: "The current UTC day (YYYY-MM-DD); limits reset at its end.", example: "2026-01-31" }),
    resets_at: z.string().openapi({ description: "Next UTC midnight (ISO 8601)." }),
    requests: z.object({
      caller: z.number().int().openapi({ description: "Requests charged to the caller today." }),
      organization: z.number().int().openapi({ description: "Requests charged to anyone in the organization today." }),
      quota_per_user: z.number().int().openapi({ description: "Daily request quota per user (or API key)." }),
    }),
    tokens: z.object({
      used: z.number().int().openapi({ description: "Tokens (input + output) recorded for the organization today." }),
      budget: z.number().int().openapi({ description: "The organization's daily token budget." }),
    }),
  })
  .openapi("UsageToday");

/** The Open Harness page envelope of ledger rows, plus today's totals. */
export const UsagePage = z
  .object({
    ...pageShape(UsageEntry),
    today: UsageTodaySchema,
  })
  .openapi("UsagePage");

/** The API view of a ledger row. */
export function toUsageView(row: UsageRow): z.infer<typeof UsageEntry> {
  return {
    id: row.id,
    subject: row.subject,
    surface: row.surface as z.infer<typeof UsageSurface>,
    execution_id: row.executionId,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    total_tokens: row.inputTokens + row.outputTokens,
    created_at: row.createdAt,
  };
}

/** The API view of today's totals. */
export function toUsageTodayView(today: UsageToday): z.infer<typeof UsageTodaySchema> {
  return {
    date: today.date,
    resets_at: today.resetsAt,
    requests: { caller: today.requests.caller, organization: today.requests.organization, quota_per_user: today.requests.quotaPerUser },
    tokens: { used: today.tokens.used, budget: today.tokens.budget },
  };
}
