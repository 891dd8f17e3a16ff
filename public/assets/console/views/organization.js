// The organization: its settings, members and invitations, API keys (the token shown once), OAuth
// machine clients (the secret shown once), limits, and today's usage as a chart — the management API
// (/api/v1). Owners and admins change things; members see them (the API decides; the page follows).
import { ApiProblem, query } from "../lib/api.js";
import { html, useState } from "../lib/html.js";
import {
  announce,
  Badge,
  ConfirmButton,
  Field,
  Loading,
  ProblemNotice,
  Status,
  Table,
  Time,
  useLoad,
  usePaged,
  useTitle,
} from "./common.js";

const SCOPES = [
  "*",
  "harnesses:read",
  "harnesses:write",
  "agents:read",
  "agents:write",
  "executions:read",
  "executions:write",
  "sessions:read",
  "sessions:write",
  "skills:read",
  "skills:write",
  "mcp:read",
  "mcp:write",
  "tools:read",
  "tools:write",
  "memory:read",
  "memory:write",
  "files:read",
  "files:write",
  "hooks:read",
  "hooks:write",
  "usage:read",
  "organization:read",
  "organization:write",
  "assistant",
];

export function OrganizationPage({ client }) {
  useTitle("Organization");
  const role = client.organization?.role;
  const manager = role === "owner" || role === "admin";
  return html`<section class="organization">
    <h1>Organization</h1>
    ${manager ? null : html`<p class="notice" role="note">You are a <strong>${role}</strong> here: you can see everything on this page; owners and admins change it.</p>`}
    <${Settings} client=${client} manager=${manager} />
    <${UsageToday} client=${client} />
    <${Limits} client=${client} manager=${manager} />
    <${Members} client=${client} manager=${manager} role=${role} />
    <${ApiKeys} client=${client} manager=${manager} />
    <${MachineClients} client=${client} manager=${manager} />
  </section>`;
}

function Settings({ client, manager }) {
  const org = useLoad((signal) => client.get("/api/v1/organization", { signal }), []);
  const [form, setForm] = useState();
  const [error, setError] = useState();
  if (org.loading && !org.data) return html`<${Loading} />`;
  if (org.error) return html`<${ProblemNotice} error=${org.error} />`;
  const current = form ?? { name: org.data.name, default_model: org.data.default_model ?? "" };
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  return html`<section class="card" aria-labelledby="settings-h">
    <h2 id="settings-h">${org.data.name}</h2>
    <p class="muted small"><code>${org.data.id}</code> · created <${Time} iso=${org.data.created_at} /></p>
    <form
      onSubmit=${async (e) => {
        e.preventDefault();
        try {
          await client.patch("/api/v1/organization", { name: current.name, default_model: current.default_model.trim() || null });
          setError(undefined);
          setForm(undefined);
          announce("Organization saved.");
          org.reload();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <${ProblemNotice} error=${error} />
      <div class="inline-fields">
        <${Field}
          label="Name"
          name="name"
          errors=${errors}
          render=${(p) => html`<input ...${p} disabled=${!manager} value=${current.name} onInput=${(e) => setForm({ ...current, name: e.currentTarget.value })} />`}
        />
        <${Field}
          label="Default model"
          name="default_model"
          errors=${errors}
          hint="Used when a request, agent and harness name none."
          render=${(p) => html`<input ...${p} disabled=${!manager} value=${current.default_model} placeholder="the deployment's" onInput=${(e) => setForm({ ...current, default_model: e.currentTarget.value })} />`}
        />
        ${manager ? html`<button type="submit">Save</button>` : null}
      </div>
    </form>
  </section>`;
}

/** Start of the current UTC day, ISO 8601. */
function utcMidnight() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
}

/** Most ledger pages read for the chart (100 rows each). */
const MAX_USAGE_PAGES = 20;

function UsageToday({ client }) {
  const usage = useLoad(async (signal) => {
    const rows = [];
    let today;
    let cursor;
    for (let i = 0; i < MAX_USAGE_PAGES; i++) {
      const page = await client.get(`/api/v1/usage${query({ since: utcMidnight(), limit: 100, cursor })}`, { signal });
      today = page.today;
      rows.push(...page.data);
      if (!page.has_more) break;
      cursor = page.cursor;
    }
    return { rows, today };
  }, []);
  if (usage.loading && !usage.data) return html`<${Loading} what="Loading today's usage" />`;
  if (usage.error) return html`<${ProblemNotice} error=${usage.error} what="Usage" />`;
  const { rows, today } = usage.data;
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, tokens: 0, requests: 0 }));
  for (const r of rows) {
    const bucket = hours[new Date(r.created_at).getUTCHours()];
    bucket.tokens += r.total_tokens;
    bucket.requests += 1;
  }
  const max = Math.max(1, ...hours.map((h) => h.tokens));
  const width = 24 * 14;
  const height = 120;
  return html`<section class="card" aria-labelledby="usage-h">
    <div class="page-head">
      <h2 id="usage-h">Today's usage <span class="muted small">(UTC ${today.date})</span></h2>
      <button type="button" onClick=${usage.reload}>Refresh</button>
    </div>
    <div class="meters">
      <div>
        <label for="m-tokens">Tokens: ${today.tokens.used.toLocaleString()} of ${today.tokens.budget.toLocaleString()}</label>
        <meter id="m-tokens" min="0" max=${today.tokens.budget} value=${today.tokens.used} high=${today.tokens.budget * 0.8}></meter>
      </div>
      <div>
        <label for="m-requests"
          >Your requests: ${today.requests.caller} of ${today.requests.quota_per_user} (organization: ${today.requests.organization})</label
        >
        <meter
          id="m-requests"
          min="0"
          max=${today.requests.quota_per_user}
          value=${today.requests.caller}
          high=${today.requests.quota_per_user * 0.8}
        ></meter>
      </div>
    </div>
    <figure class="chart">
      <svg viewBox=${`0 0 ${width} ${height + 18}`} role="img" aria-labelledby="chart-caption">
        ${hours.map((h) => {
          const barHeight = Math.round((h.tokens / max) * height);
          return html`<g>
            <title>${String(h.hour).padStart(2, "0")}:00 UTC — ${h.tokens} tokens, ${h.requests} metered request(s)</title>
            <rect
              class="bar"
              x=${h.hour * 14 + 2}
              y=${height - barHeight}
              width="10"
              height=${Math.max(barHeight, h.tokens > 0 ? 1 : 0)}
            ></rect>
            ${h.hour % 6 === 0 ? html`<text class="axis" x=${h.hour * 14 + 2} y=${height + 14}>${String(h.hour).padStart(2, "0")}h</text>` : null}
          </g>`;
        })}
        <line class="baseline" x1="0" x2=${width} y1=${height} y2=${height}></line>
      </svg>
      <figcaption id="chart-caption">
        Tokens per hour today (UTC), ${rows.length} metered request(s); resets <${Time} iso=${today.resets_at} />.
      </figcaption>
    </figure>
    <details>
      <summary>As a table</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Hour (UTC)</th>
            <th scope="col">Tokens</th>
            <th scope="col">Requests</th>
          </tr>
        </thead>
        <tbody>
          ${hours
            .filter((h) => h.requests > 0)
            .map(
              (h) =>
                html`<tr>
                  <th scope="row">${String(h.hour).padStart(2, "0")}:00</th>
                  <td>${h.tokens}</td>
                  <td>${h.requests}</td>
                </tr>`,
            )}
        </tbody>
      </table>
    </details>
  </section>`;
}

/** A limit field's value for the API: empty is null (the deployment default). */
const limitValue = (v) => (v === "" ? null : Number(v));

function Limits({ client, manager }) {
  const limits = useLoad((signal) => client.get("/api/v1/organization/limits", { signal }), []);
  const [form, setForm] = useState();
  const [error, setError] = useState();
  if (limits.loading && !limits.data) return html`<${Loading} />`;
  if (limits.error) return html`<${ProblemNotice} error=${limits.error} what="Limits" />`;
  const l = limits.data;
  const current = form ?? {
    daily_request_quota: l.configured.daily_request_quota ?? "",
    daily_token_budget: l.configured.daily_token_budget ?? "",
  };
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  return html`<section class="card" aria-labelledby="limits-h">
    <h2 id="limits-h">Limits</h2>
    <p>
      ${l.daily_request_quota.toLocaleString()} requests per person per day
      ${l.configured.daily_request_quota === null ? html`<${Badge}>default<//>` : null} · ${l.daily_token_budget.toLocaleString()} tokens
      per day ${l.configured.daily_token_budget === null ? html`<${Badge}>default<//>` : null}
    </p>
    ${
      manager
        ? html`<form
            onSubmit=${async (e) => {
              e.preventDefault();
              try {
                await client.patch("/api/v1/organization/limits", {
                  daily_request_quota: limitValue(current.daily_request_quota),
                  daily_token_budget: limitValue(current.daily_token_budget),
                });
                setError(undefined);
                setForm(undefined);
                announce("Limits saved.");
                limits.reload();
              } catch (err) {
                setError(err);
              }
            }}
          >
            <${ProblemNotice} error=${error} what="Limits" />
            <div class="inline-fields">
              <${Field}
                label="Requests per person per day"
                name="daily_request_quota"
                errors=${errors}
                hint=${`Empty: the default (${l.defaults.daily_request_quota}).`}
                render=${(p) => html`<input ...${p} type="number" min="0" value=${current.daily_request_quota} onInput=${(e) => setForm({ ...current, daily_request_quota: e.currentTarget.value })} />`}
              />
              <${Field}
                label="Tokens per day"
                name="daily_token_budget"
                errors=${errors}
                hint=${`Empty: the default (${l.defaults.daily_token_budget}).`}
                render=${(p) => html`<input ...${p} type="number" min="0" value=${current.daily_token_budget} onInput=${(e) => setForm({ ...current, daily_token_budget: e.currentTarget.value })} />`}
              />
              <button type="submit">Save limits</button>
            </div>
          </form>`
        : null
    }
  </section>`;
}

function Members({ client, manager, role }) {
  const page = usePaged(client, "/api/v1/members?limit=100", []);
  const [error, setError] = useState();
  const [invite, setInvite] = useState({ email: "", role: "member" });
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  const act = (fn) => async () => {
    try {
      await fn();
      setError(undefined);
      page.reload();
    } catch (e) {
      setError(e);
    }
  };
  return html`<section class="card" aria-labelledby="members-h">
    <h2 id="members-h">Members and invitations</h2>
    <${ProblemNotice} error=${page.error ?? error} what="Members" />
    <${Table} columns=${["Person", "Role", "Status", "Since", html`<span class="visually-hidden">Actions</span>`]}>
      ${page.items.map(
        (m) =>
          html`<tr>
            <th scope="row">${m.user ? html`${m.user.name} <span class="muted small">${m.user.email}</span>` : m.email}</th>
            <td>
              ${
                role === "owner" && m.status === "active"
                  ? html`<select
                      aria-label=${`Role of ${m.email}`}
                      value=${m.role}
                      onChange=${(e) => act(() => client.patch(`/api/v1/members/${encodeURIComponent(m.id)}`, { role: e.currentTarget.value }))()}
                    >
                      ${["owner", "admin", "member"].map((r) => html`<option value=${r}>${r}</option>`)}
                    </select>`
                  : m.role
              }
            </td>
            <td><${Status} value=${m.status} /></td>
            <td><${Time} iso=${m.accepted_at ?? m.created_at} /></td>
            <td>
              ${
                manager
                  ? m.status === "pending"
                    ? html`<${ConfirmButton}
                        label="Cancel invitation"
                        confirm=${`Cancel the invitation to ${m.email}?`}
                        onConfirm=${act(() => client.del(`/api/v1/invitations/${encodeURIComponent(m.id)}`))}
                      />`
                    : html`<${ConfirmButton}
                        label="Remove"
                        confirm=${`Remove ${m.email}?`}
                        onConfirm=${act(() => client.del(`/api/v1/members/${encodeURIComponent(m.id)}`))}
                      />`
                  : null
              }
            </td>
          </tr>`,
      )}
    <//>
    ${page.more ? html`<button type="button" onClick=${page.more}>Load more</button>` : null}
    ${
      manager
        ? html`<form
              class="inline-fields"
              onSubmit=${async (e) => {
                e.preventDefault();
                await act(async () => {
                  await client.post("/api/v1/invitations", { email: invite.email, role: invite.role });
                  announce(`Invited ${invite.email}.`);
                  setInvite({ email: "", role: "member" });
                })();
              }}
            >
              <${Field}
                label="Invite by email"
                name="email"
                errors=${errors}
                render=${(p) => html`<input ...${p} type="email" required value=${invite.email} onInput=${(e) => setInvite({ ...invite, email: e.currentTarget.value })} />`}
              />
              <label>
                as
                <select value=${invite.role} onChange=${(e) => setInvite({ ...invite, role: e.currentTarget.value })}>
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                </select>
              </label>
              <button type="submit">Invite</button>
            </form>
            <p class="hint">They accept after signing in, on their invitations page.</p>`
        : null
    }
  </section>`;
}

/** A secret shown once, with a copy button. */
function ShownOnce({ label, value, onDismiss }) {
  const [copied, setCopied] = useState(false);
  return html`<div class="notice success shown-once" role="alert">
    <p><strong>${label}</strong> It is shown only now: store it somewhere safe.</p>
    <p><code class="secret">${value}</code></p>
    <button
      type="button"
      onClick=${async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setCopied(true);
      }}
    >
      ${copied ? "Copied" : "Copy"}
    </button>
    <button type="button" onClick=${onDismiss}>I stored it</button>
  </div>`;
}

function ApiKeys({ client, manager }) {
  const page = usePaged(client, "/api/v1/api-keys?limit=100", []);
  const [error, setError] = useState();
  const [form, setForm] = useState({ name: "", scopes: ["*"] });
  const [shown, setShown] = useState();
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  return html`<section class="card" aria-labelledby="keys-h">
    <h2 id="keys-h">API keys</h2>
    <${ProblemNotice} error=${page.error ?? error} what="API keys" />
    ${shown ? html`<${ShownOnce} label=${`API key ${shown.key.name} created.`} value=${shown.token} onDismiss=${() => setShown(undefined)} />` : null}
    ${page.items.length === 0 && !page.loading ? html`<p class="muted">No API keys.</p>` : null}
    <ul class="plain">
      ${page.items.map(
        (k) =>
          html`<li>
            <strong>${k.name}</strong> <code class="small">${k.id}</code>
            <span class="muted small">${k.scopes.join(" ")} · <${Time} iso=${k.created_at} /></span>
            ${
              manager
                ? html`<${ConfirmButton}
                    label="Revoke"
                    confirm=${`Revoke ${k.name}? Programs using it stop working.`}
                    onConfirm=${async () => {
                      try {
                        await client.del(`/api/v1/api-keys/${encodeURIComponent(k.id)}`);
                        announce(`${k.name} revoked.`);
                        page.reload();
                      } catch (e) {
                        setError(e);
                      }
                    }}
                  />`
                : null
            }
          </li>`,
      )}
    </ul>
    ${
      manager
        ? html`<form
            onSubmit=${async (e) => {
              e.preventDefault();
              try {
                const created = await client.post("/api/v1/api-keys", { name: form.name, scopes: form.scopes });
                setShown(created);
                setForm({ name: "", scopes: ["*"] });
                setError(undefined);
                page.reload();
              } catch (err) {
                setError(err);
              }
            }}
          >
            <${Field}
              label="New key's name"
              name="name"
              errors=${errors}
              render=${(p) => html`<input ...${p} required maxlength="100" value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />`}
            />
            <fieldset class="scopes">
              <legend>Scopes</legend>
              ${SCOPES.map(
                (s) =>
                  html`<label class="check">
                    <input
                      type="checkbox"
                      checked=${form.scopes.includes(s)}
                      onChange=${(e) => setForm({ ...form, scopes: e.currentTarget.checked ? [...form.scopes, s] : form.scopes.filter((x) => x !== s) })}
                    />
                    <code>${s === "*" ? "* (everything)" : s}</code>
                  </label>`,
              )}
            </fieldset>
            ${errors["body.scopes"] ? html`<p class="field-error">${errors["body.scopes"]}</p>` : null}
            <button type="submit">Create API key</button>
          </form>`
        : null
    }
  </section>`;
}

function MachineClients({ client, manager }) {
  const page = usePaged(client, "/api/v1/oauth-clients?limit=100", []);
  const [error, setError] = useState();
  const [form, setForm] = useState({ name: "", scope: "api" });
  const [shown, setShown] = useState();
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  return html`<section class="card" aria-labelledby="clients-h">
    <h2 id="clients-h">OAuth machine clients</h2>
    <p class="hint">Services that get tokens with <code>client_credentials</code> and act as the organization.</p>
    <${ProblemNotice} error=${page.error ?? error} what="Machine clients" />
    ${shown ? html`<${ShownOnce} label=${`Client ${shown.client_id} created; its secret:`} value=${shown.client_secret} onDismiss=${() => setShown(undefined)} />` : null}
    ${page.items.length === 0 && !page.loading ? html`<p class="muted">No machine clients.</p>` : null}
    <ul class="plain">
      ${page.items.map(
        (m) =>
          html`<li>
            <strong>${m.name}</strong> <code class="small">${m.client_id}</code>
            <span class="muted small">scope ${m.scope} · <${Time} iso=${m.created_at} /></span>
            ${
              manager
                ? html`<${ConfirmButton}
                    label="Revoke"
                    confirm=${`Revoke ${m.name}?`}
                    onConfirm=${async () => {
                      try {
                        await client.del(`/api/v1/oauth-clients/${encodeURIComponent(m.client_id)}`);
                        page.reload();
                      } catch (e) {
                        setError(e);
                      }
                    }}
                  />`
                : null
            }
          </li>`,
      )}
    </ul>
    ${
      manager
        ? html`<form
            class="inline-fields"
            onSubmit=${async (e) => {
              e.preventDefault();
              try {
                const created = await client.post("/api/v1/oauth-clients", { name: form.name, scope: form.scope });
                setShown(created);
                setForm({ name: "", scope: "api" });
                setError(undefined);
                page.reload();
              } catch (err) {
                setError(err);
              }
            }}
          >
            <${Field}
              label="New client's name"
              name="name"
              errors=${errors}
              render=${(p) => html`<input ...${p} required value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />`}
            />
            <label>
              Scope
              <select value=${form.scope} onChange=${(e) => setForm({ ...form, scope: e.currentTarget.value })}>
                <option value="api">api</option>
                <option value="assistant">assistant</option>
                <option value="api assistant">api assistant</option>
              </select>
            </label>
            <button type="submit">Create client</button>
          </form>`
        : null
    }
  </section>`;
}
