/**
 * Every Open Harness operation this deployment does not serve, from the operation table
 * (`operations/table.ts`, `served: false`). Each is a documented route that authenticates, checks the
 * operation's scope, resolves the harness (404 if it is not the caller's) and answers 501
 * `capability_not_supported` naming the operation — never a bare 404 — so clients can rely on the
 * capability manifest (spec §8.4). Serving an operation removes it from here by itself.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { SCOPES } from "../../auth/scopes.ts";
import { createRouter, type AppRouteHandler } from "../../context.ts";
import { requireScope } from "../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, problemResponses } from "../../openapi/responses.ts";
import { unservedOpenHarnessOperations, type OperationMethod } from "../../operations/table.ts";
import { notSupported } from "../../services/harnesses/capabilities.ts";
import { findHarness } from "../../services/harnesses/find.ts";
import { authed } from "../authed.ts";
import { routingPath } from "../operation-route.ts";

/** [operation id, method, path, domain] of every unserved operation, in the table's order. */
export const UNSUPPORTED_OPERATIONS: [string, OperationMethod, string, string][] = unservedOpenHarnessOperations().map(([id, op]) => [
  id,
  op.method,
  op.path,
  op.domain,
]);

function paramsSchema(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((n) => [n, z.string().openapi({ param: { name: n, in: "path" } })])));
}

/** Router with one 501 route per unserved operation (multi-segment paths with a suffix first, so they match first). */
export function unsupportedRouter() {
  const router = createRouter();
  const ordered = unservedOpenHarnessOperations().toSorted(
    ([, a], [, b]) => Number(/\{path\}\/./.test(b.path)) - Number(/\{path\}\/./.test(a.path)),
  );
  for (const [operationId, op] of ordered) {
    const route = createRoute({
      operationId,
      method: op.method,
      path: routingPath(op.path),
      tags: ["Not served yet"],
      summary: `${operationId} (501 on this deployment)`,
      security: BEARER_SECURITY,
      middleware: op.scope ? requireScope(SCOPES[op.scope]) : [],
      request: { params: paramsSchema(op.path) },
      responses: problemResponses(...AUTH_ERRORS, "harness_not_found", "capability_not_supported"),
    });
    const handler: AppRouteHandler<typeof route> = async (c) => {
      const harness = await findHarness({ ctx: authed(c), input: { ref: c.req.param("harnessId") ?? "" } });
      throw notSupported(harness.slug, op.domain, operationId);
    };
    router.openapi(route, handler);
  }
  return router;
}
