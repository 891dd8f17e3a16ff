/** @jsxImportSource hono/jsx */
/**
 * Server-rendered pages of the authorization server: sign-in, sign-up, consent, invitations and errors (hono JSX,
 * no front-end build, no external assets). Everything user-controlled is escaped by the JSX renderer.
 */
import type { Child } from "hono/jsx";
import { SCOPE_DESCRIPTIONS } from "../../auth/resources.ts";

function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* same-origin: nothing leaks to other sites, and form posts keep their Origin header (no-referrer would send "null"). */}
        <meta name="referrer" content="same-origin" />
        <title>{props.title} · EdgeHarness</title>
        <link rel="stylesheet" href="/assets/auth.css" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <main>
          <p class="brand">EdgeHarness</p>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The sign-in form. `returnTo` is a same-origin path (the authorization request to resume). */
export function SignInPage(props: { csrf: string; returnTo: string; error?: string; email?: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      {props.error ? (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/api/auth/sign-in">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="return_to" value={props.returnTo} />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ""} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <div class="actions">
          <button class="primary" type="submit">
            Sign in
          </button>
        </div>
      </form>
      <p class="muted">
        No account? <a href={`/api/auth/sign-up?return_to=${encodeURIComponent(props.returnTo)}`}>Create one</a>.
      </p>
    </Layout>
  );
}

/** The sign-up form. */
export function SignUpPage(props: { csrf: string; returnTo: string; error?: string; email?: string; name?: string }) {
  return (
    <Layout title="Create an account">
      <h1>Create an account</h1>
      {props.error ? (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/api/auth/sign-up">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="return_to" value={props.returnTo} />
        <label for="name">Name</label>
        <input id="name" name="display_name" type="text" autocomplete="name" required maxlength={100} value={props.name ?? ""} />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ""} />
        <label for="password">Password (at least 10 characters)</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} />
        <div class="actions">
          <button class="primary" type="submit">
            Create account
          </button>
        </div>
      </form>
      <p class="muted">
        Have an account? <a href={`/api/auth/sign-in?return_to=${encodeURIComponent(props.returnTo)}`}>Sign in</a>.
      </p>
    </Layout>
  );
}

/** The consent page: who asks, where it sends you back, what it may do, and in which organization. */
export function ConsentPage(props: {
  csrf: string;
  authorizeQuery: string;
  clientName: string;
  clientId: string;
  redirectHost: string;
  loopback: boolean;
  scopes: string[];
  userEmail: string;
  organizations: { orgId: string; name: string; role: string }[];
}) {
  return (
    <Layout title="Allow access">
      <h1>
        Allow <strong>{props.clientName}</strong> to use your account?
      </h1>
      <p class="muted">
        Signed in as {props.userEmail}. It will return you to <code>{props.redirectHost}</code>.
      </p>
      {props.loopback ? (
        <p class="notice warning">This app runs on your own computer (a loopback address). Only continue if you started it yourself.</p>
      ) : null}
      <p>It will be able to:</p>
      <ul class="scopes">
        {props.scopes.map((s) => (
          <li>{SCOPE_DESCRIPTIONS[s] ?? s}</li>
        ))}
      </ul>
      <form method="post" action="/api/auth/oauth2/authorize">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="authorize_query" value={props.authorizeQuery} />
        <label for="org">Organization</label>
        <select id="org" name="org_id" required>
          {props.organizations.map((o) => (
            <option value={o.orgId}>
              {o.name} ({o.role})
            </option>
          ))}
        </select>
        <p class="muted">Everything it does acts as you in this organization, under its limits.</p>
        <div class="actions">
          <button type="submit" name="decision" value="deny">
            Deny
          </button>
          <button class="primary" type="submit" name="decision" value="approve">
            Allow
          </button>
        </div>
      </form>
      <p class="muted">Client id: {props.clientId}</p>
    </Layout>
  );
}

/** One pending invitation as the invitations page lists it. */
export interface PageInvitation {
  id: string;
  orgName: string;
  role: string;
  invitedAt: string;
}

/**
 * The signed-in user's pending invitations, each with Accept and Decline (POST forms carrying the
 * session's CSRF token), and the organizations they already belong to (what the consent page offers).
 */
export function InvitationsPage(props: {
  csrf: string;
  userEmail: string;
  invitations: PageInvitation[];
  organizations: { orgId: string; name: string; role: string }[];
  notice?: string;
}) {
  return (
    <Layout title="Invitations">
      <h1>Invitations</h1>
      <p class="muted">Signed in as {props.userEmail}.</p>
      {props.notice ? (
        <p class="notice success" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.invitations.length === 0 ? (
        <p>You have no pending invitations.</p>
      ) : (
        <ul class="invitations">
          {props.invitations.map((i) => (
            <li>
              <strong>{i.orgName}</strong> invites you to join as {i.role === "admin" ? "an admin" : "a member"}.
              <div class="actions">
                <form method="post" action={`/api/auth/invitations/${encodeURIComponent(i.id)}/decline`}>
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit">Decline</button>
                </form>
                <form method="post" action={`/api/auth/invitations/${encodeURIComponent(i.id)}/accept`}>
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button class="primary" type="submit">
                    Accept
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2>Your organizations</h2>
      <ul class="organizations">
        {props.organizations.map((o) => (
          <li>
            {o.name} ({o.role})
          </li>
        ))}
      </ul>
      <p class="muted">Apps you connect ask you to pick one of these organizations.</p>
    </Layout>
  );
}

/** An error shown to the user (never redirected to an unverified client). */
export function ErrorPage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p class="notice error" role="alert">
        {props.message}
      </p>
    </Layout>
  );
}
