// The harness tabs whose operations arrive with later work (skills, MCP client, tools, files, hooks and
// webhooks), written against the Open Harness spec's shapes (§2.6–2.8, 2.13, 2.14). Each reads the
// capability manifest first and, where the harness does not serve the operation (the manifest says
// so, or the call answers 501 capability_not_supported), says so instead of failing.
import { ApiProblem, query } from "../lib/api.js";
import { html, useState } from "../lib/html.js";
import {
  announce,
  Badge,
  bytes,
  capability,
  ConfirmButton,
  Field,
  Json,
  Loading,
  PageFoot,
  pageEmpty,
  ProblemNotice,
  Status,
  Time,
  Unsupported,
  useLoad,
  usePaged,
} from "./common.js";

const hid = (harness) => `/v1/harnesses/${encodeURIComponent(harness.id)}`;

/** skills.list (+ listVersions, uninstall). */
export function SkillsTab({ client, harness, manifest }) {
  const gate = capability(manifest, "skills");
  const [category, setCategory] = useState("");
  const page = usePaged(client, gate.ok ? `${hid(harness)}/skills${query({ category, limit: 50 })}` : null, [category]);
  const [error, setError] = useState();
  if (!gate.ok) return html`<${Unsupported} what="Skills" reason=${gate.reason} operation="skills.list" />`;
  return html`<div>
    <h2>Skills</h2>
    <div class="filters">
      <label>
        Category
        <select value=${category} onChange=${(e) => setCategory(e.currentTarget.value)}>
          <option value="">any</option>
          ${["user", "plugin", "builtin", "organization"].map((c) => html`<option value=${c}>${c}</option>`)}
        </select>
      </label>
    </div>
    <${ProblemNotice} error=${page.error ?? error} what="Skills" />
    ${pageEmpty(page) ? html`<p class="muted">No skills registered.</p>` : null}
    <ul class="cards">
      ${page.items.map(
        (s) =>
          html`<li class="card">
            <h3>${s.name} <span class="muted small">v${s.version}</span> <${Badge}>${s.category}<//></h3>
            <p>${s.description}</p>
            <p class="muted small"><code>${s.id}</code> · ${s.vendor} · updated <${Time} iso=${s.updated_at} /></p>
            <${SkillVersions} client=${client} path=${`${hid(harness)}/skills/${encodeURIComponent(s.id)}/versions`} manifest=${manifest} />
            <${ConfirmButton}
              label="Uninstall"
              confirm=${`Uninstall ${s.name}?`}
              onConfirm=${async () => {
                try {
                  await client.del(`${hid(harness)}/skills/${encodeURIComponent(s.id)}`);
                  announce(`${s.name} uninstalled.`);
                  page.reload();
                } catch (e) {
                  setError(e);
                }
              }}
            />
          </li>`,
      )}
    </ul>
    <${PageFoot} page=${page} />
  </div>`;
}

function SkillVersions({ client, path, manifest }) {
  const [open, setOpen] = useState(false);
  const versions = useLoad((signal) => (open ? client.get(path, { signal }) : Promise.resolve(undefined)), [open, path]);
  if (!capability(manifest, "skills", "version").ok) return null;
  return html`<details onToggle=${(e) => setOpen(e.currentTarget.open)}>
    <summary>Versions</summary>
    ${versions.loading && open ? html`<${Loading} />` : null}
    <${ProblemNotice} error=${versions.error} what="Skill versions" />
    ${
      versions.data
        ? html`<ul class="plain">
            ${versions.data.versions.map((v) => html`<li>v${v.version}${v.version === versions.data.current_version ? " (current)" : ""} · <${Time} iso=${v.created_at} />${v.changelog ? ` — ${v.changelog}` : ""}</li>`)}
          </ul>`
        : null
    }
  </details>`;
}

/** mcp.list, mcp.connect, mcp.listTools, mcp.health, mcp.disconnect. */
export function McpTab({ client, harness, manifest }) {
  const gate = capability(manifest, "mcp");
  const page = usePaged(client, gate.ok ? `${hid(harness)}/mcp-servers?limit=50` : null, []);
  const [error, setError] = useState();
  if (!gate.ok) return html`<${Unsupported} what="MCP servers" reason=${gate.reason} operation="mcp.list" />`;
  return html`<div>
    <h2>MCP servers</h2>
    ${capability(manifest, "mcp", "connect").ok ? html`<${ConnectMcp} client=${client} harness=${harness} onConnected=${page.reload} />` : null}
    <${ProblemNotice} error=${page.error ?? error} what="MCP servers" />
    ${pageEmpty(page) ? html`<p class="muted">No MCP servers connected.</p>` : null}
    <ul class="cards">
      ${page.items.map(
        (s) =>
          html`<li class="card">
            <h3>${s.name} <${Status} value=${s.status} /></h3>
            <p class="muted small">
              <code>${s.transport.type}</code> <code>${s.transport.url ?? s.transport.command}</code> · <code>${s.id}</code>
            </p>
            <details>
              <summary>
                ${s.tools?.length ?? 0} tool(s), ${s.resources?.length ?? 0} resource(s), ${s.prompts?.length ?? 0} prompt(s)
              </summary>
              <ul class="plain">
                ${(s.tools ?? []).map((t) => html`<li><code>${t.name}</code> — ${t.description}</li>`)}
              </ul>
            </details>
            <div class="actions">
              <button
                type="button"
                onClick=${async () => {
                  try {
                    const health = await client.post(`${hid(harness)}/mcp-servers/${encodeURIComponent(s.id)}/health`, undefined);
                    announce(`${s.name}: ${health.status} (${health.latency_ms} ms)`);
                    setError(undefined);
                  } catch (e) {
                    setError(e);
                  }
                }}
              >
                Check health
              </button>
              <${ConfirmButton}
                label="Disconnect"
                confirm=${`Disconnect ${s.name}?`}
                onConfirm=${async () => {
                  try {
                    await client.del(`${hid(harness)}/mcp-servers/${encodeURIComponent(s.id)}`);
                    page.reload();
                  } catch (e) {
                    setError(e);
                  }
                }}
              />
            </div>
          </li>`,
      )}
    </ul>
    ${page.loading ? html`<${Loading} />` : null}
  </div>`;
}

function ConnectMcp({ client, harness, onConnected }) {
  const [form, setForm] = useState({ name: "", url: "", type: "http" });
  const [error, setError] = useState();
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  return html`<form
    class="card"
    onSubmit=${async (e) => {
      e.preventDefault();
      try {
        await client.post(`${hid(harness)}/mcp-servers`, { name: form.name, transport: { type: form.type, url: form.url } });
        announce(`${form.name} connected.`);
        setForm({ name: "", url: "", type: "http" });
        setError(undefined);
        onConnected();
      } catch (err) {
        setError(err);
      }
    }}
  >
    <h3>Connect an MCP server</h3>
    <${ProblemNotice} error=${error} what="Connecting MCP servers" />
    <${Field}
      label="Name"
      name="name"
      errors=${errors}
      render=${(p) => html`<input ...${p} required value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />`}
    />
    <${Field}
      label="URL"
      name="transport.url"
      errors=${errors}
      render=${(p) => html`<input ...${p} type="url" required value=${form.url} onInput=${(e) => setForm({ ...form, url: e.currentTarget.value })} />`}
    />
    <${Field}
      label="Transport"
      name="transport.type"
      errors=${errors}
      render=${(p) =>
        html`<select ...${p} value=${form.type} onChange=${(e) => setForm({ ...form, type: e.currentTarget.value })}>
          <option value="http">Streamable HTTP</option>
          <option value="sse">SSE</option>
        </select>`}
    />
    <div class="form-actions"><button class="primary" type="submit">Connect</button></div>
  </form>`;
}

/** tools.list (no manifest domain: the call itself says whether it is served). */
export function ToolsTab({ client, harness }) {
  const [source, setSource] = useState("");
  const page = usePaged(client, `${hid(harness)}/tools${query({ source, limit: 100 })}`, [source]);
  if (page.error?.unsupported) return html`<${ProblemNotice} error=${page.error} what="The tool list" />`;
  return html`<div>
    <h2>Tools</h2>
    <div class="filters">
      <label>
        Source
        <select value=${source} onChange=${(e) => setSource(e.currentTarget.value)}>
          <option value="">any</option>
          ${["builtin", "mcp", "skill", "custom"].map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      </label>
    </div>
    <${ProblemNotice} error=${page.error} what="The tool list" />
    ${pageEmpty(page) ? html`<p class="muted">No tools.</p>` : null}
    <ul class="cards">
      ${page.items.map(
        (t) =>
          html`<li class="card">
            <h3><code>${t.name}</code> <${Badge}>${t.source}<//></h3>
            <p>${t.description}</p>
            <details>
              <summary>Input schema</summary>
              <${Json} value=${t.input_schema} label=${`${t.name} input schema`} />
            </details>
          </li>`,
      )}
    </ul>
    <${PageFoot} page=${page} />
  </div>`;
}

/** files.list + files.read / files.download: the harness workspace. */
export function FilesTab({ client, harness, manifest }) {
  const gate = capability(manifest, "files", "read");
  const [dir, setDir] = useState("");
  const listing = useLoad(
    (signal) => (gate.ok ? client.get(`${hid(harness)}/files${query({ path: dir })}`, { signal }) : Promise.resolve(undefined)),
    [dir, gate.ok],
  );
  const [error, setError] = useState();
  if (!gate.ok) return html`<${Unsupported} what="The workspace" reason=${gate.reason} operation="files.list" />`;
  const entries = listing.data?.files ?? listing.data?.data ?? [];
  return html`<div>
    <h2>Workspace files</h2>
    <p class="muted">
      Folder:${" "}
      <code>/${dir}</code>
      ${dir ? html`<button type="button" class="link" onClick=${() => setDir(dir.split("/").slice(0, -1).join("/"))}>Up</button>` : null}
    </p>
    <${ProblemNotice} error=${listing.error ?? error} what="The workspace" />
    ${listing.loading ? html`<${Loading} />` : null}
    ${!listing.loading && entries.length === 0 && !listing.error ? html`<p class="muted">Empty.</p>` : null}
    <ul class="plain files">
      ${entries.map(
        (f) =>
          html`<li>
            ${
              f.type === "directory"
                ? html`<button type="button" class="link" onClick=${() => setDir(f.path.replace(/^\//, ""))}>${f.name}/</button>`
                : html`<button
                      type="button"
                      class="link"
                      disabled=${!capability(manifest, "files", "download").ok}
                      onClick=${async () => {
                        try {
                          await client.download(
                            `${hid(harness)}/files/${f.path.replace(/^\//, "").split("/").map(encodeURIComponent).join("/")}/download`,
                            f.name,
                          );
                        } catch (e) {
                          setError(e);
                        }
                      }}
                    >
                      ${f.name}
                    </button>
                    <span class="muted small">
                      ${bytes(f.size_bytes)}${f.modified_at ? html`, <${Time} iso=${f.modified_at} />` : null}</span
                    >`
            }
          </li>`,
      )}
    </ul>
  </div>`;
}

/** hooks.list + webhooks.list / register / delete. */
export function HooksTab({ client, harness, manifest }) {
  const hooksGate = capability(manifest, "hooks");
  // hooks.list is gated by the manifest's hooks domain; webhooks have no manifest string (spec §8.4): they are tried.
  const hooks = useLoad(
    (signal) => (hooksGate.ok ? client.get(`${hid(harness)}/hooks`, { signal }) : Promise.resolve(undefined)),
    [harness.id],
  );
  const webhooks = useLoad((signal) => client.get(`${hid(harness)}/webhooks`, { signal }), [harness.id]);
  const [error, setError] = useState();
  const [created, setCreated] = useState();
  const [form, setForm] = useState({ url: "", events: "execution.completed" });
  return html`<div class="two-col">
    <section aria-labelledby="hooks-h">
      <h2 id="hooks-h">Hooks</h2>
      ${
        !hooksGate.ok
          ? html`<${Unsupported} what="Hooks" reason=${hooksGate.reason} operation="hooks.list" />`
          : hooks.loading
            ? html`<${Loading} />`
            : hooks.error
              ? html`<${ProblemNotice} error=${hooks.error} what="Hooks" />`
              : html`${hooks.data.hooks.length === 0 ? html`<p class="muted">No hooks.</p>` : null}
                  <ul class="plain">
                    ${hooks.data.hooks.map((h) => html`<li><${Badge}>${h.event}<//> <code>${h.handler.url ?? h.handler.command}</code> ${h.enabled ? "" : html`<${Badge} tone="warn">disabled<//>`}</li>`)}
                  </ul>`
      }
    </section>
    <section aria-labelledby="webhooks-h">
      <h2 id="webhooks-h">Webhooks</h2>
      ${
        webhooks.error
          ? html`<${ProblemNotice} error=${webhooks.error} what="Webhooks" />`
          : webhooks.loading
            ? html`<${Loading} />`
            : html`${webhooks.data.webhooks.length === 0 ? html`<p class="muted">No webhooks.</p>` : null}
                <ul class="plain">
                  ${webhooks.data.webhooks.map(
                    (w) =>
                      html`<li>
                        <code>${w.url}</code> <span class="muted small">${w.events.join(", ")}</span>
                        <${ConfirmButton}
                          label="Delete"
                          confirm="Delete this webhook?"
                          onConfirm=${async () => {
                            try {
                              await client.del(`${hid(harness)}/webhooks/${encodeURIComponent(w.id)}`);
                              webhooks.reload();
                            } catch (e) {
                              setError(e);
                            }
                          }}
                        />
                      </li>`,
                  )}
                </ul>
                <form
                  class="card"
                  onSubmit=${async (e) => {
                    e.preventDefault();
                    try {
                      const { webhook } = await client.post(`${hid(harness)}/webhooks`, {
                        url: form.url,
                        events: form.events
                          .split(",")
                          .map((s) => s.trim())
                          .filter(Boolean),
                      });
                      setCreated(webhook);
                      setError(undefined);
                      webhooks.reload();
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  <h3>Add a webhook</h3>
                  <${ProblemNotice} error=${error} what="Webhooks" />
                  <label
                    >HTTPS URL
                    <input type="url" required value=${form.url} onInput=${(e) => setForm({ ...form, url: e.currentTarget.value })}
                  /></label>
                  <label
                    >Events (comma-separated)
                    <input value=${form.events} onInput=${(e) => setForm({ ...form, events: e.currentTarget.value })}
                  /></label>
                  <div class="form-actions"><button class="primary" type="submit">Add webhook</button></div>
                  ${
                    created
                      ? html`<p class="notice success" role="status">
                          Signing secret (shown once): <code class="secret">${created.secret}</code>
                        </p>`
                      : null
                  }
                </form>`
      }
    </section>
  </div>`;
}
