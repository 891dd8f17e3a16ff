import type { OpenAPIHono } from "@hono/zod-openapi";
import { createRouter, type AppEnv } from "./context.ts";
import { ApiError } from "./errors/api-error.ts";
import { notFound, onError } from "./errors/handlers.ts";
import { problemResponse } from "./errors/problem.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { requestId } from "./middleware/request-id.ts";
import { noSniff } from "./middleware/security-headers.ts";
import { services } from "./middleware/services.ts";
import { limitUrlLength } from "./middleware/uri-limit.ts";
import { openApiDocument } from "./openapi/document.ts";
import {
  FRONT_DOOR_OPERATIONS,
  MANAGEMENT_OPERATIONS,
  OPEN_HARNESS_OPERATIONS,
  EXTERNAL_OPERATIONS,
  SURFACE_BASES,
  type OperationEntry,
} from "./operations/table.ts";
import { routingPath } from "./routes/operation-route.ts";
import { consoleRouter } from "./routes/console/console.tsx";
import { accountRouter } from "./routes/oauth/account.tsx";
import { invitationsPageRouter } from "./routes/oauth/invitations.tsx";
import { oauthRouter } from "./routes/oauth/oauth.tsx";
import { mcpRouter } from "./routes/mcp/mcp.index.ts";
import { mcpClientRouter } from "./routes/mcp-client/oauth-callback.ts";
import { externalApi } from "./routes/external/index.ts";
import { managementApi } from "./routes/management/index.ts";
import { v1 } from "./routes/v1/index.ts";

/** Turns a hono route path (`/v1/harnesses/:harnessId`) into a matcher for the 405 check. */
function pathMatcher(path: string): RegExp {
  const pattern = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\{[^}]+\\\}|:[A-Za-z_]+/g, "[^/]+");
  return new RegExp(`^${pattern}/?$`);
}

/**
 * Checks the app against the operation table: every operation marked served has a route with its method
 * and path (every unserved Open Harness operation has its 501 stub, so it is routed too).
 * @throws Error at start-up naming what is missing — the table and the routes must not drift.
 */
function assertOperationsRouted(app: OpenAPIHono<AppEnv>): void {
  const routed = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
  const surfaces: [string, Record<string, OperationEntry>][] = [
    [SURFACE_BASES.v1, OPEN_HARNESS_OPERATIONS],
    [SURFACE_BASES.management, MANAGEMENT_OPERATIONS],
    [SURFACE_BASES.external, EXTERNAL_OPERATIONS],
    [SURFACE_BASES.frontDoor, FRONT_DOOR_OPERATIONS],
  ];
  const missing: string[] = [];
  for (const [base, table] of surfaces) {
    for (const [id, op] of Object.entries(table)) {
      if (op.outbound) continue;
      const path = `${base}${routingPath(op.path)}`.replace(/\{(\w+)\{(.+)\}\}/g, ":$1{$2}").replace(/\{(\w+)\}/g, ":$1");
      if (!routed.has(`${op.method.toUpperCase()} ${path}`) && !routed.has(`ALL ${path}`))
        missing.push(`${id} (${op.method.toUpperCase()} ${path})`);
    }
  }
  if (missing.length > 0) throw new Error(`operations in the table without a route: ${missing.join(", ")}`);
}

/** Content-Security-Policy of the docs page: everything from this origin, nothing from elsewhere. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** A static docs asset from the Worker's own assets, with a strict CSP (`nosniff` is added for every response). */
async function docsAsset(env: Env, url: URL): Promise<Response> {
  const asset = await env.ASSETS.fetch(url);
  const response = new Response(asset.body, asset);
  response.headers.set("content-security-policy", DOCS_CSP);
  return response;
}

/**
 * Builds the application: global middleware (request id → services → authentication), the surfaces,
 * the cached OpenAPI document at `/openapi.json`, the docs page at `/docs`, and problem bodies for
 * errors, unknown routes (404) and known routes called with the wrong method (405).
 */
export function createApp(): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.use("*", requestId, noSniff, limitUrlLength, services);
  // Bearer credentials are read on the APIs only: the authorization server's endpoints use their own
  // client authentication (e.g. `Authorization: Basic` at the token endpoint).
  for (const surface of ["/v1/*", "/api/v1/*", "/api/external/v1/*", "/api/mcp", "/api/mcp/*"]) app.use(surface, authenticate);
  app.route("/v1", v1);
  app.route("/api/v1", managementApi);
  app.route("/api/external/v1", externalApi);
  // The MCP server and its RFC 9728 metadata: JSON-RPC, outside the OpenAPI document.
  app.route("/", mcpRouter);
  app.route("/", mcpClientRouter);
  app.route("/", oauthRouter);
  app.route("/", accountRouter);
  app.route("/", invitationsPageRouter);
  app.route("/", consoleRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An organization API key (`eh_sk_…`).",
  });
  app.get("/openapi.json", (c) => c.json(openApiDocument(app) as object));
  app.get("/docs", (c) => docsAsset(c.env, new URL("/docs/index.html", c.req.url)));
  app.get("/docs/*", (c) => docsAsset(c.env, new URL(c.req.url)));
  app.get("/assets/*", (c) => c.env.ASSETS.fetch(c.req.raw));
  app.get("/", (c) => c.json({ name: "EdgeHarness", api: "/v1", openapi: "/openapi.json", docs: "/docs", console: "/console" }));

  const matchers = app.routes.filter((r) => r.method !== "ALL").map((r) => ({ method: r.method, matcher: pathMatcher(r.path) }));
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(matchers.filter((m) => m.matcher.test(path)).map((m) => m.method))];
    if (allowed.length > 0) {
      const response = problemResponse(
        new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${path}; allowed: ${allowed.join(", ")}.`, {
          details: { allowed_methods: allowed },
          actions: [{ rel: "fix-input", hint: `Use one of: ${allowed.join(", ")}.` }],
        }),
        path,
        c.get("requestId"),
      );
      response.headers.set("allow", allowed.join(", "));
      return response;
    }
    return notFound(c);
  });
  app.onError(onError);
  assertOperationsRouted(app);
  return app;
}
