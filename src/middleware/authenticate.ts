import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { verifyApiKey } from "../auth/api-keys.ts";
import type { Principal } from "../auth/principal.ts";
import { audienceForPath, principalScopes } from "../auth/resources.ts";
import { isClientLive, isGrantLive } from "../auth/revocation.ts";
import { verifyAccessToken } from "../auth/tokens.ts";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors/api-error.ts";

const BEARER = /^Bearer\s+(\S+)$/i;

function unauthorized(detail: string): ApiError {
  return new ApiError("unauthorized", detail, {
    actions: [{ rel: "authenticate", hint: "Send Authorization: Bearer <organization API key>." }],
  });
}

/**
 * True for the MCP server's paths: that surface authenticates its requests itself, because the MCP
 * authorization spec wants its own answers (RFC 9728 `WWW-Authenticate` challenges, 403
 * `insufficient_scope`) — see `routes/mcp/mcp.guard.ts`.
 */
export function isSelfAuthenticatingPath(pathname: string): boolean {
  return pathname === "/api/mcp" || pathname.startsWith("/api/mcp/");
}

/**
 * Resolves `Authorization: Bearer …` to a principal when present. Credentials that are present but
 * invalid fail at once (401); absent credentials leave `principal` unset so auth-optional routes
 * (harnesses.health) still work — routes that need a caller declare {@link requireScope}.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (header === undefined || isSelfAuthenticatingPath(new URL(c.req.url).pathname)) {
    c.set("principal", undefined);
    return next();
  }
  c.set("principal", await principalFromAuthorization(c, header));
  return next();
});

/**
 * The principal behind an `Authorization` header value: an organization API key, or an RFC 9068
 * access token issued for the API the request path belongs to.
 * @throws ApiError `unauthorized` for a malformed header or a refused token.
 */
export async function principalFromAuthorization(c: Context<AppEnv>, header: string): Promise<Principal> {
  const match = BEARER.exec(header.trim());
  if (!match?.[1]) throw unauthorized("The Authorization header must be `Bearer <token>`.");
  const token = match[1];
  const principal = looksLikeJwt(token) ? await principalFromAccessToken(c, token) : await verifyApiKey(c.var.services.db, token);
  if (!principal) throw unauthorized("The bearer token is not a valid, unrevoked API key.");
  return principal;
}

function looksLikeJwt(token: string): boolean {
  return token.split(".").length === 3 && token.startsWith("ey");
}

/**
 * An OAuth access token (RFC 9068) is accepted only on the API it was issued for (RFC 8707 audience):
 * the request path decides the expected audience.
 * @throws ApiError `unauthorized` for an expired, invalid or wrong-audience token.
 */
async function principalFromAccessToken(c: Context<AppEnv>, token: string): Promise<Principal> {
  const { db, config, origin } = c.var.services;
  const audience = audienceForPath(origin, new URL(c.req.url).pathname);
  if (!audience) throw unauthorized("Access tokens are accepted only on the APIs (/v1, /api/v1, /api/external/v1, /api/mcp).");
  const verdict = await verifyAccessToken(db, config, token, { issuer: origin, audience });
  if (!verdict.ok) {
    const why = {
      expired: "has expired",
      wrong_audience: `was not issued for ${audience}`,
      malformed: "is malformed",
      invalid: "is not valid",
    }[verdict.reason];
    throw new ApiError("unauthorized", `The access token ${why}.`, {
      details: { reason: verdict.reason },
      actions: [
        { rel: "authenticate", hint: verdict.reason === "expired" ? "Refresh the token." : `Request a token with resource=${audience}.` },
      ],
    });
  }
  const claims = verdict.claims;
  // A revoked consent (or machine client) stops its tokens within REVOCATION_CHECK_TTL_MS, though they are
  // stateless JWTs. A user's token always comes from a grant; only client_credentials tokens have none.
  const live = claims.grant_id
    ? await isGrantLive(db, claims.grant_id)
    : claims.principal_type === "service" && (await isClientLive(db, claims.client_id));
  if (!live) {
    throw new ApiError("unauthorized", "The access token was revoked.", {
      details: { reason: "revoked" },
      actions: [{ rel: "authenticate", hint: "Sign in again to get a new token." }],
    });
  }
  return {
    kind: claims.principal_type,
    orgId: claims.org_id,
    subject: claims.sub,
    scopes: principalScopes(claims.scope),
    via: "oauth",
    clientId: claims.client_id,
    ...(claims.grant_id ? { grantId: claims.grant_id } : {}),
  };
}

/**
 * Requires an authenticated principal holding `scope` (or `*`).
 * @throws ApiError `unauthorized` (no principal), `forbidden` naming the scope.
 */
export function assertScope(principal: Principal | undefined, scope: string): asserts principal is Principal {
  if (!principal) throw unauthorized("This operation requires credentials.");
  if (!principal.scopes.includes("*") && !principal.scopes.includes(scope)) {
    throw new ApiError("forbidden", `The credentials lack the \`${scope}\` scope.`, {
      details: { required_scope: scope },
      actions: [{ rel: "reauthorize", hint: `Use credentials granted the \`${scope}\` scope.` }],
    });
  }
}

/** Route-level guard: requires an authenticated principal holding `scope` (or `*`). */
export function requireScope(scope: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    assertScope(c.get("principal"), scope);
    return next();
  });
}

/**
 * For WebSocket upgrades, which browsers cannot send an `Authorization` header with (spec §9.3 R8): a
 * token may come as `?token=<token>` or as a `bearer.<token>` entry of `Sec-WebSocket-Protocol` — an
 * organization API key, or an RFC 9068 access token checked exactly as in the header (audience of the
 * API the path belongs to, revocation): the web console connects with its access token this way.
 * Runs after {@link authenticate}; a header, when present, wins.
 * @throws ApiError `unauthorized` for a token that is not a live API key or a valid access token for this API.
 */
export const webSocketToken = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("principal")) return next();
  const fromProtocol = (c.req.header("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .find((p) => p.startsWith("bearer."));
  const token = c.req.query("token") ?? fromProtocol?.slice("bearer.".length);
  if (!token) return next();
  c.set("principal", await principalFromAuthorization(c, `Bearer ${token}`));
  return next();
});
