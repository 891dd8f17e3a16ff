import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors/api-error.ts";

/**
 * Largest JSON request body of an operation that declares no limit of its own, in bytes. A harness
 * definition (prompt, starter files) is the largest JSON body served, and its D1 row is bounded by
 * D1's 2 MB row size anyway.
 */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/** Marks a middleware built by {@link limitRequestBody}, so `createRouter` adds no default limit beside it. */
export const BODY_LIMIT_BYTES = Symbol("bodyLimitBytes");

/** A body-limit middleware carrying its limit (see {@link BODY_LIMIT_BYTES}). */
export type BodyLimitMiddleware = MiddlewareHandler<AppEnv> & { [BODY_LIMIT_BYTES]: number };

/**
 * Refuses a request body larger than `maxBytes` with 413 `payload_too_large` (hono's `bodyLimit`): at
 * once from a declared `Content-Length` — before any byte of the body is read, so a client declaring a
 * huge body and sending it slowly (or never) is answered immediately — and, for a body without a length
 * (chunked), as soon as the bytes read pass the limit.
 */
export function limitRequestBody(maxBytes: number): BodyLimitMiddleware {
  const middleware = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      const declared = c.req.header("content-length");
      throw new ApiError(
        "payload_too_large",
        declared
          ? `The request body is ${declared} bytes; this operation accepts at most ${maxBytes} bytes.`
          : `The request body is larger than ${maxBytes} bytes, the most this operation accepts.`,
        {
          details: { limit_bytes: maxBytes, ...(declared ? { declared_bytes: Number(declared) } : {}) },
          actions: [{ rel: "fix-input", hint: `Send a body of at most ${maxBytes} bytes.` }],
        },
      );
    },
  }) as MiddlewareHandler<AppEnv>;
  return Object.assign(middleware, { [BODY_LIMIT_BYTES]: maxBytes });
}

/** True when `middleware` was built by {@link limitRequestBody}. */
export function isBodyLimit(middleware: unknown): middleware is BodyLimitMiddleware {
  return typeof middleware === "function" && BODY_LIMIT_BYTES in middleware;
}
