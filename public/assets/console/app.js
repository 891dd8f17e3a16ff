// EdgeHarness web console: the entry module. The server renders a shell with who is signed in, their
// organizations and the CSRF tokens (data attributes of #console); everything else comes from the
// public APIs, called with an access token minted for the organization in the URL.
import { createClient, SignedOut } from "./lib/api.js";
import { html, render, useEffect, useMemo, useRef } from "./lib/html.js";
import { interceptLinks, match, navigate, useLocation } from "./lib/router.js";
import { Loading, ProblemNotice, useLoad } from "./views/common.js";
import { HarnessForm, HarnessList } from "./views/harnesses.js";
import { HarnessPage } from "./views/harness-page.js";
import { AgentPage } from "./views/agents.js";
import { RunPage } from "./views/runs.js";
import { ChatPage } from "./views/sessions.js";
import { OrganizationPage } from "./views/organization.js";

const root = document.getElementById("console");
const user = JSON.parse(root.dataset.user);
const organizations = JSON.parse(root.dataset.organizations);
const csrf = root.dataset.csrf;
const signOutCsrf = root.dataset.signOutCsrf;

/** The views of one organization, by path below `/console/o/{orgId}`. Earlier patterns win. */
const ROUTES = [
  ["/harnesses", HarnessList],
  ["/harnesses/new", HarnessForm],
  ["/harnesses/:harnessId/edit", HarnessForm],
  ["/harnesses/:harnessId/agents/:agentId", AgentPage],
  ["/harnesses/:harnessId/runs/:executionId", RunPage],
  ["/harnesses/:harnessId/sessions/:sessionId", ChatPage],
  ["/harnesses/:harnessId", HarnessPage],
  ["/harnesses/:harnessId/:tab", HarnessPage],
  ["/organization", OrganizationPage],
];

function Header({ orgId }) {
  const base = `/console/o/${encodeURIComponent(orgId)}`;
  const { path } = useLocation();
  const current = (prefix) => (path.startsWith(`${base}${prefix}`) ? "page" : undefined);
  return html`<header class="topbar">
    <a class="skip" href="#main">Skip to content</a>
    <a class="brand" href=${`${base}/harnesses`}>EdgeHarness</a>
    <nav aria-label="Console">
      <a href=${`${base}/harnesses`} aria-current=${current("/harnesses")}>Harnesses</a>
      <a href=${`${base}/organization`} aria-current=${current("/organization")}>Organization</a>
      <a href="/docs" target="_blank" rel="noopener">API docs</a>
    </nav>
    <div class="account">
      <label class="org-picker">
        <span class="visually-hidden">Organization</span>
        <select
          aria-label="Organization"
          value=${orgId}
          onChange=${(e) => navigate(`/console/o/${encodeURIComponent(e.currentTarget.value)}/harnesses`)}
        >
          ${organizations.map((o) => html`<option value=${o.id}>${o.name} (${o.role})</option>`)}
          ${organizations.some((o) => o.id === orgId) ? null : html`<option value=${orgId}>Unknown organization</option>`}
        </select>
      </label>
      <span class="who" title=${user.email}>${user.name}</span>
      <form method="post" action="/api/auth/sign-out" class="sign-out">
        <input type="hidden" name="csrf" value=${signOutCsrf} />
        <button type="submit">Sign out</button>
      </form>
    </div>
  </header>`;
}

function NotFound() {
  return html`<section>
    <h1>Not found</h1>
    <p>There is no console page at this address.</p>
  </section>`;
}

function Organization({ orgId, rest }) {
  const client = useMemo(() => createClient({ orgId, csrf }), [orgId]);
  const ready = useLoad(() => client.accessToken(), [client]);
  let view = null;
  for (const [pattern, View] of ROUTES) {
    const params = match(pattern, rest);
    if (params) {
      // One harness page stays mounted across its tabs (it keeps what it loaded); other views remount per path.
      const key = View === HarnessPage ? `harness:${params.harnessId}` : rest;
      view = html`<${View} key=${key} client=${client} orgId=${orgId} base=${`/console/o/${encodeURIComponent(orgId)}`} ...${params} />`;
      break;
    }
  }
  let body;
  if (ready.loading) body = html`<${Loading} what="Signing in to the organization" />`;
  else if (ready.error instanceof SignedOut)
    body = html`<div class="notice error" role="alert">
      <strong>You are signed out.</strong>
      <p>
        <a href=${`/api/auth/sign-in?return_to=${encodeURIComponent(location.pathname + location.search)}`}>Sign in again</a> to continue.
      </p>
    </div>`;
  else if (ready.error)
    body = html`<${ProblemNotice} error=${ready.error} />
      <p>Your organizations:</p>
      <ul>
        ${organizations.map((o) => html`<li><a href=${`/console/o/${encodeURIComponent(o.id)}/harnesses`}>${o.name}</a> (${o.role})</li>`)}
      </ul>`;
  else body = view ?? html`<${NotFound} />`;
  return html`<${Header} orgId=${orgId} />
    <main id="main" tabindex="-1">${body}</main>`;
}

function App() {
  const { path } = useLocation();
  const params = /^\/console\/o\/([^/]+)(\/.*)?$/.exec(path);
  useEffect(() => {
    if (!params) {
      const home = organizations[0];
      if (home) navigate(`/console/o/${encodeURIComponent(home.id)}/harnesses`, { replace: true });
    }
  }, [path]);
  // After a navigation inside the app, focus moves to the new content (as a page load would reset it);
  // not on the first render, so the first Tab still reaches the skip link.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);
  if (!params) return html`<${Loading} />`;
  const orgId = decodeURIComponent(params[1]);
  const rest = params[2] && params[2] !== "/" ? params[2].replace(/\/$/, "") : "/harnesses";
  return html`<${Organization} key=${orgId} orgId=${orgId} rest=${rest} />`;
}

const announcer = document.createElement("div");
announcer.id = "announcer";
announcer.className = "visually-hidden";
announcer.setAttribute("aria-live", "polite");
document.body.append(announcer);
root.textContent = "";
interceptLinks(document.body);
render(html`<${App} />`, root);
