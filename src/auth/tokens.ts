/**
 * JWT access tokens (RFC 9068) and OpenID Connect ID tokens (OIDC Core §2), signed ES256 with the
 * current key (`signing-keys.ts`). Access tokens are audience-bound (RFC 8707) and verified from the
 * cached JWKS, without a database read.
 */
import { errors, jwtVerify, SignJWT, decodeProtectedHeader, type JWTPayload } from "jose";
import type { Config } from "../config.ts";
import type { Db } from "../db/index.ts";
import { newId } from "../lib/ids.ts";
import { ACCESS_TOKEN_TTL_S, signingKey, verificationKey } from "./signing-keys.ts";

/** Claims of an EdgeHarness access token. */
export interface AccessTokenClaims {
  /** Issuer: the bare origin. */
  iss: string;
  /** The user id, or the client id for client_credentials. */
  sub: string;
  /** The resource(s) the token is for. */
  aud: string | string[];
  client_id: string;
  /** Space-separated scopes. */
  scope: string;
  org_id: string;
  /** Seconds since the epoch. */
  exp: number;
  iat: number;
  jti: string;
  /** The grant (consent) the token came from; absent for client_credentials. */
  grant_id?: string;
  /** `user` for delegated tokens, `service` for client_credentials. */
  principal_type: "user" | "service";
}

/** Signs an access token for `claims` (RFC 9068 §2: header `typ: at+jwt`). Returns the JWT and its lifetime. */
export async function issueAccessToken(
  db: Db,
  config: Config,
  claims: Omit<AccessTokenClaims, "exp" | "iat" | "jti">,
): Promise<{ token: string; expiresIn: number; claims: AccessTokenClaims }> {
  const { kid, privateKey } = await signingKey(db, config);
  const iat = Math.floor(Date.now() / 1000);
  const full: AccessTokenClaims = { ...claims, iat, exp: iat + ACCESS_TOKEN_TTL_S, jti: newId("event").replace(/^evt_/, "at_") };
  const token = await new SignJWT({ ...full } as unknown as JWTPayload)
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
    .sign(privateKey);
  return { token, expiresIn: ACCESS_TOKEN_TTL_S, claims: full };
}

/** Signs an OIDC ID token for `clientId` (aud), with `nonce` when the request had one. */
export async function issueIdToken(
  db: Db,
  config: Config,
  claims: {
    iss: string;
    sub: string;
    aud: string;
    nonce?: string;
    auth_time: number;
    email?: string;
    email_verified?: boolean;
    name?: string;
  },
): Promise<string> {
  const { kid, privateKey } = await signingKey(db, config);
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, iat, exp: iat + ACCESS_TOKEN_TTL_S } as JWTPayload)
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid })
    .sign(privateKey);
}

/** Why a token was refused (used in `WWW-Authenticate` error descriptions). */
export type TokenRejection = "malformed" | "expired" | "wrong_audience" | "invalid";

/**
 * Verifies an access token: signature (cached JWKS, unknown `kid` → one refresh), `typ: at+jwt`, issuer,
 * expiry and that `audience` is among its audiences.
 */
export async function verifyAccessToken(
  db: Db,
  config: Config,
  token: string,
  expected: { issuer: string; audience: string | string[] },
): Promise<{ ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenRejection }> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!kid) return { ok: false, reason: "malformed" };
  const key = await verificationKey(db, config, kid);
  if (!key) return { ok: false, reason: "invalid" };
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: expected.issuer,
      audience: expected.audience,
      typ: "at+jwt",
      algorithms: ["ES256"],
    });
    return { ok: true, claims: payload as unknown as AccessTokenClaims };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") return { ok: false, reason: "wrong_audience" };
    return { ok: false, reason: "invalid" };
  }
}
