import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { newId } from "../lib/ids.ts";

/** Gives every request a `req_…` id, echoed in `X-Request-ID` on every response and in every problem body. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = newId("request");
  c.set("requestId", id);
  await next();
  try {
    c.res.headers.set("x-request-id", id);
  } catch {
    // Responses passed through from a binding (static assets) have immutable headers: copy first.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("x-request-id", id);
  }
});
