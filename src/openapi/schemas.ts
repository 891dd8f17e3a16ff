import { z } from "@hono/zod-openapi";
import { MAX_CURSOR_CHARS } from "../lib/page.ts";

/** RFC 9457 problem details + the Open Harness `error` envelope (component `Problem`). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:edgeharness:problem:harness_not_found" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().openapi({ description: "Stable snake_case error code." }),
    allowed_actions: z.array(
      z.object({
        rel: z.string(),
        hint: z.string().optional(),
        operation_id: z.string().optional(),
        href: z.string().optional(),
      }),
    ),
    request_id: z.string(),
    retry_after_seconds: z.number().int().optional(),
    error: z.object({
      code: z.string(),
      message: z.string(),
      domain: z.string().optional(),
      operation: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Problem");

/**
 * Open Harness `PaginationParams` (spec §1.7): `limit` 1–100 (default 20), `offset` ≥ 0 (default 0),
 * and `cursor`, the reference TypeScript client's way to page (spec §9.1 #1): the opaque `cursor` of
 * an earlier page, standing for its offset. `createRouter` turns a cursor into the offset before the
 * query is validated (`middleware/cursor.ts`); a malformed cursor is a 400.
 */
export const PaginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Page size, 1–100." }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ description: "Items to skip." }),
  cursor: z
    .string()
    .max(MAX_CURSOR_CHARS)
    .optional()
    .openapi({ description: "The `cursor` of the previous page's response (instead of `offset`)." }),
});

/** The fields of Open Harness `PaginatedResponse<T>` (spec §2.3) plus the reference client's `items` and `cursor`. */
export function pageShape<T extends z.ZodType>(item: T) {
  return {
    data: z.array(item),
    items: z.array(item).openapi({ description: "The same page as `data` (reference TypeScript client)." }),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    has_more: z.boolean(),
    cursor: z.string().optional().openapi({ description: "When `has_more`: pass it as `?cursor=` for the next page." }),
  };
}

/** Open Harness `PaginatedResponse<T>` (spec §2.3), with `items` and `cursor`. */
export function paginated<T extends z.ZodType>(item: T, name: string) {
  return z.object(pageShape(item)).openapi(name);
}

/** Open Harness `UsageStats` (tokens), plus `duration_ms` that the reference client reads. */
export const UsageSchema = z
  .object({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    total_tokens: z.number().int(),
    duration_ms: z.number().int().optional(),
  })
  .openapi("UsageStats");

/** Boolean query flag: accepts `true`/`false`/`1`/`0` (spec §9.3 R6). */
export const BooleanQuery = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/**
 * `Last-Event-ID` of a resumable stream (WHATWG HTML §9.2.4): the `seq` of the last event the client
 * received, a non-negative integer. Anything else is a 400 naming the header on the operations that
 * read it, rather than a silent replay from the start; other operations ignore the header.
 */
export const LastEventIdHeader = z.object({
  "last-event-id": z
    .string()
    .regex(/^\s*\d{1,15}\s*$/, "must be a non-negative integer: the id (`seq`) of the last event received")
    .optional()
    .openapi({ param: { name: "last-event-id", in: "header" }, description: "Resume strictly after this event id (`seq`)." }),
});
