import type { Context } from "hono";
import type { AppEnv } from "../context.ts";

/**
 * Passes an execution's SSE response through, adding the headers that let a client re-attach to it
 * (`X-Execution-ID`, `Location` — spec §9.3 R12) and the request id.
 */
export function executionStreamResponse(c: Context<AppEnv>, response: Response, harnessSlug: string, executionId: string): Response {
  const headers = new Headers(response.headers);
  headers.set("x-execution-id", executionId);
  headers.set("location", `/v1/harnesses/${harnessSlug}/executions/${executionId}`);
  headers.set("x-request-id", c.get("requestId"));
  return new Response(response.body, { status: 200, headers });
}
