/**
 * The gate in front of the MCP server, in the order a request meets it:
 *
 * 1. Host (DNS rebinding) and Origin validation — MCP Streamable HTTP transport, "Security Warning":
 *    servers MUST validate `Origin` and answer 403 when it is invalid.
 * 2. Tokens only in the `Authorization` header — MCP authorization spec, "Token Requirements"; RFC 6750
 *    §2.3's URI query form is refused (RFC 6750 §5.3: it leaks into logs and referrers).
 * 3. Authentication — an organization API key, or an RFC 9068 access token whose audience is exactly
 *    `<origin>/api/mcp` (RFC 8707; MCP authorization spec, "Token Audience Binding and Validation").
 *    Missing or refused → 401 with an RFC 6750 §3 challenge carrying RFC 9728 §5.1 `resource_metadata`.
 * 4. Scope — the principal needs `assistant`; otherwise 403 `insufficient_scope` (RFC 6750 §3.1).
 *
 * Bodies stay RFC 9457 problems (the MCP spec dictates only status codes and the challenge header).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../context.ts";
import { ApiError } from "../../errors/api-error.ts";
import { problemResponse } from "../../errors/problem.ts";
import { principalFromAuthorization } from "../../middleware/authenticate.ts";
import { MCP_CLIENT_SCOPES, MCP_REQUIRED_SCOPE, mcpResourceMetadataUrl } from "./protected-resource.ts";

/** Query parameter of RFC 6750 §2.3, refused here. */
const QUERY_TOKEN_PARAMETER = "access_token";

/** RFC 6750 §3 auth-param values are quoted-strings of these characters only (no `"` or `\`). */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "'")}"`;
}

/**
 * The `WWW-Authenticate` value of a refusal. Without `error` (no credentials at all, RFC 6750 §3.1:
 * "SHOULD NOT include an error code") it tells the client where to discover how to get a token and
 * which scopes to ask for; with `invalid_token`/`invalid_request` it says why a token was refused; with
 * `insufficient_scope` it names the scope the call needs.
 */
export function bearerChallenge(
  origin: string,
  error?: { code: "invalid_token" | "invalid_request"; description: string } | { code: "insufficient_scope" },
): string {
  const metadata = `resource_metadata=${quoted(mcpResourceMetadataUrl(origin))}`;
  if (!error) return `Bearer ${metadata}, scope=${quoted(MCP_CLIENT_SCOPES.join(" "))}`;
  if (error.code === "insufficient_scope") return `Bearer error="insufficient_scope", scope=${quoted(MCP_REQUIRED_SCOPE)}, ${metadata}`;
  const description = `error_description=${quoted(error.description)}`;
  return `Bearer error=${quoted(error.code)}, ${description}, ${metadata}, scope=${quoted(MCP_CLIENT_SCOPES.join(" "))}`;
}

/** A problem response for `error` with the challenge attached. */
function challengeResponse(c: Context<AppEnv>, error: ApiError, challenge: string): Response {
  const response = problemResponse(error, new URL(c.req.url).pathname, c.get("requestId"));
  response.headers.set("www-authenticate", challenge);
  return response;
}

function forbidden(c: Context<AppEnv>, detail: string, field: string): Response {
  return problemResponse(
    new ApiError("forbidden", detail, {
      details: { field },
      actions: [
        { rel: "fix-input", hint: `Call ${c.var.services.origin}/api/mcp directly, from a non-browser client or from this origin.` },
      ],
    }),
    new URL(c.req.url).pathname,
    c.get("requestId"),
  );
}

/**
 * Host and Origin validation. The deployment's origin is the one every absolute URL, token issuer and
 * audience here is built from (the request URL's origin, see `middleware/services.ts`). An `Origin`
 * other than it (a web page elsewhere driving the user's browser) is refused with 403; requests
 * without `Origin` pass, since non-browser MCP clients send none. A `Host` header that disagrees with
 * the URL (a proxy or router that rewrote one but not the other) is refused too.
 *
 * With `PUBLIC_ORIGIN` set, the Host must be that origin's host, which refuses DNS-rebinding names.
 * Without it (local development), workerd builds the request URL from `Host` (in production and in
 * `wrangler dev`), so a DNS-rebinding name arrives with a matching URL. In
 * production Cloudflare only routes the Worker's own routes and custom domains to it, so such a name
 * never arrives; on a local dev server it would, but this endpoint takes bearer tokens only — no
 * cookie or other ambient credential a rebinding page could borrow — so it gains nothing there.
 */
export const validateHostAndOrigin = createMiddleware<AppEnv>(async (c, next) => {
  // With PUBLIC_ORIGIN configured this is the deployment's fixed origin: a rebinding Host is refused.
  const url = new URL(c.var.services.origin);
  // The Host header, or the request URL's host when a runtime delivers none.
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  if (host.trim().toLowerCase() !== url.host) {
    return forbidden(c, `The Host header ${JSON.stringify(host)} does not name this server (${url.host}).`, "header.host");
  }
  const origin = c.req.header("origin");
  if (origin !== undefined && !sameOrigin(origin, url.origin)) {
    return forbidden(
      c,
      `Requests from origin ${JSON.stringify(origin)} are not accepted; only ${url.origin} may call the MCP server from a browser.`,
      "header.origin",
    );
  }
  return next();
});

/** True when the `Origin` header value is exactly `expected` (the opaque `null` origin never is). */
function sameOrigin(header: string, expected: string): boolean {
  try {
    const parsed = new URL(header.trim());
    return parsed.origin !== "null" && parsed.origin === expected;
  } catch {
    return false;
  }
}

/**
 * Authenticates the request and checks the `assistant` scope; on success `principal` is set.
 * The client's token is used for this check only: it is never handed to the MCP SDK, a tool or any
 * outbound request (see `mcp.server.ts`, which strips the header before the SDK sees the request).
 */
export const requireMcpPrincipal = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.var.services.origin;
  if (new URL(c.req.url).searchParams.has(QUERY_TOKEN_PARAMETER)) {
    const detail = "Access tokens are accepted only in the Authorization header, never in the query string.";
    return challengeResponse(
      c,
      new ApiError("validation_error", detail, {
        details: { field: `query.${QUERY_TOKEN_PARAMETER}` },
        actions: [{ rel: "fix-input", hint: "Remove access_token from the URL and send Authorization: Bearer <token>." }],
      }),
      bearerChallenge(origin, { code: "invalid_request", description: detail }),
    );
  }

  const header = c.req.header("authorization");
  if (header === undefined) {
    return challengeResponse(
      c,
      new ApiError("unauthorized", "The MCP server requires an access token.", {
        actions: [
          {
            rel: "authenticate",
            hint: `Discover the authorization server from ${mcpResourceMetadataUrl(origin)} and request a token with resource=${origin}/api/mcp and scope ${MCP_REQUIRED_SCOPE}.`,
            href: mcpResourceMetadataUrl(origin),
          },
        ],
      }),
      bearerChallenge(origin),
    );
  }

  const principal = await principalFromAuthorization(c, header).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === "unauthorized") return error;
    throw error;
  });
  if (principal instanceof ApiError) {
    return challengeResponse(c, principal, bearerChallenge(origin, { code: "invalid_token", description: principal.message }));
  }

  if (!principal.scopes.includes("*") && !principal.scopes.includes(MCP_REQUIRED_SCOPE)) {
    const detail = `The token lacks the \`${MCP_REQUIRED_SCOPE}\` scope the MCP tools need.`;
    return challengeResponse(
      c,
      new ApiError("forbidden", detail, {
        details: { required_scope: MCP_REQUIRED_SCOPE },
        actions: [{ rel: "reauthorize", hint: `Request a new token with scope ${MCP_REQUIRED_SCOPE} (and resource=${origin}/api/mcp).` }],
      }),
      bearerChallenge(origin, { code: "insufficient_scope" }),
    );
  }
  c.set("principal", principal);
  return next();
});
