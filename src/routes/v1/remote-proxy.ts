/**
 * Remote harnesses (`kind: remote`): every Open Harness operation under `/v1/harnesses/{harnessId}/…`
 * is sent on to the remote server, except the ones that are this deployment's own business — the
 * registry record itself, `capabilities` (the remote's manifest, read through), `health`,
 * `validate-credentials` and `conformance.*` (runs that certify the remote through this proxy).
 * The caller is authorised here first, with the scope the operation table names.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env.ts";
import { SCOPES } from "../../auth/scopes.ts";
import { assertScope } from "../../middleware/authenticate.ts";
import { OPEN_HARNESS_OPERATIONS, type OperationEntry } from "../../operations/table.ts";
import { findHarness } from "../../services/harnesses/find.ts";
import { proxyToRemote } from "../../services/remote/proxy.ts";
import { authed } from "../authed.ts";

/** Sub-paths (after `/harnesses/{id}`) a remote harness answers itself. */
const LOCAL = /^(\/?|\/capabilities|\/health|\/validate-credentials|\/conformance(\/.*)?)$/;

/** Every Open Harness route as a matcher of the part after `/harnesses/{id}`, with the scope it needs. */
const ROUTES = (Object.entries(OPEN_HARNESS_OPERATIONS) as [string, OperationEntry][])
  .filter(([, op]) => !op.outbound && op.path.startsWith("/harnesses/{harnessId}/"))
  .map(([, op]) => {
    const rest = op.path.slice("/harnesses/{harnessId}".length).replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    const pattern = rest.replace(/\{path\}/g, ".+").replace(/\{\w+\}/g, "[^/]+");
    return { method: op.method.toUpperCase(), matcher: new RegExp(`^${pattern}$`), scope: op.scope };
  });

/** Proxies the request when its harness is remote; otherwise lets the route answer. */
export const remoteHarnessProxy = createMiddleware<AppEnv>(async (c, next) => {
  const principal = c.get("principal");
  const ref = c.req.param("harnessId");
  const full = new URL(c.req.url);
  const rest = full.pathname.replace(/^\/v1\/harnesses\/[^/]+/, "");
  if (!principal || !ref || LOCAL.test(rest)) return next();
  const route = ROUTES.find((r) => r.method === c.req.method && r.matcher.test(rest));
  if (!route) return next();
  const ctx = authed(c);
  const harness = await findHarness({ ctx, input: { ref } });
  if (harness.kind !== "remote") return next();
  if (route.scope) assertScope(principal, SCOPES[route.scope]);
  return proxyToRemote(ctx, harness, {
    method: c.req.method,
    path: rest,
    search: full.search,
    headers: c.req.raw.headers,
    body: c.req.raw.body,
  });
});
