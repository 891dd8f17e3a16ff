// Harnesses: the list and the create / edit form, in the Everruns shape of the management API
// (/api/v1/harnesses), with validation messages from the API's problem bodies.
import { ApiProblem, query } from "../lib/api.js";
import { html, useState } from "../lib/html.js";
import { navigate } from "../lib/router.js";
import {
  announce,
  Badge,
  Field,
  Loading,
  PageFoot,
  pageEmpty,
  ProblemNotice,
  Status,
  Table,
  Time,
  useLoad,
  usePaged,
  useTitle,
} from "./common.js";

export function HarnessList({ client, base }) {
  useTitle("Harnesses");
  const [status, setStatus] = useState("");
  const page = usePaged(client, `/api/v1/harnesses${query({ status, limit: 50 })}`, [status]);
  return html`<section>
    <div class="page-head">
      <h1>Harnesses</h1>
      <a class="button primary" href=${`${base}/harnesses/new`}>New harness</a>
    </div>
    <div class="filters">
      <label>
        Show
        <select value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
          <option value="">Active and archived</option>
          <option value="active">Active</option>
          <option value="archived">Archived</option>
          <option value="deleted">Deleted</option>
        </select>
      </label>
    </div>
    <${ProblemNotice} error=${page.error} />
    ${pageEmpty(page) ? html`<p>No harnesses here yet. <a href=${`${base}/harnesses/new`}>Create one</a>.</p>` : null}
    ${
      page.items.length > 0
        ? html`<${Table} columns=${["Name", "Status", "Default model", "Tags", "Updated"]} caption="Harnesses">
            ${page.items.map(
              (h) =>
                html`<tr>
                  <th scope="row">
                    <a href=${`${base}/harnesses/${encodeURIComponent(h.id)}`}>${h.display_name ?? h.name}</a>
                    <div class="muted small"><code>${h.name}</code> ${h.is_built_in ? html`<${Badge}>built-in<//>` : null}</div>
                  </th>
                  <td><${Status} value=${h.status} /></td>
                  <td>${h.default_model_id ? html`<code>${h.default_model_id}</code>` : html`<span class="muted">inherited</span>`}</td>
                  <td>${h.tags.map((t) => html`<${Badge}>${t}<//> `)}</td>
                  <td><${Time} iso=${h.updated_at} /></td>
                </tr>`,
            )}
          <//>`
        : null
    }
    <${PageFoot} page=${page} />
  </section>`;
}

const lines = (text) =>
  text
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);

/** Form state from a harness definition (or empty for a new one). */
function initialState(h) {
  return {
    name: h?.name ?? "",
    display_name: h?.display_name ?? "",
    description: h?.description ?? "",
    system_prompt: h?.system_prompt ?? "",
    default_model_id: h?.default_model_id ?? "",
    parent_harness_id: h?.parent_harness_id ?? "",
    tags: (h?.tags ?? []).join(", "),
    capabilities: Object.fromEntries((h?.capabilities ?? []).map((c) => [c.ref, c.config ? JSON.stringify(c.config) : ""])),
    initial_files: (h?.initial_files ?? []).map((f) => ({ ...f, is_readonly: !!f.is_readonly })),
    mcpServers: Object.entries(h?.mcpServers ?? {}).map(([name, s]) => ({
      name,
      url: s.url,
      auth_mode: s.auth_mode ?? "none",
      headers: Object.entries(s.headers ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n"),
    })),
    allowed: (h?.network_access?.allowed ?? []).join("\n"),
    blocked: (h?.network_access?.blocked ?? []).join("\n"),
  };
}

/** The request body (Everruns CreateHarnessRequest / UpdateHarnessRequest) from the form state. */
function requestBody(form, creating) {
  const capabilities = Object.entries(form.capabilities).map(([ref, config]) => {
    if (!config.trim()) return { ref };
    let parsed;
    try {
      parsed = JSON.parse(config);
    } catch {
      throw new ApiProblem(400, {
        title: "Invalid request",
        detail: `The configuration of ${ref} is not valid JSON.`,
        code: "validation_error",
        error: { details: { issues: [{ field: `body.capabilities.${ref}`, message: "is not valid JSON" }] } },
      });
    }
    return { ref, config: parsed };
  });
  const allowed = lines(form.allowed);
  const blocked = lines(form.blocked);
  return {
    ...(creating ? { name: form.name.trim() } : {}),
    display_name: form.display_name.trim() || null,
    description: form.description.trim() || null,
    system_prompt: form.system_prompt,
    capabilities,
    default_model_id: form.default_model_id.trim() || null,
    parent_harness_id: form.parent_harness_id || null,
    tags: form.tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    initial_files: form.initial_files.map((f) => ({ path: f.path, content: f.content, is_readonly: f.is_readonly })),
    mcpServers: Object.fromEntries(
      form.mcpServers.map((s) => [
        s.name,
        {
          type: "http",
          url: s.url,
          auth_mode: s.auth_mode,
          ...(s.headers.trim()
            ? {
                headers: Object.fromEntries(
                  lines(s.headers).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]),
                ),
              }
            : {}),
        },
      ]),
    ),
    network_access:
      allowed.length || blocked.length ? { ...(allowed.length ? { allowed } : {}), ...(blocked.length ? { blocked } : {}) } : null,
  };
}

export function HarnessForm({ client, base, harnessId }) {
  const creating = !harnessId;
  useTitle(creating ? "New harness" : "Edit harness");
  const loaded = useLoad(
    async (signal) => {
      const [harness, catalog, harnesses] = await Promise.all([
        creating ? undefined : client.get(`/api/v1/harnesses/${encodeURIComponent(harnessId)}`, { signal }),
        client.get("/api/v1/capabilities", { signal }),
        client.get("/api/v1/harnesses?limit=100", { signal }),
      ]);
      return { harness, catalog: catalog.data, harnesses: harnesses.data };
    },
    [harnessId],
  );
  if (loaded.loading) return html`<${Loading} />`;
  if (loaded.error) return html`<${ProblemNotice} error=${loaded.error} />`;
  return html`<${HarnessFormBody} client=${client} base=${base} creating=${creating} ...${loaded.data} />`;
}

function HarnessFormBody({ client, base, creating, harness, catalog, harnesses }) {
  const [form, setForm] = useState(() => initialState(harness));
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  const set = (key) => (e) =>
    setForm({ ...form, [key]: e.currentTarget.type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value });
  const input =
    (key, extra = {}) =>
    (props) =>
      html`<input ...${props} value=${form[key]} onInput=${set(key)} ...${extra} />`;

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = requestBody(form, creating);
      const saved = creating
        ? await client.post("/api/v1/harnesses", body)
        : await client.patch(`/api/v1/harnesses/${encodeURIComponent(harness.id)}`, body);
      announce(creating ? `Harness ${saved.name} created.` : `Harness ${saved.name} saved.`);
      navigate(`${base}/harnesses/${encodeURIComponent(saved.id)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
      requestAnimationFrame(() =>
        (document.querySelector(".harness-form [aria-invalid=true]") ?? document.querySelector(".harness-form .notice-slot"))?.focus(),
      );
    }
  }

  const parents = harnesses.filter((h) => h.id !== harness?.id);
  return html`<section>
    <h1>${creating ? "New harness" : `Edit ${harness.display_name ?? harness.name}`}</h1>
    ${
      harness?.is_built_in
        ? html`<div class="notice warning" role="note">
            This built-in harness is read-only. <a href=${`${base}/harnesses/${encodeURIComponent(harness.id)}`}>Copy it</a> to change it.
          </div>`
        : null
    }
    <form class="harness-form" onSubmit=${submit} novalidate>
      <div tabindex="-1" class="notice-slot"><${ProblemNotice} error=${error} /></div>
      <fieldset>
        <legend>Identity</legend>
        ${
          creating
            ? html`<${Field}
                label="Name"
                name="name"
                errors=${errors}
                hint="Lowercase letters, digits and hyphens; unique in the organization. It is the Open Harness id."
                render=${input("name", { required: true, autocomplete: "off", spellcheck: false })}
              />`
            : html`<p>Name: <code>${harness.name}</code> <span class="muted">(names do not change)</span></p>`
        }
        <${Field} label="Display name" name="display_name" errors=${errors} render=${input("display_name")} />
        <${Field}
          label="Description"
          name="description"
          errors=${errors}
          render=${(p) => html`<textarea ...${p} rows="2" value=${form.description} onInput=${set("description")}></textarea>`}
        />
        <${Field} label="Tags" name="tags" errors=${errors} hint="Comma-separated." render=${input("tags")} />
      </fieldset>
      <fieldset>
        <legend>Behaviour</legend>
        <${Field}
          label="System prompt"
          name="system_prompt"
          errors=${errors}
          hint="Parents' prompts come first; this one is stacked after them."
          render=${(p) => html`<textarea ...${p} rows="6" required value=${form.system_prompt} onInput=${set("system_prompt")}></textarea>`}
        />
        <${Field}
          label="Default model"
          name="default_model_id"
          errors=${errors}
          hint="provider/model, e.g. anthropic/claude-sonnet-4-5, openai-compatible/llama3.2 or scripted/demo. Empty: inherited."
          render=${input("default_model_id", { autocomplete: "off", spellcheck: false })}
        />
        <${Field}
          label="Parent harness"
          name="parent_harness_id"
          errors=${errors}
          hint="Inherit its prompt, capabilities, files, MCP servers and network rules."
          render=${(p) =>
            html`<select ...${p} value=${form.parent_harness_id} onChange=${set("parent_harness_id")}>
              <option value="">None</option>
              ${parents.map((h) => html`<option value=${h.id}>${h.display_name ?? h.name} (${h.name})</option>`)}
            </select>`}
        />
      </fieldset>
      <fieldset>
        <legend>Capabilities</legend>
        <p class="hint">What the harness's agent can use. Configuration is optional JSON.</p>
        <ul class="capability-list">
          ${catalog.map((c) => {
            const on = c.ref in form.capabilities;
            const id = `cap-${c.ref}`;
            const fieldError = errors[`body.capabilities.${c.ref}`];
            return html`<li>
              <input
                type="checkbox"
                id=${id}
                checked=${on}
                onChange=${(e) => {
                  const next = { ...form.capabilities };
                  if (e.currentTarget.checked) next[c.ref] = "";
                  else delete next[c.ref];
                  setForm({ ...form, capabilities: next });
                }}
              />
              <label for=${id}><code>${c.ref}</code> — ${c.description}</label>
              ${
                on
                  ? html`<div class="field">
                      <label for=${`${id}-config`} class="small">Configuration of ${c.ref} (JSON)</label>
                      <input
                        id=${`${id}-config`}
                        value=${form.capabilities[c.ref]}
                        placeholder="{}"
                        aria-invalid=${fieldError ? "true" : undefined}
                        onInput=${(e) => setForm({ ...form, capabilities: { ...form.capabilities, [c.ref]: e.currentTarget.value } })}
                      />
                      ${fieldError ? html`<p class="field-error">${fieldError}</p>` : null}
                    </div>`
                  : null
              }
            </li>`;
          })}
        </ul>
        ${errors["body.capabilities"] ? html`<p class="field-error">${errors["body.capabilities"]}</p>` : null}
      </fieldset>
      <${ListEditor}
        legend="Starter files"
        addLabel="Add a starter file"
        hint="Copied into each new session's workspace."
        items=${form.initial_files}
        empty=${{ path: "", content: "", is_readonly: false }}
        onChange=${(initial_files) => setForm({ ...form, initial_files })}
        errors=${errors}
        field="initial_files"
        columns=${[
          ["path", "Path", "input"],
          ["content", "Content", "textarea"],
          ["is_readonly", "Read-only", "checkbox"],
        ]}
      />
      <${ListEditor}
        legend="MCP servers"
        addLabel="Add an MCP server"
        hint="Remote MCP servers (HTTP) scoped to this harness; headers as Name: value lines."
        items=${form.mcpServers}
        empty=${{ name: "", url: "", auth_mode: "none", headers: "" }}
        onChange=${(mcpServers) => setForm({ ...form, mcpServers })}
        errors=${errors}
        field="mcpServers"
        columns=${[
          ["name", "Name", "input"],
          ["url", "URL", "input"],
          ["auth_mode", "Authentication", "select", ["none", "api_key", "o_auth"]],
          ["headers", "Headers", "textarea"],
        ]}
      />
      <fieldset>
        <legend>Network access</legend>
        <p class="hint">Host patterns, one per line (e.g. *.example.com). A harness can only narrow what its parents allow.</p>
        <${Field}
          label="Allowed hosts"
          name="network_access.allowed"
          errors=${errors}
          render=${(p) => html`<textarea ...${p} rows="3" value=${form.allowed} onInput=${set("allowed")}></textarea>`}
        />
        <${Field}
          label="Blocked hosts"
          name="network_access.blocked"
          errors=${errors}
          render=${(p) => html`<textarea ...${p} rows="3" value=${form.blocked} onInput=${set("blocked")}></textarea>`}
        />
      </fieldset>
      <div class="form-actions">
        <a class="button" href=${creating ? `${base}/harnesses` : `${base}/harnesses/${encodeURIComponent(harness.id)}`}>Cancel</a>
        <button class="primary" type="submit" disabled=${busy || harness?.is_built_in}>
          ${busy ? "Saving…" : creating ? "Create harness" : "Save"}
        </button>
      </div>
    </form>
  </section>`;
}

/** Rows of small records (starter files, MCP servers) with add and remove. */
function ListEditor({ legend, addLabel, hint, items, empty, onChange, columns, errors, field }) {
  const update = (i, key, value) => onChange(items.map((item, j) => (j === i ? { ...item, [key]: value } : item)));
  const rowError = (i, item) =>
    Object.entries(errors).find(
      ([f]) => f.startsWith(`body.${field}[${i}]`) || (item.name && f.startsWith(`body.${field}.${item.name}`)),
    )?.[1];
  return html`<fieldset>
    <legend>${legend}</legend>
    <p class="hint">${hint}</p>
    ${items.map(
      (item, i) =>
        html`<div class="list-row" role="group" aria-label=${`${legend} ${i + 1}`}>
          ${columns.map(([key, label, kind, choices]) => {
            const id = `${field}-${i}-${key}`;
            const control =
              kind === "textarea"
                ? html`<textarea id=${id} rows="2" value=${item[key]} onInput=${(e) => update(i, key, e.currentTarget.value)}></textarea>`
                : kind === "checkbox"
                  ? html`<input id=${id} type="checkbox" checked=${item[key]} onChange=${(e) => update(i, key, e.currentTarget.checked)} />`
                  : kind === "select"
                    ? html`<select id=${id} value=${item[key]} onChange=${(e) => update(i, key, e.currentTarget.value)}>
                        ${choices.map((c) => html`<option value=${c}>${c}</option>`)}
                      </select>`
                    : html`<input id=${id} value=${item[key]} onInput=${(e) => update(i, key, e.currentTarget.value)} />`;
            return html`<div class=${`cell ${kind}`}><label for=${id}>${label}</label>${control}</div>`;
          })}
          <button type="button" class="danger small" onClick=${() => onChange(items.filter((_, j) => j !== i))}>Remove</button>
          ${rowError(i, item) ? html`<p class="field-error">${rowError(i, item)}</p>` : null}
        </div>`,
    )}
    <button type="button" onClick=${() => onChange([...items, { ...empty }])}>${addLabel}</button>
    ${errors[`body.${field}`] ? html`<p class="field-error">${errors[`body.${field}`]}</p>` : null}
  </fieldset>`;
}
