import { OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";
import { validationHook } from "./errors/handlers.ts";
import { cursorToOffset } from "./middleware/cursor.ts";
import { isBodyLimit, limitRequestBody, MAX_JSON_BODY_BYTES } from "./middleware/body-limit.ts";
import { requireMediaType } from "./middleware/media-type.ts";
import { problemResponses } from "./openapi/responses.ts";

export type { AppEnv, AppRouteHandler } from "./app-env.ts";

/** A route's own middleware as a list. */
function middlewareOf(route: RouteConfig): MiddlewareHandler[] {
  return route.middleware === undefined ? [] : Array.isArray(route.middleware) ? [...route.middleware] : [route.middleware];
}

/**
 * What every route gets from being registered here, after its own middleware (authentication and
 * scope come first), so no route can forget it:
 * - a query with a `cursor` (every paginated operation): {@link cursorToOffset};
 * - a request body: a body limit (the route's own {@link limitRequestBody}, else
 *   {@link MAX_JSON_BODY_BYTES}) and the media-type check (415 naming what to send), both documented.
 */
function withRequestGuards<R extends RouteConfig>(route: R): R {
  const query = route.request?.query as { shape?: Record<string, unknown> } | undefined;
  if (query?.shape && "cursor" in query.shape) route = { ...route, middleware: [...middlewareOf(route), cursorToOffset] };
  const content = route.request?.body?.content;
  if (!content || Object.keys(content).length === 0) return route;
  const own = middlewareOf(route);
  const limit = own.some(isBodyLimit) ? [] : [limitRequestBody(MAX_JSON_BODY_BYTES)];
  // Document what the guards answer, unless the route already lists those statuses.
  const responses = { ...problemResponses("payload_too_large", "unsupported_media_type"), ...route.responses };
  for (const status of ["400", "429", "500"]) if (!(status in route.responses)) delete (responses as Record<string, unknown>)[status];
  return { ...route, responses, middleware: [...own, ...limit, requireMediaType(content, route.operationId)] };
}

/**
 * A router whose validation failures become `validation_error` problem bodies naming the field, and
 * whose routes get the request guards of {@link withRequestGuards} (cursor paging, body limit,
 * media type).
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
  const register = router.openapi;
  router.openapi = ((route: RouteConfig, handler: never, hook: never) =>
    register(withRequestGuards(route), handler, hook)) as unknown as typeof router.openapi;
  return router;
}
