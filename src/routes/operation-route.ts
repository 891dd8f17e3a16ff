/**
 * Route contracts from the operation table: `operationRoute(id, config)` is `createRoute` with the
 * operation id, method, path, security scheme and scope guard taken from `operations/table.ts`, so a
 * route file states only what is its own (summary, request and response schemas, extra middleware).
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { SCOPES } from "../auth/scopes.ts";
import { requireScope } from "../middleware/authenticate.ts";
import { BEARER_SECURITY } from "../openapi/responses.ts";
import { ROUTED_OPERATIONS, type RoutedOperationId } from "../operations/table.ts";

/** The parameters that span several path segments (`{path}` of the Files domain, spec §9.3 R3). */
const MULTI_SEGMENT_PARAMS = new Set(["path"]);

/**
 * `path` as the router matches it: a multi-segment parameter becomes `{name{.+}}`, which
 * @hono/zod-openapi turns into hono's `:name{.+}` (the document shows `{name}`: `openapi/document.ts`).
 */
export function routingPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (whole, name: string) => (MULTI_SEGMENT_PARAMS.has(name) ? `{${name}{.+}}` : whole));
}

/** What a route file writes: everything but what the table decides. */
type OperationRouteConfig = Omit<RouteConfig, "method" | "path" | "operationId">;

/**
 * The route contract of operation `id`. `config.middleware` runs after the scope guard (e.g. a body
 * limit), `options.beforeGuard` before it (e.g. reading a WebSocket token); `config.security` overrides
 * the bearer requirement in the document (auth-optional operations).
 * @throws Error at start-up when the table does not mark the operation served.
 */
export function operationRoute<Id extends RoutedOperationId, const C extends OperationRouteConfig>(
  id: Id,
  config: C,
  options: { beforeGuard?: MiddlewareHandler } = {},
) {
  const op = ROUTED_OPERATIONS[id];
  if (!op.served) throw new Error(`${id} has a route but the operation table does not mark it served`);
  const extra = config.middleware === undefined ? [] : Array.isArray(config.middleware) ? config.middleware : [config.middleware];
  const guard = [...(options.beforeGuard ? [options.beforeGuard] : []), ...(op.scope === null ? [] : [requireScope(SCOPES[op.scope])])];
  return createRoute({
    security: op.scope === null ? [] : BEARER_SECURITY,
    ...config,
    operationId: id,
    method: op.method as (typeof ROUTED_OPERATIONS)[Id]["method"],
    path: routingPath(op.path) as (typeof ROUTED_OPERATIONS)[Id]["path"],
    middleware: [...guard, ...extra],
  });
}
