// Agents of a harness: import an Open Agent Format package by drag-and-drop (or the file picker),
// the list, and one agent — its instructions, skills, MCP servers and memory — with export, clone,
// edit and delete where the harness serves them (agents.* in its capability manifest).
import { ApiProblem } from "../lib/api.js";
import { html, useRef, useState } from "../lib/html.js";
import { navigate } from "../lib/router.js";
import {
  announce,
  Badge,
  capability,
  ConfirmButton,
  Field,
  Json,
  Loading,
  PageFoot,
  pageEmpty,
  ProblemNotice,
  Time,
  Unsupported,
  useLoad,
  usePaged,
  useTitle,
} from "./common.js";

/** Largest package the import accepts (agents.import: 50 MB). */
const MAX_PACKAGE_BYTES = 50 * 1024 * 1024;

export function AgentsTab({ client, harness, manifest, here }) {
  const id = encodeURIComponent(harness.id);
  const listable = capability(manifest, "agents");
  const page = usePaged(client, listable.ok ? `/v1/harnesses/${id}/agents?limit=100` : null, []);
  if (!listable.ok) return html`<${Unsupported} what="Agents" reason=${listable.reason} />`;
  return html`<div>
    <h2>Agents</h2>
    ${
      capability(manifest, "agents", "import").ok
        ? html`<${ImportPackage} client=${client} harnessId=${harness.id} onImported=${() => page.reload()} />`
        : html`<${Unsupported} what="Importing packages" operation="agents.import" />`
    }
    ${capability(manifest, "agents", "create").ok ? html`<${CreateAgent} client=${client} harnessId=${harness.id} here=${here} />` : null}
    <${ProblemNotice} error=${page.error} what="Agents" />
    ${pageEmpty(page) ? html`<p>No agents yet: import a package above.</p>` : null}
    <ul class="cards">
      ${page.items.map(
        (a) =>
          html`<li class="card">
            <h3><a href=${`${here}/agents/${encodeURIComponent(a.id)}`}>${a.name}</a> <span class="muted small">v${a.version}</span></h3>
            <p>${a.description}</p>
            <p class="muted small">
              <code>${a.vendorKey}/${a.agentKey}</code> · ${a.skills.length} skill(s) · ${a.mcp_servers.length} MCP
              server(s)${a.model ? html` · model <code>${a.model}</code>` : null}
            </p>
          </li>`,
      )}
    </ul>
    <${PageFoot} page=${page} />
  </div>`;
}

function ImportPackage({ client, harnessId, onImported }) {
  const [file, setFile] = useState();
  const [strategy, setStrategy] = useState("fail");
  const [over, setOver] = useState(false);
  const [state, setState] = useState({ busy: false });
  const input = useRef();
  const choose = (f) => {
    if (!f) return;
    setState({ busy: false });
    if (f.size > MAX_PACKAGE_BYTES) setState({ busy: false, message: `${f.name} is larger than 50 MB, the most a package may be.` });
    setFile(f);
  };
  async function submit(event) {
    event.preventDefault();
    if (!file) return;
    setState({ busy: true });
    const form = new FormData();
    form.append("bundle", file, file.name);
    form.append("merge_strategy", strategy);
    try {
      const result = await client.request("POST", `/v1/harnesses/${encodeURIComponent(harnessId)}/agents/import`, { form });
      const names = (result.agents ?? [result.agent]).map((a) => a.name).join(", ");
      setState({ busy: false, done: `Imported ${names}.`, warnings: result.warnings });
      announce(`Imported ${names}.`);
      setFile(undefined);
      onImported();
    } catch (error) {
      setState({ busy: false, error });
    }
  }
  return html`<form class="import" onSubmit=${submit}>
    <div
      class=${`dropzone${over ? " over" : ""}`}
      onDragOver=${(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave=${() => setOver(false)}
      onDrop=${(e) => {
        e.preventDefault();
        setOver(false);
        choose(e.dataTransfer.files[0]);
      }}
    >
      <p><strong>Import an agent package</strong>: drop an Open Agent Format <code>.zip</code> here, or</p>
      <label class="button" for="package-file">Choose a package…</label>
      <input
        id="package-file"
        class="visually-hidden"
        type="file"
        accept=".zip,application/zip"
        ref=${input}
        onChange=${(e) => choose(e.currentTarget.files[0])}
      />
      ${file ? html`<p class="chosen">Chosen: <strong>${file.name}</strong> (${Math.ceil(file.size / 1024)} KiB)</p>` : null}
    </div>
    <div class="inline-fields">
      <label>
        If the agent exists
        <select value=${strategy} onChange=${(e) => setStrategy(e.currentTarget.value)}>
          <option value="fail">refuse</option>
          <option value="overwrite">overwrite it</option>
          <option value="skip">keep it</option>
        </select>
      </label>
      <button class="primary" type="submit" disabled=${!file || state.busy}>${state.busy ? "Importing…" : "Import"}</button>
    </div>
    ${state.message ? html`<p class="field-error">${state.message}</p>` : null}
    <${ProblemNotice} error=${state.error} what="Importing packages" />
    ${
      state.done
        ? html`<div class="notice success" role="status">
            ${state.done}
            ${
              state.warnings?.length
                ? html`<ul>
                    ${state.warnings.map((w) => html`<li>${w}</li>`)}
                  </ul>`
                : null
            }
          </div>`
        : null
    }
  </form>`;
}

/** agents.create: a new agent from an AGENTS.md written here (multipart: metadata + files). */
function CreateAgent({ client, harnessId, here }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    name: "",
    description: "",
    agents:
      "---\nname: \nvendorKey: \nagentKey: \nversion: 0.1.0\nslug: \ndescription: \nauthor: \nlicense: MIT\ntags: []\n---\n\nInstructions for the agent.\n",
  });
  const [error, setError] = useState();
  if (!open) return html`<p><button type="button" onClick=${() => setOpen(true)}>Write a new agent…</button></p>`;
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  async function submit(event) {
    event.preventDefault();
    const body = new FormData();
    body.append("metadata", JSON.stringify({ name: form.name, description: form.description }));
    body.append("files", new File([form.agents], "AGENTS.md", { type: "text/markdown" }));
    try {
      const { agent } = await client.request("POST", `/v1/harnesses/${encodeURIComponent(harnessId)}/agents`, { form: body });
      navigate(`${here}/agents/${encodeURIComponent(agent.id)}`);
    } catch (e) {
      setError(e);
    }
  }
  return html`<form class="card" onSubmit=${submit}>
    <h3>New agent</h3>
    <${ProblemNotice} error=${error} what="Creating agents" />
    <${Field}
      label="Name"
      name="name"
      errors=${errors}
      render=${(p) => html`<input ...${p} required value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />`}
    />
    <${Field}
      label="Description"
      name="description"
      errors=${errors}
      render=${(p) => html`<input ...${p} required value=${form.description} onInput=${(e) => setForm({ ...form, description: e.currentTarget.value })} />`}
    />
    <${Field}
      label="AGENTS.md"
      name="files"
      errors=${errors}
      render=${(p) => html`<textarea ...${p} rows="12" value=${form.agents} onInput=${(e) => setForm({ ...form, agents: e.currentTarget.value })}></textarea>`}
    />
    <div class="form-actions">
      <button type="button" onClick=${() => setOpen(false)}>Cancel</button><button class="primary" type="submit">Create agent</button>
    </div>
  </form>`;
}

export function AgentPage({ client, base, harnessId, agentId }) {
  const h = encodeURIComponent(harnessId);
  const a = encodeURIComponent(agentId);
  const here = `${base}/harnesses/${h}`;
  const loaded = useLoad(
    async (signal) => {
      const [{ agent }, caps] = await Promise.all([
        client.get(`/v1/harnesses/${h}/agents/${a}`, { signal }),
        client.get(`/v1/harnesses/${h}/capabilities`, { signal }),
      ]);
      return { agent, manifest: caps.capabilities };
    },
    [harnessId, agentId],
  );
  useTitle(loaded.data?.agent.name ?? "Agent");
  const [error, setError] = useState();
  const [notice, setNotice] = useState();
  if (loaded.loading && !loaded.data) return html`<${Loading} />`;
  if (loaded.error && !loaded.data) return html`<${ProblemNotice} error=${loaded.error} />`;
  const { agent, manifest } = loaded.data;
  const can = (op) => capability(manifest, "agents", op);
  const act = (fn) => async () => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  };
  return html`<section>
    <div class="page-head">
      <div>
        <p class="crumbs">
          <a href=${`${base}/harnesses`}>Harnesses</a> / <a href=${here}>${harnessId}</a> / <a href=${`${here}/agents`}>Agents</a> /
        </p>
        <h1>${agent.name} <span class="muted small">v${agent.version}</span></h1>
        <p>${agent.description}</p>
        <p class="muted small">
          <code>${agent.vendorKey}/${agent.agentKey}</code> · <code>${agent.id}</code> · imported <${Time} iso=${agent.created_at} />
        </p>
      </div>
      <div class="actions">
        <a class="button primary" href=${`${here}/runs?agent=${encodeURIComponent(agent.id)}`}>Run this agent</a>
        <button
          type="button"
          disabled=${!can("export").ok}
          title=${can("export").ok ? "Download the agent as an OAF package" : can("export").reason}
          onClick=${act(async () => {
            const file = await client.download(`/v1/harnesses/${h}/agents/${a}/export`, `${agent.agentKey}.zip`);
            setNotice(`Downloaded ${file.name}.`);
          })}
        >
          Export
        </button>
        <button
          type="button"
          disabled=${!can("clone").ok}
          title=${can("clone").ok ? "Copy this agent under a new name" : can("clone").reason}
          onClick=${act(async () => {
            const { agent: copy } = await client.post(`/v1/harnesses/${h}/agents/${a}/clone`, { new_name: `${agent.name} copy` });
            navigate(`${here}/agents/${encodeURIComponent(copy.id)}`);
          })}
        >
          Clone
        </button>
        ${
          can("delete").ok
            ? html`<${ConfirmButton}
                label="Delete"
                confirm="Delete this agent and its memory?"
                onConfirm=${act(async () => {
                  await client.del(`/v1/harnesses/${h}/agents/${a}`);
                  navigate(`${here}/agents`);
                })}
              />`
            : html`<button type="button" class="danger" disabled title=${can("delete").reason}>Delete</button>`
        }
      </div>
    </div>
    ${
      !can("export").ok || !can("clone").ok || !can("delete").ok
        ? html`<p class="muted small" role="note">
            Not served by this harness yet:${" "}
            ${["export", "clone", "delete", "update"]
              .filter((op) => !can(op).ok)
              .map((op) => `agents.${op}`)
              .join(", ")}.
          </p>`
        : null
    }
    <${ProblemNotice} error=${error} what="This action" />
    ${notice ? html`<p class="notice success" role="status">${notice}</p>` : null}
    <div class="two-col">
      <section aria-labelledby="cfg-h">
        <h2 id="cfg-h">Configuration</h2>
        <dl class="resolved">
          <dt>Model</dt>
          <dd>${agent.model ? html`<code>${agent.model}</code>` : html`<span class="muted">the harness's</span>`}</dd>
          <dt>Author · license</dt>
          <dd>${agent.author ?? "—"} · ${agent.license ?? "—"}</dd>
          <dt>Tags</dt>
          <dd>${agent.tags.map((t) => html`<${Badge}>${t}<//> `)}</dd>
          <dt>Settings</dt>
          <dd><${Json} value=${agent.config} label="Agent configuration" /></dd>
        </dl>
        ${can("update").ok ? html`<${EditAgent} client=${client} path=${`/v1/harnesses/${h}/agents/${a}`} agent=${agent} onSaved=${loaded.reload} />` : null}
        <h2>Instructions</h2>
        <pre class="instructions">${agent.instructions}</pre>
      </section>
      <section aria-labelledby="comp-h">
        <h2 id="comp-h">Skills</h2>
        ${agent.skills.length === 0 ? html`<p class="muted">No skills.</p>` : null}
        <ul class="plain">
          ${agent.skills.map(
            (s) =>
              html`<li>
                <strong>${s.name}</strong> ${s.version ? html`<span class="muted small">v${s.version}</span>` : null}
                ${s.required ? html`<${Badge}>required<//>` : null}
                ${s.description ? html`<div class="small">${s.description}</div>` : null}
                ${s.path ? html`<div class="muted small"><code>${s.path}</code></div>` : null}
              </li>`,
          )}
        </ul>
        <h2>MCP servers</h2>
        ${agent.mcp_servers.length === 0 ? html`<p class="muted">No MCP servers.</p>` : null}
        <ul class="plain">
          ${agent.mcp_servers.map(
            (m) =>
              html`<li>
                <strong>${m.name}</strong> ${m.required ? html`<${Badge}>required<//>` : null}
                ${m.transport ? html`<div class="small"><code>${m.transport.type}</code> ${m.transport.url ? html`<code>${m.transport.url}</code>` : null}</div>` : null}
                ${m.tools?.length ? html`<div class="muted small">tools: ${m.tools.join(", ")}</div>` : null}
              </li>`,
          )}
        </ul>
        <h2>Memory</h2>
        <${Memory} client=${client} path=${`/v1/harnesses/${h}/agents/${a}/memory`} manifest=${manifest} />
      </section>
    </div>
  </section>`;
}

function EditAgent({ client, path, agent, onSaved }) {
  const [description, setDescription] = useState(agent.description);
  const [model, setModel] = useState(typeof agent.config.model === "string" ? agent.config.model : "");
  const [error, setError] = useState();
  async function submit(event) {
    event.preventDefault();
    try {
      await client.patch(path, { description, ...(model ? { config: { model } } : {}) });
      announce("Agent saved.");
      onSaved();
    } catch (e) {
      setError(e);
    }
  }
  const errors = error instanceof ApiProblem ? error.fieldErrors : {};
  return html`<form class="card" onSubmit=${submit}>
    <h3>Edit</h3>
    <${ProblemNotice} error=${error} what="Editing agents" />
    <${Field}
      label="Description"
      name="description"
      errors=${errors}
      render=${(p) => html`<input ...${p} value=${description} onInput=${(e) => setDescription(e.currentTarget.value)} />`}
    />
    <${Field}
      label="Model"
      name="config.model"
      errors=${errors}
      render=${(p) => html`<input ...${p} value=${model} onInput=${(e) => setModel(e.currentTarget.value)} />`}
    />
    <div class="form-actions"><button class="primary" type="submit">Save</button></div>
  </form>`;
}

/** memory.get: the agent's blocks (memory domain `blocks`). */
function Memory({ client, path, manifest }) {
  const gate = capability(manifest, "memory", "blocks");
  const memory = useLoad((signal) => (gate.ok ? client.get(path, { signal }) : Promise.resolve(undefined)), [path, gate.ok]);
  if (!gate.ok) return html`<${Unsupported} what="Memory" reason=${gate.reason} operation="memory.get" />`;
  if (memory.loading) return html`<${Loading} />`;
  if (memory.error) return html`<${ProblemNotice} error=${memory.error} what="Memory" />`;
  const state = memory.data.memory;
  return html`<div>
    ${state.blocks.length === 0 ? html`<p class="muted">No memory blocks.</p>` : null}
    ${state.blocks.map(
      (b) =>
        html`<div class="memory-block">
          <h3>${b.label} ${b.read_only ? html`<${Badge}>read-only<//>` : null}</h3>
          <pre>${b.value}</pre>
          <p class="muted small">updated <${Time} iso=${b.updated_at} /></p>
        </div>`,
    )}
    <p class="muted small">${state.archive_size} archive entr${state.archive_size === 1 ? "y" : "ies"}.</p>
  </div>`;
}
