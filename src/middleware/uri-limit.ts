import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors/api-error.ts";

/**
 * Longest request URL served, in bytes (path and query as sent). No operation needs more than a few
 * hundred; Cloudflare's edge stops at 16 KB, and `wrangler dev`'s proxy fails with a bare 500 near
 * 64 KB, so a longer URL is refused here first, the same way everywhere.
 */
export const MAX_URL_BYTES = 8 * 1024;

/** Refuses a request whose URL is longer than {@link MAX_URL_BYTES} with 414 `uri_too_long` (RFC 9110 §15.5.15). */
export const limitUrlLength = createMiddleware<AppEnv>(async (c, next) => {
  const url = c.req.url;
  if (url.length <= MAX_URL_BYTES) return next();
  throw new ApiError("uri_too_long", `The request URL is ${url.length} bytes; this server accepts at most ${MAX_URL_BYTES}.`, {
    details: { limit_bytes: MAX_URL_BYTES, url_bytes: url.length },
    actions: [{ rel: "fix-input", hint: "Shorten the query string; send large inputs in a request body." }],
  });
});
