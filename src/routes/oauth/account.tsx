/** @jsxImportSource hono/jsx */
/**
 * Sign-in, sign-up and sign-out pages of the authorization server. Forms are protected by a
 * double-submit `__Host-` CSRF cookie and an Origin check; sign-in attempts are rate limited per email
 * and per client address; passwords are checked in constant time whether or not the account exists.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../context.ts";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../auth/passwords.ts";
import { countHit } from "../../auth/rate-limit.ts";
import { checkDoubleSubmit, endWebSession, readWebSession, startWebSession, WEB_SESSION_TTL_MS } from "../../auth/web-sessions.ts";
import { ApiError } from "../../errors/api-error.ts";
import { randomToken } from "../../lib/crypto.ts";
import { findUserByEmail, normalizeEmail, signUp } from "../../services/identity/users.ts";
import { clearCookie, readCookie, writeCookie } from "./cookies.ts";
import { ErrorPage, SignInPage, SignUpPage } from "./pages.tsx";
import { pageCsp, safeReturnTo, sameOrigin } from "./security.ts";

/** Sign-in attempts allowed per email, and per client address, in `SIGN_IN_WINDOW_MS`. */
export const SIGN_IN_ATTEMPTS_PER_EMAIL = 10;
export const SIGN_IN_ATTEMPTS_PER_ADDRESS = 50;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

/** An HTML page response with the pages' headers: strict CSP, no framing, no caching. */
export async function page(c: Context<AppEnv>, body: unknown, status = 200): Promise<Response> {
  const response = await c.html(body as string, status as 200);
  response.headers.set("content-security-policy", pageCsp());
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("cache-control", "no-store");
  return response;
}

/** The CSRF cookie value, set when absent (SameSite=Strict, HttpOnly, __Host-). */
export function csrfCookie(c: Context<AppEnv>): string {
  let value = readCookie(c, "csrf");
  if (!value || value.length < 20) {
    value = randomToken(24);
    writeCookie(c, "csrf", value);
  }
  return value;
}

function startSession(c: Context<AppEnv>, token: string): void {
  writeCookie(c, "session", token, Math.floor(WEB_SESSION_TTL_MS / 1000));
}

async function readForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  return new URLSearchParams(await c.req.text());
}

function formAccepted(c: Context<AppEnv>, form: URLSearchParams): boolean {
  return (
    sameOrigin(c.req.header("origin"), c.var.services.origin) && checkDoubleSubmit(readCookie(c, "csrf"), form.get("csrf") ?? undefined)
  );
}

/** The account routes (mounted at the root). */
export const accountRouter = new Hono<AppEnv>();

accountRouter.get("/api/auth/sign-in", (c) =>
  page(c, <SignInPage csrf={csrfCookie(c)} returnTo={safeReturnTo(c.req.query("return_to"))} />),
);

accountRouter.post("/api/auth/sign-in", async (c) => {
  const { db } = c.var.services;
  const form = await readForm(c);
  const returnTo = safeReturnTo(form.get("return_to"));
  const email = normalizeEmail(form.get("email") ?? "") ?? "";
  const again = (error: string, status: number) =>
    page(c, <SignInPage csrf={csrfCookie(c)} returnTo={returnTo} email={email} error={error} />, status);
  if (!formAccepted(c, form)) return again("The form expired. Please try again.", 403);
  const address = c.req.header("cf-connecting-ip") ?? "local";
  const [byEmail, byAddress] = await Promise.all([
    countHit(db, `signin:${email}`, SIGN_IN_WINDOW_MS),
    countHit(db, `signin-ip:${address}`, SIGN_IN_WINDOW_MS),
  ]);
  if (byEmail.count > SIGN_IN_ATTEMPTS_PER_EMAIL || byAddress.count > SIGN_IN_ATTEMPTS_PER_ADDRESS) {
    const response = await again(
      `Too many sign-in attempts. Try again in ${Math.ceil(Math.max(byEmail.retryAfterSeconds, 1) / 60)} minutes.`,
      429,
    );
    response.headers.set("retry-after", String(byEmail.retryAfterSeconds));
    return response;
  }
  const user = email ? await findUserByEmail(db, email) : undefined;
  const ok = await verifyPassword(form.get("password") ?? "", user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) return again("That email and password do not match an account.", 401);
  startSession(c, await startWebSession(db, user.id));
  return c.redirect(returnTo, 302);
});

accountRouter.get("/api/auth/sign-up", (c) =>
  page(c, <SignUpPage csrf={csrfCookie(c)} returnTo={safeReturnTo(c.req.query("return_to"))} />),
);

accountRouter.post("/api/auth/sign-up", async (c) => {
  const { db } = c.var.services;
  const form = await readForm(c);
  const returnTo = safeReturnTo(form.get("return_to"));
  const fields = { email: form.get("email") ?? "", name: form.get("display_name") ?? "" };
  const again = (error: string, status: number) =>
    page(c, <SignUpPage csrf={csrfCookie(c)} returnTo={returnTo} email={fields.email} name={fields.name} error={error} />, status);
  if (!formAccepted(c, form)) return again("The form expired. Please try again.", 403);
  try {
    const { user } = await signUp(db, { email: fields.email, displayName: fields.name, password: form.get("password") ?? "" });
    startSession(c, await startWebSession(db, user.id));
    return c.redirect(returnTo, 302);
  } catch (error) {
    if (error instanceof ApiError) return again(error.message, error.status);
    throw error;
  }
});

accountRouter.post("/api/auth/sign-out", async (c) => {
  const { db } = c.var.services;
  const form = await readForm(c);
  if (!formAccepted(c, form)) return page(c, <ErrorPage title="Sign-out failed" message="The form expired. Please try again." />, 403);
  const session = await readWebSession(db, readCookie(c, "session"));
  if (session) await endWebSession(db, session.sessionId);
  clearCookie(c, "session");
  return c.redirect("/api/auth/sign-in", 302);
});

accountRouter.get("/api/auth/signed-in", async (c) => {
  const session = await readWebSession(c.var.services.db, readCookie(c, "session"));
  if (!session) return c.redirect("/api/auth/sign-in", 302);
  return page(
    c,
    <ErrorPage title="You are signed in" message={`Signed in as ${session.user.email}. You can close this page and return to your app.`} />,
  );
});
