/** @jsxImportSource hono/jsx */
/**
 * HTTP surface of the authorization server (paths from the DeepHarness seed: `/api/auth/oauth2/…`):
 * discovery (RFC 8414, OIDC Discovery §4), JWKS (RFC 7517), registration (RFC 7591), authorization with
 * consent (RFC 6749 §4.1 + PKCE RFC 7636 + RFC 8707 + RFC 9207), token (RFC 6749 §3.2), revocation
 * (RFC 7009), introspection (RFC 7662) and userinfo (OIDC Core §5.3). The policy lives in `src/auth/oauth`.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../context.ts";
import { resources, SUPPORTED_SCOPES } from "../../auth/resources.ts";
import { jwks } from "../../auth/signing-keys.ts";
import { verifyAccessToken } from "../../auth/tokens.ts";
import { authenticateClient, isLoopbackRedirect, presentedClient, registerClient } from "../../auth/oauth/clients.ts";
import { OAuthError } from "../../auth/oauth/errors.ts";
import {
  clientCredentials,
  exchangeCode,
  findCoveringGrant,
  grantIsLive,
  issueCode,
  liveRefreshToken,
  RedirectableError,
  redirectWith,
  refreshTokens,
  revokeToken,
  validateAuthorizationRequest,
  type AuthorizationRequest,
} from "../../auth/oauth/flow.ts";
import { checkSessionCsrf, readWebSession, sessionCsrfToken, type SignedIn } from "../../auth/web-sessions.ts";
import { readCookie } from "./cookies.ts";
import { findUser, organizationsOf, roleIn } from "../../services/identity/users.ts";
import { ConsentPage, ErrorPage } from "./pages.tsx";
import { pageCsp, sameOrigin } from "./security.ts";

/** RFC 8414 authorization server metadata (also served as OIDC discovery: both documents agree). */
export function authorizationServerMetadata(origin: string) {
  const base = `${origin}/api/auth/oauth2`;
  return {
    issuer: origin,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    revocation_endpoint: `${base}/revoke`,
    introspection_endpoint: `${base}/introspect`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/jwks`,
    scopes_supported: SUPPORTED_SCOPES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["ES256"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "email", "email_verified", "name"],
    prompt_values_supported: ["none", "login", "consent"],
    resource_indicators_supported: true,
    protected_resources: Object.values(resources(origin)),
  };
}

function noStore(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  response.headers.set("pragma", "no-cache");
  return response;
}

function oauthErrorResponse(error: OAuthError): Response {
  const response = new Response(JSON.stringify(error.body()), {
    status: error.status === 302 ? 400 : error.status,
    headers: { "content-type": "application/json" },
  });
  if (error.status === 401) response.headers.set("www-authenticate", 'Basic realm="oauth"');
  return noStore(response);
}

async function formOf(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded"))
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded.");
  return new URLSearchParams(await c.req.text());
}

async function html(c: Context<AppEnv>, body: unknown, status: number, formTargets: string[] = []): Promise<Response> {
  const response = await c.html(body as string, status as 200);
  response.headers.set("content-security-policy", pageCsp(formTargets));
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("cache-control", "no-store");
  return response;
}

async function renderConsent(c: Context<AppEnv>, request: AuthorizationRequest, session: SignedIn, authorizeQuery: string) {
  const { db } = c.var.services;
  const organizations = await organizationsOf(db, session.user.id);
  const redirect = new URL(request.redirectUri);
  return html(
    c,
    <ConsentPage
      csrf={await sessionCsrfToken(session, "consent")}
      authorizeQuery={authorizeQuery}
      clientName={request.client.name}
      clientId={request.client.id}
      redirectHost={redirect.host}
      loopback={isLoopbackRedirect(request.redirectUri)}
      scopes={request.scope.split(" ")}
      userEmail={session.user.email}
      organizations={organizations}
    />,
    200,
    [redirect.origin],
  );
}

/** Runs `fn`, turning OAuth errors into a redirect (when the client is verified) or an error page. */
async function authorizeStep(c: Context<AppEnv>, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RedirectableError)
      return c.redirect(
        redirectWith(error.redirectUri, c.var.services.origin, {
          error: error.error,
          error_description: error.description,
          state: error.state,
        }),
        302,
      );
    if (error instanceof OAuthError)
      return html(c, <ErrorPage title="This sign-in link does not work" message={`${error.description} (${error.error})`} />, 400);
    throw error;
  }
}

/** The authorization server routes (mounted at the root). */
export const oauthRouter = new Hono<AppEnv>();

oauthRouter.get("/.well-known/oauth-authorization-server", (c) => c.json(authorizationServerMetadata(c.var.services.origin)));
oauthRouter.get("/.well-known/openid-configuration", (c) => c.json(authorizationServerMetadata(c.var.services.origin)));
oauthRouter.get("/api/auth/oauth2/jwks", async (c) => {
  const { db, config } = c.var.services;
  const response = c.json(await jwks(db, config));
  response.headers.set("cache-control", "public, max-age=300");
  return response;
});

oauthRouter.post("/api/auth/oauth2/register", async (c) => {
  let metadata: unknown;
  try {
    metadata = await c.req.json();
  } catch {
    return oauthErrorResponse(new OAuthError("invalid_client_metadata", "Send the client metadata as a JSON object."));
  }
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata))
    return oauthErrorResponse(new OAuthError("invalid_client_metadata", "Send the client metadata as a JSON object."));
  try {
    return noStore(c.json(await registerClient(c.var.services.db, metadata as Record<string, unknown>), 201));
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error);
    throw error;
  }
});

oauthRouter.get("/api/auth/oauth2/authorize", (c) =>
  authorizeStep(c, async () => {
    const { db, config, origin } = c.var.services;
    const url = new URL(c.req.url);
    const request = await validateAuthorizationRequest(db, config, origin, url.searchParams);
    const session = await readWebSession(db, readCookie(c, "session"));
    if (!session || request.prompt.includes("login")) {
      if (request.prompt.includes("none"))
        throw new RedirectableError("login_required", "The user is not signed in.", request.redirectUri, request.state);
      const resume = new URL(url);
      const prompt = request.prompt.filter((p) => p !== "login");
      if (prompt.length) resume.searchParams.set("prompt", prompt.join(" "));
      else resume.searchParams.delete("prompt");
      return c.redirect(`/api/auth/sign-in?return_to=${encodeURIComponent(resume.pathname + resume.search)}`, 302);
    }
    if (request.prompt.includes("none")) {
      const grant = await findCoveringGrant(db, session.user.id, request);
      if (!grant)
        throw new RedirectableError("consent_required", "The user has not approved this client yet.", request.redirectUri, request.state);
      const code = await issueCode(db, {
        request,
        userId: session.user.id,
        orgId: grant.orgId,
        authTime: session.authTime,
        grantId: grant.id,
      });
      return c.redirect(redirectWith(request.redirectUri, origin, { code, state: request.state }), 302);
    }
    return renderConsent(c, request, session, url.search.slice(1));
  }),
);

oauthRouter.post("/api/auth/oauth2/authorize", (c) =>
  authorizeStep(c, async () => {
    const { db, config, origin } = c.var.services;
    if (!sameOrigin(c.req.header("origin"), origin)) throw new OAuthError("invalid_request", "This form must be sent from this site.");
    const form = new URLSearchParams(await c.req.text());
    const session = await readWebSession(db, readCookie(c, "session"));
    if (!session) throw new OAuthError("invalid_request", "Your sign-in expired; start again from the app.");
    if (!(await checkSessionCsrf(session, "consent", form.get("csrf") ?? undefined)))
      throw new OAuthError("invalid_request", "The form expired or was not sent from this page; start again from the app.");
    const request = await validateAuthorizationRequest(db, config, origin, new URLSearchParams(form.get("authorize_query") ?? ""));
    if (form.get("decision") !== "approve")
      throw new RedirectableError("access_denied", "The user denied the request.", request.redirectUri, request.state);
    const orgId = form.get("org_id") ?? "";
    if (!(await roleIn(db, session.user.id, orgId)))
      throw new RedirectableError("access_denied", "The chosen organization is not one of the user's.", request.redirectUri, request.state);
    const code = await issueCode(db, { request, userId: session.user.id, orgId, authTime: session.authTime });
    return c.redirect(redirectWith(request.redirectUri, origin, { code, state: request.state }), 302);
  }),
);

oauthRouter.post("/api/auth/oauth2/token", async (c) => {
  const { db, config, origin } = c.var.services;
  try {
    const form = await formOf(c);
    const client = await authenticateClient(db, config, presentedClient(c.req.header("authorization"), form));
    const grantType = form.get("grant_type");
    if (grantType && grantType !== "client_credentials" && !client.grantTypes.includes(grantType))
      throw new OAuthError("unauthorized_client", `This client may not use ${grantType}.`);
    const body =
      grantType === "authorization_code"
        ? await exchangeCode(db, config, origin, client, form)
        : grantType === "refresh_token"
          ? await refreshTokens(db, config, origin, client, form)
          : grantType === "client_credentials"
            ? await clientCredentials(db, config, origin, client, form)
            : (() => {
                throw new OAuthError(
                  "unsupported_grant_type",
                  "grant_type must be authorization_code, refresh_token or client_credentials.",
                );
              })();
    return noStore(c.json(body));
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error);
    throw error;
  }
});

oauthRouter.post("/api/auth/oauth2/revoke", async (c) => {
  const { db, config, origin } = c.var.services;
  try {
    const form = await formOf(c);
    const client = await authenticateClient(db, config, presentedClient(c.req.header("authorization"), form));
    const token = form.get("token");
    if (!token) throw new OAuthError("invalid_request", "token is missing.");
    const r = resources(origin);
    const access =
      token.split(".").length === 3
        ? await verifyAccessToken(db, config, token, { issuer: origin, audience: Object.values(r) })
        : undefined;
    await revokeToken(db, client.id, token, access?.ok ? access.claims.grant_id : undefined);
    return noStore(c.body(null, 200));
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error);
    throw error;
  }
});

oauthRouter.post("/api/auth/oauth2/introspect", async (c) => {
  const { db, config, origin } = c.var.services;
  try {
    const form = await formOf(c);
    const client = await authenticateClient(db, config, presentedClient(c.req.header("authorization"), form));
    if (client.tokenEndpointAuthMethod === "none")
      throw new OAuthError("invalid_client", "Introspection needs a confidential client.", 401);
    const token = form.get("token") ?? "";
    if (token.split(".").length === 3) {
      const verdict = await verifyAccessToken(db, config, token, { issuer: origin, audience: Object.values(resources(origin)) });
      if (verdict.ok && (!verdict.claims.grant_id || (await grantIsLive(db, verdict.claims.grant_id)))) {
        const { claims } = verdict;
        return noStore(
          c.json({
            active: true,
            token_type: "access_token",
            scope: claims.scope,
            client_id: claims.client_id,
            sub: claims.sub,
            aud: claims.aud,
            iss: claims.iss,
            exp: claims.exp,
            iat: claims.iat,
            jti: claims.jti,
            org_id: claims.org_id,
          }),
        );
      }
      return noStore(c.json({ active: false }));
    }
    const refresh = token ? await liveRefreshToken(db, token) : undefined;
    if (!refresh) return noStore(c.json({ active: false }));
    return noStore(
      c.json({
        active: true,
        token_type: "refresh_token",
        scope: refresh.scope,
        client_id: refresh.clientId,
        exp: Math.floor(Date.parse(refresh.expiresAt) / 1000),
      }),
    );
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error);
    throw error;
  }
});

async function userinfo(c: Context<AppEnv>): Promise<Response> {
  const { db, config, origin } = c.var.services;
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const challenge = (error: string) => {
    const response = c.json({ error }, 401);
    response.headers.set("www-authenticate", `Bearer error="${error}"`);
    return response;
  };
  if (!token) return challenge("invalid_request");
  const verdict = await verifyAccessToken(db, config, token, { issuer: origin, audience: Object.values(resources(origin)) });
  if (
    !verdict.ok ||
    verdict.claims.principal_type !== "user" ||
    (verdict.claims.grant_id && !(await grantIsLive(db, verdict.claims.grant_id)))
  )
    return challenge("invalid_token");
  const scopes = verdict.claims.scope.split(" ");
  if (!scopes.includes("openid")) {
    const response = c.json({ error: "insufficient_scope" }, 403);
    response.headers.set("www-authenticate", 'Bearer error="insufficient_scope", scope="openid"');
    return response;
  }
  const user = await findUser(db, verdict.claims.sub);
  if (!user) return challenge("invalid_token");
  return noStore(
    c.json({
      sub: user.id,
      ...(scopes.includes("email") ? { email: user.email, email_verified: false } : {}),
      ...(scopes.includes("profile") ? { name: user.displayName } : {}),
    }),
  );
}
oauthRouter.get("/api/auth/oauth2/userinfo", (c) => userinfo(c));
oauthRouter.post("/api/auth/oauth2/userinfo", (c) => userinfo(c));
