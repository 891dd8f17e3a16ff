import type { z } from "@hono/zod-openapi";
import { ERROR_TABLE, type ErrorCode } from "../errors/table.ts";
import { ProblemSchema } from "./schemas.ts";

/** `{ content: { "application/json": { schema } }, description }` for a success response. */
export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description } as const;
}

/** The codes every authenticated route may answer with. */
export const AUTH_ERRORS: ErrorCode[] = ["unauthorized", "forbidden"];

/**
 * Documents the problem responses a route can send, from the error table: one entry per status,
 * listing the codes that produce it. `validation_error` is always included.
 */
export function problemResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, Set<string>>();
  for (const code of ["validation_error", "rate_limited", "internal_error", ...codes] as ErrorCode[]) {
    const status = ERROR_TABLE[code].status;
    const set = byStatus.get(status) ?? new Set<string>();
    set.add(code);
    byStatus.set(status, set);
  }
  const responses: Record<number, { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }> = {};
  for (const [status, set] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[status] = {
      description: `Problem details; code: ${[...set].sort().join(", ")}`,
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  return responses;
}

/** The security requirement of every authenticated route (scheme registered once in `app.ts`). */
export const BEARER_SECURITY = [{ bearerAuth: [] }];
