/**
 * Browser sign-in sessions for the authorization server's pages. The cookie value is a random token;
 * only its SHA-256 is stored. Forms carry a CSRF token: an HMAC of the session's secret for signed-in
 * forms, or a double-submit `__Host-` cookie before sign-in.
 */
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { consoleGrants, oauthGrants, oauthRefreshTokens, users, webSessions } from "../db/schema.ts";
import { randomToken, sha256Hex, timingSafeEqualString, toBase64Url } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import { nowIso } from "../lib/time.ts";
import { forgetLiveCredentials } from "./revocation.ts";

/** Lifetime of a sign-in, ms. */
export const WEB_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A signed-in browser: the session row and its user. */
export interface SignedIn {
  sessionId: string;
  csrfSecret: string;
  /** Seconds since the epoch when the user signed in (OIDC `auth_time`). */
  authTime: number;
  user: typeof users.$inferSelect;
}

/** Starts a session for `userId`; returns the cookie value (shown once). */
export async function startWebSession(db: Db, userId: string): Promise<string> {
  const token = randomToken(32);
  const now = Date.now();
  await db.insert(webSessions).values({
    id: newId("webSession"),
    userId,
    tokenHash: await sha256Hex(token),
    csrfSecret: randomToken(32),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + WEB_SESSION_TTL_MS).toISOString(),
  });
  return token;
}

/** The signed-in user behind a cookie value, when the session is live. */
export async function readWebSession(db: Db, cookie: string | undefined): Promise<SignedIn | undefined> {
  if (!cookie || cookie.length > 200) return undefined;
  const row = await db
    .select({ session: webSessions, user: users })
    .from(webSessions)
    .innerJoin(users, eq(users.id, webSessions.userId))
    .where(and(eq(webSessions.tokenHash, await sha256Hex(cookie)), gt(webSessions.expiresAt, nowIso())))
    .get();
  if (!row) return undefined;
  return {
    sessionId: row.session.id,
    csrfSecret: row.session.csrfSecret,
    authTime: Math.floor(Date.parse(row.session.createdAt) / 1000),
    user: row.user,
  };
}

/**
 * Ends a session (sign-out), in one batch: the console grants this sign-in minted are revoked
 * (`signed_out`), so the access tokens its pages hold stop working at once here and within
 * `REVOCATION_CHECK_TTL_MS` everywhere; then the session row goes (its `console_grants` rows with it).
 */
export async function endWebSession(db: Db, sessionId: string): Promise<void> {
  const minted = sql`(SELECT grant_id FROM console_grants WHERE web_session_id = ${sessionId})`;
  await db.batch([
    db
      .update(oauthGrants)
      .set({ revokedAt: nowIso(), revokedReason: "signed_out" })
      .where(and(inArray(oauthGrants.id, minted), isNull(oauthGrants.revokedAt))),
    db.delete(oauthRefreshTokens).where(inArray(oauthRefreshTokens.grantId, minted)),
    db.delete(consoleGrants).where(eq(consoleGrants.webSessionId, sessionId)),
    db.delete(webSessions).where(eq(webSessions.id, sessionId)),
  ]);
  forgetLiveCredentials();
}

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message))));
}

/** The CSRF token of a signed-in form (`purpose` binds it to one form). */
export function sessionCsrfToken(session: SignedIn, purpose: string): Promise<string> {
  return hmac(session.csrfSecret, purpose);
}

/** Checks a signed-in form's CSRF token in constant time. */
export async function checkSessionCsrf(session: SignedIn, purpose: string, presented: string | undefined): Promise<boolean> {
  return !!presented && timingSafeEqualString(await sessionCsrfToken(session, purpose), presented);
}

/** Checks a double-submitted CSRF token (cookie = form field) in constant time. */
export function checkDoubleSubmit(cookie: string | undefined, presented: string | undefined): boolean {
  return !!cookie && !!presented && cookie.length >= 20 && timingSafeEqualString(cookie, presented);
}
