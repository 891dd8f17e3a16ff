import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../context.ts";

/**
 * The pages' cookies. Over https (every deployment) they are `__Host-` cookies (Secure, Path=/, no
 * Domain — RFC 6265bis §4.1.3.2). Over plain http — only a local `wrangler dev` on 127.0.0.1, where
 * browsers refuse Secure cookies — the same cookies go without the prefix and the Secure flag.
 */
export type CookieKind = "session" | "csrf";

const SAME_SITE: Record<CookieKind, "Lax" | "Strict"> = {
  // Lax: the authorization request arrives as a top-level navigation from the client's site.
  session: "Lax",
  csrf: "Strict",
};

function secure(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === "https:";
}

/** The cookie's name for this request's scheme. */
export function cookieName(c: Context<AppEnv>, kind: CookieKind): string {
  return secure(c) ? `__Host-eh_${kind}` : `eh_${kind}`;
}

/** Reads a page cookie. */
export function readCookie(c: Context<AppEnv>, kind: CookieKind): string | undefined {
  return getCookie(c, cookieName(c, kind));
}

/** Sets a page cookie (HttpOnly; `maxAge` in seconds, session cookie when absent). */
export function writeCookie(c: Context<AppEnv>, kind: CookieKind, value: string, maxAgeSeconds?: number): void {
  setCookie(c, cookieName(c, kind), value, {
    path: "/",
    secure: secure(c),
    httpOnly: true,
    sameSite: SAME_SITE[kind],
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  });
}

/** Removes a page cookie. */
export function clearCookie(c: Context<AppEnv>, kind: CookieKind): void {
  deleteCookie(c, cookieName(c, kind), { path: "/", secure: secure(c) });
}
