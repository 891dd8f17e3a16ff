/** @jsxImportSource hono/jsx */
/**
 * The web console: a single-page app served by this Worker for signed-in people (`/console/…`), and the
 * token endpoint it authenticates with.
 *
 * - `GET /console` sends the person to their personal organization (`/console/o/{orgId}/harnesses`);
 *   `GET /console/*` serves the page shell for any console path (the app routes in the browser, so a
 *   `view_url` or a reload opens the same view). Signed out: to the sign-in page, returning here.
 * - The shell carries no data but who is signed in, their organizations and two CSRF tokens; the app
 *   (`public/assets/console/*.js`, plain ES modules, no build step) calls the public APIs like any
 *   client, with an access token held in memory.
 * - `POST /console/token {"org_id"}` mints that token (`services/console/token.ts`): the web-session
 *   cookie, a same-origin `Origin` and the page's CSRF token (`X-CSRF-Token`, an HMAC of the session
 *   secret, purpose {@link CONSOLE_CSRF_PURPOSE}) are all required; a JSON body with a custom header also
 *   cannot be sent cross-site without a CORS preflight, which this endpoint never grants.
 *
 * Pages get a strict CSP: scripts, styles and connections from this origin only (plus its WebSocket
 * scheme), no inline script or style, no framing.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../context.ts";
import { checkSessionCsrf, readWebSession, sessionCsrfToken } from "../../auth/web-sessions.ts";
import { ApiError } from "../../errors/api-error.ts";
import { limitRequestBody } from "../../middleware/body-limit.ts";
import { mintConsoleToken } from "../../services/console/token.ts";
import { organizationsOf } from "../../services/identity/users.ts";
import { csrfCookie } from "../oauth/account.tsx";
import { readCookie } from "../oauth/cookies.ts";
import { sameOrigin } from "../oauth/security.ts";

/** Purpose the console's CSRF token is bound to (`sessionCsrfToken`). */
export const CONSOLE_CSRF_PURPOSE = "console";

/** Largest body the token endpoint reads, bytes (`{"org_id": "org_…"}` is about 60). */
export const MAX_CONSOLE_TOKEN_BODY_BYTES = 1024;

/** Where the console's modules and stylesheet are served from (`public/assets/console/`). */
const ASSETS = "/assets/console";

/** Content-Security-Policy of the console pages: this origin only, and its WebSocket scheme for sessions. */
export function consoleCsp(origin: string): string {
  const ws = origin.replace(/^http/, "ws");
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${ws}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

function Shell(props: {
  user: { id: string; email: string; name: string };
  organizations: { id: string; name: string; role: string }[];
  csrf: string;
  signOutCsrf: string;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>Console · EdgeHarness</title>
        <link rel="stylesheet" href={`${ASSETS}/console.css`} />
        <link rel="icon" href="data:," />
        <script type="module" src={`${ASSETS}/app.js`}></script>
      </head>
      <body>
        <div
          id="console"
          data-user={JSON.stringify(props.user)}
          data-organizations={JSON.stringify(props.organizations)}
          data-csrf={props.csrf}
          data-sign-out-csrf={props.signOutCsrf}
        >
          <p class="loading" role="status">
            Loading the console…
          </p>
        </div>
        <noscript>
          <p class="noscript">The console needs JavaScript. The API is documented at /docs.</p>
        </noscript>
      </body>
    </html>
  );
}

async function consolePage(c: Context<AppEnv>, body: unknown): Promise<Response> {
  const response = await c.html(body as string, 200);
  response.headers.set("content-security-policy", consoleCsp(c.var.services.origin));
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("cache-control", "no-store");
  return response;
}

function toSignIn(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url);
  return c.redirect(`/api/auth/sign-in?return_to=${encodeURIComponent(url.pathname + url.search)}`, 302);
}

/** The console routes (mounted at the root). */
export const consoleRouter = new Hono<AppEnv>();

consoleRouter.get("/console", async (c) => {
  const { db } = c.var.services;
  const session = await readWebSession(db, readCookie(c, "session"));
  if (!session) return toSignIn(c);
  const organizations = await organizationsOf(db, session.user.id);
  const home = organizations.find((o) => o.orgId === session.user.personalOrgId) ?? organizations[0];
  if (!home) return c.redirect("/api/auth/invitations", 302);
  return c.redirect(`/console/o/${encodeURIComponent(home.orgId)}/harnesses`, 302);
});

consoleRouter.get("/console/*", async (c) => {
  const { db } = c.var.services;
  const session = await readWebSession(db, readCookie(c, "session"));
  if (!session) return toSignIn(c);
  const organizations = await organizationsOf(db, session.user.id);
  return consolePage(
    c,
    <Shell
      user={{ id: session.user.id, email: session.user.email, name: session.user.displayName }}
      organizations={organizations.map((o) => ({ id: o.orgId, name: o.name, role: o.role }))}
      csrf={await sessionCsrfToken(session, CONSOLE_CSRF_PURPOSE)}
      signOutCsrf={csrfCookie(c)}
    />,
  );
});

function refused(detail: string, hint: string): ApiError {
  return new ApiError("forbidden", detail, { actions: [{ rel: "reload", hint, href: "/console" }] });
}

/**
 * `POST /console/token`: the console's access token for one organization.
 * @throws ApiError `unsupported_media_type` (not JSON), `payload_too_large`, `invalid_json`/`validation_error`,
 *   `forbidden` (another origin, missing or wrong CSRF token), `unauthorized` (signed out), `organization_not_found`.
 */
consoleRouter.post("/console/token", limitRequestBody(MAX_CONSOLE_TOKEN_BODY_BYTES), async (c) => {
  const ctx = c.var.services;
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json"))
    throw new ApiError("unsupported_media_type", 'Send the request as application/json: {"org_id": "org_…"}.', {
      actions: [{ rel: "fix-input", hint: "Set Content-Type: application/json." }],
    });
  if (!sameOrigin(c.req.header("origin"), ctx.origin))
    throw refused("The console token is only issued to pages of this site.", "Open the console on this site.");
  const session = await readWebSession(ctx.db, readCookie(c, "session"));
  if (!session)
    throw new ApiError("unauthorized", "You are signed out.", {
      actions: [{ rel: "authenticate", hint: "Sign in again.", href: "/api/auth/sign-in?return_to=%2Fconsole" }],
    });
  if (!(await checkSessionCsrf(session, CONSOLE_CSRF_PURPOSE, c.req.header("x-csrf-token"))))
    throw refused("The page's CSRF token is missing or does not match your sign-in.", "Reload the console page.");
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The body is not valid JSON.", {
      actions: [{ rel: "fix-input", hint: 'Send {"org_id": "org_…"}.' }],
    });
  }
  const orgId = (body as { org_id?: unknown } | null)?.org_id;
  if (typeof orgId !== "string" || orgId.length === 0 || orgId.length > 100 || Object.keys(body as object).length !== 1)
    throw new ApiError("validation_error", 'Send exactly {"org_id": "org_…"}: the organization to act in.', {
      details: { field: "org_id" },
      actions: [{ rel: "fix-input", hint: "Send the id of one of your organizations as org_id." }],
    });
  const token = await mintConsoleToken({ ctx, input: { session, orgId } });
  const response = c.json(token);
  response.headers.set("cache-control", "no-store");
  response.headers.set("pragma", "no-cache");
  return response;
});
