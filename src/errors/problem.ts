import type { ApiError } from "./api-error.ts";

/**
 * RFC 9457 problem details body, extended with `code`, `allowed_actions`, `request_id` and the
 * Open Harness `error` envelope (spec §1.5) so both kinds of client can read it.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  allowed_actions: { rel: string; hint?: string; operation_id?: string; href?: string }[];
  request_id: string;
  retry_after_seconds?: number;
  error: {
    code: string;
    message: string;
    domain?: string;
    operation?: string;
    details?: Record<string, unknown>;
  };
}

/** Media type of every error response (RFC 9457 §3). */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Builds the problem body for `error` as seen at `instance` (the request path) during `requestId`. */
export function toProblem(error: ApiError, instance: string, requestId: string): ProblemBody {
  const body: ProblemBody = {
    type: `urn:edgeharness:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    allowed_actions: error.actions,
    request_id: requestId,
    error: { code: error.code, message: error.message },
  };
  if (error.retryAfterSeconds !== undefined) body.retry_after_seconds = error.retryAfterSeconds;
  if (error.domain) body.error.domain = error.domain;
  if (error.operation) body.error.operation = error.operation;
  if (error.details) body.error.details = error.details;
  return body;
}

/** A complete problem response for `error` (adds `Retry-After` when the error carries one). */
export function problemResponse(error: ApiError, instance: string, requestId: string): Response {
  const headers = new Headers({ "content-type": PROBLEM_CONTENT_TYPE, "x-request-id": requestId });
  if (error.retryAfterSeconds !== undefined) headers.set("retry-after", String(error.retryAfterSeconds));
  return new Response(JSON.stringify(toProblem(error, instance, requestId)), { status: error.status, headers });
}
