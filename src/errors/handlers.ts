import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { createLogger } from "../lib/log.ts";
import { ApiError } from "./api-error.ts";
import { problemResponse } from "./problem.ts";
import { ERROR_TABLE, type ErrorCode } from "./table.ts";

/** Error code for a hono `HTTPException` status raised by library code (anything else is a 500). */
const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  413: "payload_too_large",
  414: "uri_too_long",
  415: "unsupported_media_type",
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = Context<any>;

function requestIdOf(c: AnyContext): string {
  return (c.get("requestId") as string | undefined) ?? "req_unknown";
}

/** `a.b[0].c` style path of a zod issue, with the request part (`body`, `query`, `path`) in front. */
function issuePath(target: string, path: readonly PropertyKey[]): string {
  let out = target;
  for (const segment of path) {
    out += typeof segment === "number" ? `[${segment}]` : `${out ? "." : ""}${String(segment)}`;
  }
  return out;
}

/** Fields of a resource that only the server sets; a request that sends one is told so by name. */
const SERVER_SET_FIELDS = new Set([
  "uid",
  "is_built_in",
  "lifecycle",
  "created_at",
  "updated_at",
  "archived_at",
  "deleted_at",
  "self_url",
  "view_url",
  "ui_link",
]);

/** Converts a zod failure for one request part into a `validation_error` naming each offending field. */
export function validationError(error: ZodError, target: string): ApiError {
  // A field no operation knows is named itself (`body.foo`), never ignored: one issue per unknown key.
  const issues = error.issues.flatMap((issue): { field: string; message: string; code: string }[] =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          field: issuePath(target, [...issue.path, key]),
          message: SERVER_SET_FIELDS.has(key)
            ? "is set by the server and cannot be sent; it was refused, not ignored"
            : "is not a field of this operation; it was refused, not ignored",
          code: issue.code,
        }))
      : issue.code === "invalid_key"
        ? // A record key that fails its schema: say why, not just "Invalid key in record".
          [{ field: issuePath(target, issue.path), message: `invalid key: ${issue.issues[0]?.message ?? issue.message}`, code: issue.code }]
        : [{ field: issuePath(target, issue.path), message: issue.message, code: issue.code }],
  );
  const first = issues[0];
  const detail = first ? `${first.field}: ${first.message}` : "The request is invalid.";
  return new ApiError("validation_error", detail, {
    details: { field: first?.field, issues },
    actions: [{ rel: "fix-input", hint: `Correct ${first?.field ?? "the request"} and send the request again.` }],
  });
}

/** `defaultHook` for every OpenAPI route: turns a failed zod validation into a problem response. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: AnyContext,
): Response | undefined {
  if (result.success) return undefined;
  const target = result.target === "json" ? "body" : result.target === "param" ? "path" : result.target;
  return problemResponse(validationError(result.error, target), new URL(c.req.url).pathname, requestIdOf(c));
}

/**
 * The one `onError`: ApiError → its problem body; a malformed JSON body → 400; anything else → 500 with
 * a generic detail, the cause logged with the request id and never echoed.
 */
export const onError: ErrorHandler = (err, c) => {
  const ctx = c as AnyContext;
  const instance = new URL(c.req.url).pathname;
  if (err instanceof ApiError) return problemResponse(err, instance, requestIdOf(ctx));
  if (err instanceof HTTPException && err.status === 400) {
    // hono's validator throws this for bodies it cannot parse (malformed JSON).
    return problemResponse(
      new ApiError("invalid_json", err.message || "The request body could not be parsed.", {
        actions: [{ rel: "fix-input", hint: "Send a valid JSON object with Content-Type: application/json." }],
      }),
      instance,
      requestIdOf(ctx),
    );
  }
  // Other client errors raised by library middleware (a media-type gate, a body limit): never a 500.
  // Our own middleware throws ApiErrors with more to say; this is the backstop.
  const fallback = err instanceof HTTPException ? HTTP_EXCEPTION_CODES[err.status] : undefined;
  if (fallback) {
    return problemResponse(
      new ApiError(fallback, err.message || ERROR_TABLE[fallback].title, {
        actions: [{ rel: "fix-input", hint: "See the OpenAPI document for what this operation accepts.", href: "/openapi.json" }],
      }),
      instance,
      requestIdOf(ctx),
    );
  }
  (ctx.var?.services?.log ?? createLogger({ request_id: requestIdOf(ctx) })).error("unhandled error", { path: instance, error: err });
  return problemResponse(
    new ApiError("internal_error", "An unexpected error occurred. Quote the request id when reporting it.", {
      actions: [{ rel: "retry-later", hint: "Retry the request; if it keeps failing, report the request id." }],
    }),
    instance,
    requestIdOf(ctx),
  );
};

/** Unknown routes get a problem body too. */
export const notFound: NotFoundHandler = (c) => {
  const ctx = c as AnyContext;
  const path = new URL(c.req.url).pathname;
  return problemResponse(
    new ApiError("route_not_found", `No route matches ${c.req.method} ${path}.`, {
      actions: [{ rel: "describedby", hint: "See the OpenAPI document for the available routes.", href: "/openapi.json" }],
    }),
    path,
    requestIdOf(ctx),
  );
};
