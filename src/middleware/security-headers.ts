import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";

/**
 * `X-Content-Type-Options: nosniff` on every response — HTML pages, JSON, problem bodies, streams,
 * artifact downloads — so a browser never reinterprets a body as another type than the one sent
 * (an uploaded artifact or file rendered as HTML, a JSON body run as script). Set in one place so
 * no page or route can forget it.
 */
export const noSniff = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  try {
    c.res.headers.set("x-content-type-options", "nosniff");
  } catch {
    // Responses passed through from a binding (static assets) have immutable headers: copy first.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("x-content-type-options", "nosniff");
  }
});
