// One harness: its header and actions (edit, copy, archive, delete), and tabs — the resolved
// configuration with where each value came from, its capability manifest, and the harness's agents,
// runs, sessions, skills, MCP servers, tools, files and hooks. Tabs whose operations the harness does
// not serve say so (from the manifest, or from a 501) instead of failing.
import { html, useState } from "../lib/html.js";
import { navigate } from "../lib/router.js";
import { AgentsTab } from "./agents.js";
import { announce, Badge, capability, ConfirmButton, Loading, ProblemNotice, Status, Table, Time, useLoad, useTitle } from "./common.js";
import { FilesTab, HooksTab, McpTab, SkillsTab, ToolsTab } from "./extras.js";
import { RunsTab } from "./runs.js";
import { SessionsTab } from "./sessions.js";

const TABS = [
  ["overview", "Overview"],
  ["agents", "Agents", "agents"],
  ["runs", "Runs", "execution"],
  ["sessions", "Sessions", "sessions"],
  ["skills", "Skills", "skills"],
  ["mcp", "MCP servers", "mcp"],
  ["tools", "Tools"],
  ["files", "Files", "files"],
  ["hooks", "Hooks & webhooks", "hooks"],
];

export function HarnessPage({ client, base, harnessId, tab = "overview" }) {
  const id = encodeURIComponent(harnessId);
  const loaded = useLoad(
    async (signal) => {
      const [definition, manifest] = await Promise.allSettled([
        client.get(`/api/v1/harnesses/${id}`, { signal }),
        client.get(`/v1/harnesses/${id}/capabilities`, { signal }),
      ]);
      if (definition.status === "rejected") throw definition.reason;
      return { harness: definition.value, manifest: manifest.status === "fulfilled" ? manifest.value.capabilities : undefined };
    },
    [harnessId],
  );
  useTitle(loaded.data ? (loaded.data.harness.display_name ?? loaded.data.harness.name) : "Harness");
  if (loaded.loading && !loaded.data) return html`<${Loading} />`;
  if (loaded.error && !loaded.data) return html`<${ProblemNotice} error=${loaded.error} />`;
  const { harness, manifest } = loaded.data;
  const here = `${base}/harnesses/${id}`;
  const known = TABS.find(([key]) => key === tab);
  const props = { client, base, harness, manifest, here, reload: loaded.reload };
  return html`<section>
    <${HarnessHeader} ...${props} />
    <nav class="tabs" aria-label="Harness sections">
      ${TABS.map(([key, label, domain]) => {
        const off = domain && manifest && !manifest[domain]?.supported;
        return html`<a
          href=${key === "overview" ? here : `${here}/${key}`}
          aria-current=${key === tab ? "page" : undefined}
          class=${off ? "off" : ""}
          >${label}${off ? html`<span class="visually-hidden"> (not supported)</span>` : null}</a
        >`;
      })}
    </nav>
    <div class="tab-body">
      ${
        !known
          ? html`<p>No such section.</p>`
          : tab === "overview"
            ? html`<${Overview} ...${props} />`
            : tab === "agents"
              ? html`<${AgentsTab} ...${props} />`
              : tab === "runs"
                ? html`<${RunsTab} ...${props} />`
                : tab === "sessions"
                  ? html`<${SessionsTab} ...${props} />`
                  : tab === "skills"
                    ? html`<${SkillsTab} ...${props} />`
                    : tab === "mcp"
                      ? html`<${McpTab} ...${props} />`
                      : tab === "tools"
                        ? html`<${ToolsTab} ...${props} />`
                        : tab === "files"
                          ? html`<${FilesTab} ...${props} />`
                          : html`<${HooksTab} ...${props} />`
      }
    </div>
  </section>`;
}

function HarnessHeader({ client, base, harness, here, reload }) {
  const [error, setError] = useState();
  const act = (fn) => async () => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  };
  const id = encodeURIComponent(harness.id);
  const copy = act(async () => {
    const copied = await client.post(`/api/v1/harnesses/${id}/copy`, {});
    announce(`Copied to ${copied.name}.`);
    navigate(`${base}/harnesses/${encodeURIComponent(copied.id)}`);
  });
  const setStatus = (status) =>
    act(async () => {
      await client.patch(`/api/v1/harnesses/${id}`, { status });
      announce(status === "archived" ? "Harness archived." : "Harness unarchived.");
      reload();
    });
  const remove = act(async () => {
    await client.del(`/api/v1/harnesses/${id}`);
    announce("Harness deleted.");
    navigate(`${base}/harnesses`);
  });
  return html`<div class="page-head">
      <div>
        <p class="crumbs"><a href=${`${base}/harnesses`}>Harnesses</a> /</p>
        <h1>${harness.display_name ?? harness.name}</h1>
        <p class="muted">
          <code>${harness.name}</code> · <code>${harness.id}</code> · <${Status} value=${harness.status} />
          ${harness.is_built_in ? html` <${Badge} tone="info">built-in, read-only<//>` : null}
        </p>
        ${harness.description ? html`<p>${harness.description}</p>` : null}
      </div>
      <div class="actions">
        ${
          harness.status === "deleted"
            ? null
            : harness.is_built_in
              ? html`<button type="button" class="primary" onClick=${copy}>Copy to edit</button>`
              : html`<a class="button" href=${`${here}/edit`}>Edit</a>
                  <button type="button" onClick=${copy}>Copy</button>
                  ${
                    harness.status === "archived"
                      ? html`<button type="button" onClick=${setStatus("active")}>Unarchive</button>`
                      : html`<button type="button" onClick=${setStatus("archived")}>Archive</button>`
                  }
                  <${ConfirmButton} label="Delete" confirm="Delete this harness?" onConfirm=${remove} />`
        }
      </div>
    </div>
    <${ProblemNotice} error=${error} />`;
}

function Source({ layer, harness }) {
  if (!layer) return null;
  return layer.id === harness.id
    ? html`<span class="source self">this harness</span>`
    : html`<span class="source">from <code>${layer.name}</code></span>`;
}

function Overview({ client, harness, manifest }) {
  const resolved = useLoad(
    (signal) => client.get(`/api/v1/harnesses/${encodeURIComponent(harness.id)}/resolved`, { signal }),
    [harness.id, harness.updated_at],
  );
  const r = resolved.data;
  return html`<div class="overview">
    <section aria-labelledby="resolved-h">
      <h2 id="resolved-h">Resolved configuration</h2>
      <p class="muted">
        What a run on this harness gets, after
        inheritance${r && r.chain.length > 1 ? html` along <strong>${r.chain.map((l) => l.name).join(" → ")}</strong>` : ""}.
      </p>
      <${ProblemNotice} error=${resolved.error} />
      ${resolved.loading && !r ? html`<${Loading} />` : null}
      ${
        r
          ? html`<dl class="resolved">
              <dt>Default model</dt>
              <dd>
                <code>${r.default_model.value}</code> <span class="source">${r.default_model.source}</span>
                ${
                  r.default_model.callable
                    ? null
                    : html`<p class="notice warning" role="note">Not callable on this deployment: ${r.default_model.problem}</p>`
                }
              </dd>
              <dt>System prompt</dt>
              <dd>
                ${r.system_prompt.layers.length === 0 ? html`<span class="muted">none</span>` : null}
                ${r.system_prompt.layers.map(
                  (l) =>
                    html`<div class="prompt-layer">
                      <${Source} layer=${l.source} harness=${harness} />
                      <pre>${l.value}</pre>
                    </div>`,
                )}
              </dd>
              <dt>Capabilities</dt>
              <dd>
                ${r.capabilities.length === 0 ? html`<span class="muted">none</span>` : null}
                <ul class="plain">
                  ${r.capabilities.map(
                    (c) =>
                      html`<li>
                        <code>${c.ref}</code> <${Source} layer=${c.source} harness=${harness} />
                        ${c.config ? html` <code class="small">${JSON.stringify(c.config)}</code>` : null}
                        ${c.overrides.length ? html` <span class="muted small">(overrides ${c.overrides.map((o) => o.name).join(", ")})</span>` : null}
                      </li>`,
                  )}
                </ul>
              </dd>
              <dt>Starter files</dt>
              <dd>
                ${r.initial_files.length === 0 ? html`<span class="muted">none</span>` : null}
                <ul class="plain">
                  ${r.initial_files.map(
                    (f) =>
                      html`<li>
                        <code>${f.path}</code> ${f.is_readonly ? html`<${Badge}>read-only<//>` : null}
                        <span class="muted small">${f.size_chars} characters</span> <${Source} layer=${f.source} harness=${harness} />
                      </li>`,
                  )}
                </ul>
              </dd>
              <dt>MCP servers</dt>
              <dd>
                ${r.mcp_servers.length === 0 ? html`<span class="muted">none</span>` : null}
                <ul class="plain">
                  ${r.mcp_servers.map(
                    (s) =>
                      html`<li>
                        <strong>${s.name}</strong> <code>${s.url}</code>
                        <span class="muted small"
                          >${s.auth_mode}${s.header_names.length ? `, headers: ${s.header_names.join(", ")}` : ""}</span
                        >
                        <${Source} layer=${s.source} harness=${harness} />
                      </li>`,
                  )}
                </ul>
              </dd>
              <dt>Network access</dt>
              <dd>
                ${r.network_access.unrestricted ? html`<span>Unrestricted (private addresses are always refused)</span>` : null}
                <ul class="plain">
                  ${r.network_access.layers.map(
                    (l) =>
                      html`<li>
                        <${Source} layer=${l.source} harness=${harness} />:
                        ${l.allowed ? html`allowed <code>${l.allowed.join(", ")}</code>` : "any host"}${
                          l.blocked.length ? html`, blocked <code>${l.blocked.join(", ")}</code>` : null
                        }
                      </li>`,
                  )}
                </ul>
              </dd>
              <dt>Tags</dt>
              <dd>${harness.tags.length ? harness.tags.map((t) => html`<${Badge}>${t}<//> `) : html`<span class="muted">none</span>`}</dd>
              <dt>Created</dt>
              <dd><${Time} iso=${harness.created_at} />, updated <${Time} iso=${harness.updated_at} /></dd>
            </dl>`
          : null
      }
    </section>
    <section aria-labelledby="manifest-h">
      <h2 id="manifest-h">Capability manifest</h2>
      <p class="muted">What this harness serves through the Open Harness API (<code>harnesses.capabilities</code>).</p>
      ${
        manifest
          ? html`<${Table} columns=${["Domain", "Supported", "Operations"]}>
              ${Object.entries(manifest).map(
                ([domain, cap]) =>
                  html`<tr>
                    <th scope="row">${domain}</th>
                    <td>${cap.supported ? html`<${Badge} tone="ok">yes<//>` : html`<${Badge}>no<//>`}</td>
                    <td>
                      ${cap.operations.join(", ") || "—"}${cap.limitations?.length ? html`<div class="muted small">${cap.limitations.join("; ")}</div>` : null}
                    </td>
                  </tr>`,
              )}
            <//>`
          : html`<p class="muted">The manifest could not be read (a deleted harness has none).</p>`
      }
    </section>
  </div>`;
}

export { capability };
