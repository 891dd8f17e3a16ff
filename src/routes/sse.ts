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
 * @throws ApiError `unsupported_media_type` (a body that is not JSON), `invalid_json`, `validation_error` (body, or a malformed `Last-Event-ID` / `?after=`)
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
    return answer(c, body.data, streamCursor(c));
  });
}

/** A well-formed resume cursor: the decimal `seq` of an event (surrounding blanks allowed in the header). */
const CURSOR = /^\s*\d{1,15}\s*$/;

/**
 * The resume cursor of a stream request: `Last-Event-ID` (WHATWG HTML §9.2.4), else the `?after=<seq>`
 * query a client that cannot set headers sends (the header wins when both are present); 0 when neither.
 * @throws ApiError `validation_error` (400) naming `header.last-event-id` or `query.after` when the one
 *   read is not a non-negative integer, rather than a silent replay from the start
 */
export function streamCursor(c: Context<AppEnv>): number {
  const header = c.req.header("last-event-id");
  if (header !== undefined) return checkedCursor(header, "header.last-event-id", "last-event-id");
  const after = c.req.query("after");
  if (after !== undefined) return checkedCursor(after, "query.after", "after");
  return 0;
}

function checkedCursor(value: string, field: string, name: string): number {
  if (!CURSOR.test(value)) {
    throw new ApiError("validation_error", `${name} must be a non-negative integer: the id (\`seq\`) of the last event received`, {
      details: { field },
      actions: [{ rel: "fix-input", hint: `Send the id of the last event received as ${name}, or omit it.` }],
    });
  }
  return parseLastEventId(value);
}
