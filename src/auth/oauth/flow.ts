/**
 * The authorization code flow with PKCE and the token endpoint's grants (RFC 6749, RFC 7636, OAuth 2.1
 * draft §4), with resource indicators (RFC 8707), `iss` in responses (RFC 9207) and OIDC (Core §3.1).
 *
 * Atomicity on D1: consuming a code and rotating a refresh token are each ONE conditional statement
 * (`UPDATE … WHERE used_at IS NULL … RETURNING`), so two racing requests cannot both succeed.
 * Replaying a used code revokes the grant it created (RFC 6749 §4.1.2, OAuth 2.1 §4.1.3); reusing a
 * rotated refresh token revokes the whole family (OAuth 2.1 §6.1, RFC 9700 §4.14.2).
 */
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/index.ts";
import { oauthCodes, oauthGrants, oauthRefreshTokens, users } from "../../db/schema.ts";
import { randomToken, sha256Hex, toBase64Url } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { isKnownResource, resources, SUPPORTED_SCOPES } from "../resources.ts";
import { ACCESS_TOKEN_TTL_S } from "../signing-keys.ts";
import { issueAccessToken, issueIdToken } from "../tokens.ts";
import { redirectUriProblem, resolveClient, type ClientRow } from "./clients.ts";
import { OAuthError } from "./errors.ts";
import { forgetLiveCredentials } from "../revocation.ts";

/** Lifetime of an authorization code, ms (RFC 6749 §4.1.2 recommends ≤ 10 minutes). */
export const CODE_TTL_MS = 60 * 1000;
/** Lifetime of a refresh token, ms; each rotation starts a new one. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Scopes granted when a request names none. */
export const DEFAULT_SCOPE = "openid profile email assistant";

/** A validated authorization request. */
export interface AuthorizationRequest {
  client: ClientRow;
  redirectUri: string;
  scope: string;
  /** The requested resources; when none was named, every API except the MCP server. */
  resources: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
  prompt: string[];
}

/** An error that goes back to the client's redirect URI (RFC 6749 §4.1.2.1) rather than on a page. */
export class RedirectableError extends OAuthError {
  constructor(
    error: string,
    description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(error, description, 302);
  }
}

/** The client's redirect URI with `params` and `iss` (RFC 9207) added to its query. */
export function redirectWith(redirectUri: string, issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  url.searchParams.set("iss", issuer);
  return url.toString();
}

/**
 * Validates `GET /authorize` parameters. Client and redirect URI problems are shown to the user
 * (never redirected to an unverified URI); everything else is a {@link RedirectableError}.
 */
export async function validateAuthorizationRequest(
  db: Db,
  config: Config,
  origin: string,
  params: URLSearchParams,
): Promise<AuthorizationRequest> {
  const clientId = params.get("client_id");
  if (!clientId) throw new OAuthError("invalid_request", "client_id is missing.");
  const client = await resolveClient(db, config, clientId);
  if (!client.grantTypes.includes("authorization_code"))
    throw new OAuthError("unauthorized_client", "This client may not use the authorization code flow.");
  const redirectUri = params.get("redirect_uri") ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
  if (!redirectUri) throw new OAuthError("invalid_request", "redirect_uri is missing.");
  // Exact string match (OAuth 2.1 §4.1.1; no partial or pattern matching).
  if (!client.redirectUris.includes(redirectUri) || redirectUriProblem(redirectUri)) {
    throw new OAuthError("invalid_request", "redirect_uri does not match a URI registered for this client.");
  }
  const state = params.get("state") ?? undefined;
  const fail = (error: string, description: string) => new RedirectableError(error, description, redirectUri, state);
  if (params.get("response_type") !== "code") throw fail("unsupported_response_type", "response_type must be code.");
  const codeChallenge = params.get("code_challenge");
  if (!codeChallenge) throw fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
  if (params.get("code_challenge_method") !== "S256") throw fail("invalid_request", "code_challenge_method must be S256.");
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
    throw fail("invalid_request", "code_challenge must be a base64url SHA-256 (43 characters).");
  const scope = (params.get("scope") ?? client.scope ?? DEFAULT_SCOPE).split(" ").filter(Boolean);
  const unknown = scope.filter((s) => !SUPPORTED_SCOPES.includes(s));
  if (unknown.length > 0) throw fail("invalid_scope", `Unsupported scope(s): ${unknown.join(" ")}.`);
  if (client.scope && scope.some((s) => !client.scope!.split(" ").includes(s)))
    throw fail("invalid_scope", "The client did not register some of these scopes.");
  const requested = params.getAll("resource");
  for (const resource of requested) {
    if (!isKnownResource(origin, resource)) throw fail("invalid_target", `Unknown resource ${resource.slice(0, 200)}.`);
  }
  const r = resources(origin);
  const prompt = (params.get("prompt") ?? "").split(" ").filter(Boolean);
  if (prompt.some((p) => !["none", "login", "consent"].includes(p))) throw fail("invalid_request", "prompt may be none, login or consent.");
  if (prompt.includes("none") && prompt.length > 1) throw fail("invalid_request", "prompt=none cannot be combined with other values.");
  return {
    client,
    redirectUri,
    scope: [...new Set(scope)].join(" "),
    resources: requested.length > 0 ? [...new Set(requested)] : [r.openHarness, r.management, r.external],
    state,
    nonce: params.get("nonce") ?? undefined,
    codeChallenge,
    prompt,
  };
}

/** A live grant of `userId` to the client that covers the request (for prompt=none). */
export async function findCoveringGrant(
  db: Db,
  userId: string,
  request: AuthorizationRequest,
): Promise<typeof oauthGrants.$inferSelect | undefined> {
  const grants = await db
    .select()
    .from(oauthGrants)
    .where(and(eq(oauthGrants.userId, userId), eq(oauthGrants.clientId, request.client.id), isNull(oauthGrants.revokedAt)))
    .all();
  const wanted = request.scope.split(" ");
  return grants.find(
    (g) => wanted.every((s) => g.scope.split(" ").includes(s)) && request.resources.every((res) => g.resource.split(" ").includes(res)),
  );
}

/**
 * Records the user's consent (a grant for one organization) and issues a single-use code bound to the
 * client, redirect URI, PKCE challenge and nonce. Returns the code (stored only as SHA-256).
 */
export async function issueCode(
  db: Db,
  input: { request: AuthorizationRequest; userId: string; orgId: string; authTime: number; grantId?: string },
): Promise<string> {
  const code = randomToken(32);
  const grantId = input.grantId ?? newId("grant");
  const now = nowIso();
  const statements = [];
  if (!input.grantId) {
    statements.push(
      db.insert(oauthGrants).values({
        id: grantId,
        clientId: input.request.client.id,
        userId: input.userId,
        orgId: input.orgId,
        scope: input.request.scope,
        resource: input.request.resources.join(" "),
        createdAt: now,
      }),
    );
  }
  statements.push(
    db.insert(oauthCodes).values({
      codeHash: await sha256Hex(code),
      grantId,
      clientId: input.request.client.id,
      redirectUri: input.request.redirectUri,
      codeChallenge: input.request.codeChallenge,
      nonce: input.request.nonce ?? null,
      authTime: input.authTime,
      expiresAt: new Date(Date.now() + CODE_TTL_MS).toISOString(),
    }),
  );
  await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  return code;
}

/** The token response (RFC 6749 §5.1) plus the OIDC `id_token`. */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

async function revokeGrant(db: Db, grantId: string, reason: string): Promise<void> {
  await db.batch([
    db
      .update(oauthGrants)
      .set({ revokedAt: nowIso(), revokedReason: reason })
      .where(and(eq(oauthGrants.id, grantId), isNull(oauthGrants.revokedAt))),
    db.delete(oauthRefreshTokens).where(eq(oauthRefreshTokens.grantId, grantId)),
  ]);
  forgetLiveCredentials();
}

async function tokensForGrant(
  db: Db,
  config: Config,
  issuer: string,
  grant: typeof oauthGrants.$inferSelect,
  client: ClientRow,
  scope: string,
  oidc?: { nonce: string | null; authTime: number },
): Promise<TokenResponse> {
  const scopes = scope.split(" ");
  const audiences = grant.resource.split(" ");
  const access = await issueAccessToken(db, config, {
    iss: issuer,
    sub: grant.userId,
    aud: audiences.length === 1 ? audiences[0]! : audiences,
    client_id: client.id,
    scope,
    org_id: grant.orgId,
    grant_id: grant.id,
    principal_type: "user",
  });
  const response: TokenResponse = { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, scope };
  // Refresh tokens only with offline_access, and only for clients allowed the grant (OIDC Core §11).
  if (scopes.includes("offline_access") && client.grantTypes.includes("refresh_token")) {
    const refresh = randomToken(32);
    await db.insert(oauthRefreshTokens).values({
      tokenHash: await sha256Hex(refresh),
      grantId: grant.id,
      clientId: client.id,
      scope,
      createdAt: nowIso(),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS).toISOString(),
    });
    response.refresh_token = refresh;
  }
  if (oidc && scopes.includes("openid")) {
    const user = await db.select().from(users).where(eq(users.id, grant.userId)).get();
    response.id_token = await issueIdToken(db, config, {
      iss: issuer,
      sub: grant.userId,
      aud: client.id,
      auth_time: oidc.authTime,
      ...(oidc.nonce ? { nonce: oidc.nonce } : {}),
      ...(scopes.includes("email") && user ? { email: user.email, email_verified: false } : {}),
      ...(scopes.includes("profile") && user ? { name: user.displayName } : {}),
    });
  }
  return response;
}

/**
 * `grant_type=authorization_code`: consumes the code in one conditional UPDATE, checks client,
 * redirect URI and PKCE (S256), then issues tokens. A code presented twice revokes its grant.
 * @throws OAuthError `invalid_grant` / `invalid_request`.
 */
export async function exchangeCode(
  db: Db,
  config: Config,
  issuer: string,
  client: ClientRow,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const code = form.get("code");
  const verifier = form.get("code_verifier");
  if (!code) throw new OAuthError("invalid_request", "code is missing.");
  if (!verifier) throw new OAuthError("invalid_request", "code_verifier is missing (PKCE is required).");
  const codeHash = await sha256Hex(code);
  const now = nowIso();
  const [consumed] = await db
    .update(oauthCodes)
    .set({ usedAt: now })
    .where(and(eq(oauthCodes.codeHash, codeHash), isNull(oauthCodes.usedAt), gt(oauthCodes.expiresAt, now)))
    .returning();
  if (!consumed) {
    const replayed = await db.select().from(oauthCodes).where(eq(oauthCodes.codeHash, codeHash)).get();
    if (replayed?.usedAt) await revokeGrant(db, replayed.grantId, "code_replay");
    throw new OAuthError(
      "invalid_grant",
      replayed?.usedAt ? "The code was already used; the tokens it issued are revoked." : "The code is invalid or expired.",
    );
  }
  if (consumed.clientId !== client.id) throw new OAuthError("invalid_grant", "The code was issued to another client.");
  if ((form.get("redirect_uri") ?? consumed.redirectUri) !== consumed.redirectUri)
    throw new OAuthError("invalid_grant", "redirect_uri does not match the authorization request.");
  const challenge = toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  if (challenge !== consumed.codeChallenge) throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
  const grant = await db
    .select()
    .from(oauthGrants)
    .where(and(eq(oauthGrants.id, consumed.grantId), isNull(oauthGrants.revokedAt)))
    .get();
  if (!grant) throw new OAuthError("invalid_grant", "The consent behind this code was revoked.");
  return tokensForGrant(db, config, issuer, grant, client, grant.scope, { nonce: consumed.nonce, authTime: consumed.authTime });
}

/**
 * `grant_type=refresh_token`: rotates in one conditional UPDATE (the old token is spent, a new one
 * issued). Presenting a spent token revokes the whole family (its grant).
 * @throws OAuthError `invalid_grant`, `invalid_scope`.
 */
export async function refreshTokens(
  db: Db,
  config: Config,
  issuer: string,
  client: ClientRow,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const token = form.get("refresh_token");
  if (!token) throw new OAuthError("invalid_request", "refresh_token is missing.");
  const tokenHash = await sha256Hex(token);
  const now = nowIso();
  const [spent] = await db
    .update(oauthRefreshTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthRefreshTokens.tokenHash, tokenHash),
        isNull(oauthRefreshTokens.usedAt),
        gt(oauthRefreshTokens.expiresAt, now),
        inArray(oauthRefreshTokens.grantId, sql`(SELECT id FROM oauth_grants WHERE revoked_at IS NULL)`),
      ),
    )
    .returning();
  if (!spent) {
    const reused = await db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenHash, tokenHash)).get();
    if (reused?.usedAt) await revokeGrant(db, reused.grantId, "refresh_reuse");
    throw new OAuthError(
      "invalid_grant",
      reused?.usedAt
        ? "This refresh token was already used; every token of this connection is revoked."
        : "The refresh token is invalid, expired or revoked.",
    );
  }
  if (spent.clientId !== client.id) throw new OAuthError("invalid_grant", "The refresh token was issued to another client.");
  const grant = await db.select().from(oauthGrants).where(eq(oauthGrants.id, spent.grantId)).get();
  if (!grant || grant.revokedAt) throw new OAuthError("invalid_grant", "The consent behind this token was revoked.");
  const requested = form.get("scope")?.split(" ").filter(Boolean);
  if (requested && requested.some((s) => !spent.scope.split(" ").includes(s)))
    throw new OAuthError("invalid_scope", "A refresh may only narrow the scope.");
  return tokensForGrant(db, config, issuer, grant, client, requested ? requested.join(" ") : spent.scope);
}

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): a confidential machine client acting as its
 * organization's service principal. Audience: the `resource` requested, else the APIs.
 * @throws OAuthError `unauthorized_client`, `invalid_scope`, `invalid_target`.
 */
export async function clientCredentials(
  db: Db,
  config: Config,
  issuer: string,
  client: ClientRow,
  form: URLSearchParams,
): Promise<TokenResponse> {
  if (client.kind !== "machine" || !client.orgId || !client.grantTypes.includes("client_credentials")) {
    throw new OAuthError("unauthorized_client", "Only organization machine clients may use client_credentials.");
  }
  const allowed = (client.scope ?? "").split(" ").filter(Boolean);
  const requested = (form.get("scope") ?? allowed.join(" ")).split(" ").filter(Boolean);
  if (requested.some((s) => !allowed.includes(s))) throw new OAuthError("invalid_scope", `This client may request: ${allowed.join(" ")}.`);
  const requestedResources = form.getAll("resource");
  for (const r of requestedResources)
    if (!isKnownResource(issuer, r)) throw new OAuthError("invalid_target", `Unknown resource ${r.slice(0, 200)}.`);
  const r = resources(issuer);
  const audiences = requestedResources.length > 0 ? requestedResources : [r.openHarness, r.management, r.external];
  const access = await issueAccessToken(db, config, {
    iss: issuer,
    sub: client.id,
    aud: audiences.length === 1 ? audiences[0]! : audiences,
    client_id: client.id,
    scope: requested.join(" "),
    org_id: client.orgId,
    principal_type: "service",
  });
  return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, scope: requested.join(" ") };
}

/**
 * RFC 7009: revokes a refresh token (its whole grant) or an access token (its grant, so introspection
 * and refreshes stop; the JWT itself expires within ACCESS_TOKEN_TTL_S). Unknown tokens are fine.
 */
export async function revokeToken(db: Db, clientId: string, token: string, grantIdOfAccessToken: string | undefined): Promise<void> {
  if (grantIdOfAccessToken) {
    const grant = await db.select().from(oauthGrants).where(eq(oauthGrants.id, grantIdOfAccessToken)).get();
    if (grant && grant.clientId === clientId) await revokeGrant(db, grant.id, "revoked");
    return;
  }
  const refresh = await db
    .select()
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, await sha256Hex(token)))
    .get();
  if (refresh && refresh.clientId === clientId) await revokeGrant(db, refresh.grantId, "revoked");
}

/** Whether the grant behind a token is still live (introspection; access tokens are otherwise stateless). */
export async function grantIsLive(db: Db, grantId: string): Promise<boolean> {
  const grant = await db.select({ revokedAt: oauthGrants.revokedAt }).from(oauthGrants).where(eq(oauthGrants.id, grantId)).get();
  return !!grant && !grant.revokedAt;
}

/** A refresh token's row when live (introspection). */
export async function liveRefreshToken(db: Db, token: string) {
  const now = nowIso();
  const row = await db
    .select()
    .from(oauthRefreshTokens)
    .where(
      and(
        eq(oauthRefreshTokens.tokenHash, await sha256Hex(token)),
        isNull(oauthRefreshTokens.usedAt),
        gt(oauthRefreshTokens.expiresAt, now),
      ),
    )
    .get();
  if (!row || !(await grantIsLive(db, row.grantId))) return undefined;
  return row;
}

export { ACCESS_TOKEN_TTL_S };
