import type { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SCOPES } from "../auth/scopes.ts";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors/api-error.ts";
import { parseLastEventId } from "../lib/sse.ts";
import { requireScope } from "../middleware/authenticate.ts";
import { requireMediaType } from "../middleware/media-type.ts";
import { OPEN_HARNESS_OPERATIONS as OPERATIONS, type OpenHarnessOperationId as OperationId } from "../operations/table.ts";
import { routingPath } from "./operation-route.ts";

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

/** A stream answered by a service (a Durable Object's SSE response), passed on with the request id and `extra` headers. */
export function passStream(c: Context<AppEnv>, response: Response, extra: Record<string, string> = {}): Response {
  const headers = new Headers(response.headers);
  headers.set("x-request-id", c.get("requestId"));
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Registers the POST twin of a GET SSE operation (spec §9.1 #3: the reference client's SSE helper sends
 * `POST` + a JSON body whenever it passes a filter — hooks.streamEvents `{events}`, conformance.stream
 * `{run_id}`, diagnostics.streamLogs `{level}`). It sits on the operation's path behind the operation's
 * scope, reads an optional JSON body with `schema` and `Last-Event-ID`, and answers as the GET does. The
 * OpenAPI document describes it on the GET route.
 * @throws ApiError `unsupported_media_type` (a body that is not JSON), `invalid_json`, `validation_error` (body or a malformed `Last-Event-ID`)
 */
export function postStreamTwin<S extends z.ZodType>(
  router: OpenAPIHono<AppEnv>,
  operationId: OperationId,
  schema: S,
  example: string,
  answer: (c: Context<AppEnv>, body: z.infer<S>, lastEventId: number) => Promise<Response>,
): void {
  const op = OPERATIONS[operationId];
  const path = routingPath(op.path).replace(
    /\{(\w+)(\{[^}]*\})?\}/g,
    (_, name: string, pattern: string | undefined) => `:${name}${pattern ?? ""}`,
  );
  if (!op.scope) throw new Error(`${operationId} has no scope: a stream is never public`);
  router.post(path, requireScope(SCOPES[op.scope]), requireMediaType({ "application/json": {} }, operationId), async (c) => {
    const raw = await c.req.text();
    let parsed: unknown = {};
    if (raw.trim() !== "") {
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new ApiError("invalid_json", `The body is not valid JSON; send ${example} or nothing.`, {
          actions: [{ rel: "fix-input", hint: `Send a JSON object such as ${example}.` }],
        });
      }
    }
    const body = schema.safeParse(parsed);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new ApiError("validation_error", `body.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`, {
        details: { field: `body.${issue?.path.join(".") ?? ""}` },
        actions: [{ rel: "fix-input", hint: `Send ${example}.` }],
      });
    }
    const lastEventId = c.req.header("last-event-id");
    if (lastEventId !== undefined && !/^\s*\d{1,15}\s*$/.test(lastEventId)) {
      throw new ApiError("validation_error", "last-event-id must be a non-negative integer: the id (`seq`) of the last event received", {
        details: { field: "header.last-event-id" },
        actions: [{ rel: "fix-input", hint: "Send the id of the last event received, or omit the header." }],
      });
    }
    return answer(c, body.data, parseLastEventId(lastEventId));
  });
}
