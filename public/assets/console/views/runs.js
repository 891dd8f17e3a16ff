// Runs (executions) of a harness: start one, the past runs with filters (execution.list), and one run
// watched live over execution.attachStream — text as it arrives, thinking, tool calls with inputs and
// results, progress, the plan as it changes (planning.*, when served), artifacts to download, usage —
// reconnecting by itself with Last-Event-ID after a network drop. Events of an attempt abandoned by a
// `run_resumed` restart (from `abandoned_from_seq` up to the restart) are dropped from what is shown.
import { query } from "../lib/api.js";
import { html, useEffect, useMemo, useRef, useState } from "../lib/html.js";
import { navigate, useLocation } from "../lib/router.js";
import { followExecution, readEvents } from "../lib/sse.js";
import {
  announce,
  bytes,
  capability,
  Json,
  PageFoot,
  pageEmpty,
  ProblemNotice,
  Status,
  Table,
  Time,
  Unsupported,
  useLoad,
  usePaged,
  useTitle,
} from "./common.js";

const STATUSES = ["pending", "running", "completed", "failed", "cancelled"];

export function RunsTab({ client, harness, manifest, here }) {
  const gate = capability(manifest, "execution", "sync");
  if (!gate.ok) return html`<${Unsupported} what="Runs" reason=${gate.reason} />`;
  return html`<div>
    <${StartRun} client=${client} harness=${harness} here=${here} />
    <${RunList} client=${client} harness=${harness} here=${here} />
  </div>`;
}

function useAgents(client, harnessId) {
  return useLoad(
    async (signal) => (await client.get(`/v1/harnesses/${encodeURIComponent(harnessId)}/agents?limit=100`, { signal })).data,
    [harnessId],
  );
}

function StartRun({ client, harness, here }) {
  const { search } = useLocation();
  const agents = useAgents(client, harness.id);
  const [form, setForm] = useState(() => ({ message: "", agent_id: new URLSearchParams(search).get("agent") ?? "", model: "" }));
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const archived = harness.status !== "active";
  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const started = await client.post(`/v1/harnesses/${encodeURIComponent(harness.id)}/execute`, {
        message: form.message,
        ...(form.agent_id ? { agent_id: form.agent_id } : {}),
        ...(form.model.trim() ? { model: form.model.trim() } : {}),
      });
      announce("Run started.");
      navigate(`${here}/runs/${encodeURIComponent(started.execution_id)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return html`<form class="card start-run" onSubmit=${submit} aria-labelledby="start-h">
    <h2 id="start-h">Start a run</h2>
    ${archived ? html`<p class="notice warning" role="note">This harness is ${harness.status}: it takes no new runs.</p>` : null}
    <${ProblemNotice} error=${error} what="Starting runs" />
    <div class="field">
      <label for="run-message">Task</label>
      <textarea
        id="run-message"
        rows="3"
        required
        value=${form.message}
        onInput=${(e) => setForm({ ...form, message: e.currentTarget.value })}
      ></textarea>
    </div>
    <div class="inline-fields">
      <label>
        Agent
        <select value=${form.agent_id} onChange=${(e) => setForm({ ...form, agent_id: e.currentTarget.value })}>
          <option value="">None (the harness itself)</option>
          ${(agents.data ?? []).map((a) => html`<option value=${a.id}>${a.name}</option>`)}
        </select>
      </label>
      <label>
        Model (optional)
        <input value=${form.model} placeholder="inherited" onInput=${(e) => setForm({ ...form, model: e.currentTarget.value })} />
      </label>
      <button class="primary" type="submit" disabled=${busy || archived || !form.message.trim()}>${busy ? "Starting…" : "Run"}</button>
    </div>
  </form>`;
}

function RunList({ client, harness, here }) {
  const agents = useAgents(client, harness.id);
  const [filters, setFilters] = useState({ status: "", agent_id: "", since: "" });
  const since = filters.since ? new Date(`${filters.since}T00:00:00`).toISOString() : "";
  const page = usePaged(client, `/v1/harnesses/${encodeURIComponent(harness.id)}/executions${query({ ...filters, since, limit: 20 })}`, [
    filters,
  ]);
  return html`<section aria-labelledby="runs-h">
    <h2 id="runs-h">Past runs</h2>
    <div class="filters" role="group" aria-label="Filters">
      <label>
        Status
        <select value=${filters.status} onChange=${(e) => setFilters({ ...filters, status: e.currentTarget.value })}>
          <option value="">any</option>
          ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      </label>
      <label>
        Agent
        <select value=${filters.agent_id} onChange=${(e) => setFilters({ ...filters, agent_id: e.currentTarget.value })}>
          <option value="">any</option>
          ${(agents.data ?? []).map((a) => html`<option value=${a.id}>${a.name}</option>`)}
        </select>
      </label>
      <label>
        Started since
        <input type="date" value=${filters.since} onChange=${(e) => setFilters({ ...filters, since: e.currentTarget.value })} />
      </label>
    </div>
    <${ProblemNotice} error=${page.error} what="Listing runs" />
    ${pageEmpty(page) ? html`<p class="muted">No runs match.</p>` : null}
    ${
      page.items.length > 0
        ? html`<${Table} columns=${["Run", "Status", "Task", "Model", "Started", "Tokens"]} className="runs">
            ${page.items.map(
              (e) =>
                html`<tr>
                  <th scope="row">
                    <a href=${`${here}/runs/${encodeURIComponent(e.id)}`}><code>${e.id.slice(0, 14)}…</code></a>
                  </th>
                  <td><${Status} value=${e.status} /></td>
                  <td class="clip">${e.message}</td>
                  <td><code>${e.model}</code></td>
                  <td><${Time} iso=${e.started_at} /></td>
                  <td>${e.usage ? e.usage.total_tokens : "—"}</td>
                </tr>`,
            )}
          <//>`
        : null
    }
    <${PageFoot} page=${page} />
  </section>`;
}

/**
 * What the events show once the abandoned attempts are dropped: the text, thinking, tool calls (in order,
 * with inputs and results), artifacts, the last progress, errors and the final usage.
 */
export function project(events) {
  const abandoned = [];
  for (const e of events)
    if (e.type === "error" && e.data.code === "run_resumed" && e.data.abandoned_from_seq)
      abandoned.push([e.data.abandoned_from_seq, e.seq]);
  const kept = events.filter((e) => !abandoned.some(([from, to]) => e.seq >= from && e.seq < to));
  const view = {
    text: "",
    thinking: "",
    tools: [],
    artifacts: [],
    errors: [],
    progress: undefined,
    usage: undefined,
    done: false,
    waiting: undefined,
  };
  const tools = new Map();
  for (const { type, data } of kept) {
    if (type === "text") view.text += data.content;
    else if (type === "thinking") view.thinking += data.content;
    else if (type === "tool_call_start") {
      const call = { id: data.id, name: data.name, input: data.input, status: "running" };
      tools.set(data.id, call);
      view.tools.push(call);
    } else if (type === "tool_call_end" && tools.has(data.id) && data.input) tools.get(data.id).input = data.input;
    else if (type === "tool_result" && tools.has(data.id))
      Object.assign(tools.get(data.id), { status: data.success ? "completed" : "failed", output: data.output, error: data.error });
    else if (type === "artifact") view.artifacts.push(data);
    else if (type === "progress") {
      view.progress = data;
      view.waiting = data.step?.startsWith("waiting for input") ? data.step.replace(/^waiting for input:\s*/, "") : undefined;
    } else if (type === "error") view.errors.push(data);
    else if (type === "done") {
      view.usage = data.usage;
      view.done = true;
    }
    if (type !== "progress" && type !== "error" && view.waiting && type === "tool_result") view.waiting = undefined;
  }
  return view;
}

const STATE_TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Connection lost — reconnecting…",
  ended: "Finished",
  expired: "The event stream is no longer kept (an hour after the run); showing the stored result.",
  failed: "The stream could not be read.",
};

export function RunPage({ client, base, harnessId, executionId }) {
  const h = encodeURIComponent(harnessId);
  const x = encodeURIComponent(executionId);
  const here = `${base}/harnesses/${h}`;
  const runPath = `/v1/harnesses/${h}/executions/${x}`;
  useTitle(`Run ${executionId.slice(0, 14)}`);
  const [events, setEvents] = useState([]);
  const [state, setState] = useState({ name: "connecting" });
  const [tick, setTick] = useState(0);
  const execution = useLoad((signal) => client.get(runPath, { signal }), [runPath, tick]);
  const manifest = useLoad(async (signal) => (await client.get(`/v1/harnesses/${h}/capabilities`, { signal })).capabilities, [h]);
  const stored = useLoad(
    async (signal) => {
      if (state.name !== "expired") return undefined;
      const [result, calls] = await Promise.all([
        client.get(`${runPath}/result`, { signal }),
        client.get(`${runPath}/tool-calls`, { signal }),
      ]);
      return { result: result.result, toolCalls: calls.tool_calls };
    },
    [state.name],
  );

  useEffect(() => {
    const buffer = [];
    let scheduled = false;
    const stop = followExecution({
      open: (lastEventId, signal) =>
        client.fetch(`${runPath}/stream`, { headers: lastEventId ? { "last-event-id": lastEventId } : {}, signal }),
      onEvent: (event) => {
        buffer.push(event);
        if (!scheduled) {
          scheduled = true;
          requestAnimationFrame(() => {
            scheduled = false;
            const batch = buffer.splice(0);
            setEvents((prev) => [...prev, ...batch]);
          });
        }
      },
      onState: (name, error) => {
        setState({ name, error });
        if (name === "ended" || name === "expired") {
          setTick((t) => t + 1);
          if (name === "ended") announce("The run finished.");
        }
        if (name === "reconnecting") announce("Connection lost; reconnecting.");
      },
    });
    return stop;
  }, [runPath]);

  const view = useMemo(() => project(events), [events]);
  const run = execution.data?.execution;
  const terminal = run && ["completed", "failed", "cancelled"].includes(run.status);
  return html`<section class="run" data-run-state=${state.name}>
    <div class="page-head">
      <div>
        <p class="crumbs">
          <a href=${`${base}/harnesses`}>Harnesses</a> / <a href=${here}>${harnessId}</a> / <a href=${`${here}/runs`}>Runs</a> /
        </p>
        <h1>Run <code>${executionId}</code></h1>
        ${
          run
            ? html`<p class="muted">
                  <${Status} value=${run.status} /> · model${" "}
                  <code>${run.model}</code>${run.agent_id ? html` · agent <code>${run.agent_id}</code>` : null} · started${" "}
                  <${Time} iso=${run.started_at} />
                  ${run.session_id ? html` · session <a href=${`${here}/sessions/${encodeURIComponent(run.session_id)}`}><code>${run.session_id}</code></a>` : null}
                </p>
                <p class="task"><strong>Task:</strong> ${run.message}</p>`
            : null
        }
      </div>
      <div class="actions">
        ${
          run && !terminal
            ? html`<button
                type="button"
                class="danger"
                onClick=${async () => {
                  try {
                    await client.post(`${runPath}/cancel`, undefined);
                    announce("Cancel requested.");
                  } catch (e) {
                    setState({ name: state.name, error: e });
                  }
                }}
              >
                Cancel run
              </button>`
            : null
        }
      </div>
    </div>
    <p class=${`stream-state ${state.name}`} role="status" aria-live="polite">${STATE_TEXT[state.name]}${view.done ? " — done" : ""}</p>
    <${ProblemNotice} error=${state.error} />
    ${view.progress && !view.done ? html`<${Progress} progress=${view.progress} />` : null}
    ${view.waiting !== undefined && !view.done ? html`<${AnswerPrompt} client=${client} path=${`${runPath}/input`} prompt=${view.waiting} />` : null}
    <div class="run-grid">
      <section aria-labelledby="out-h" class="output">
        <h2 id="out-h">Output</h2>
        ${
          view.thinking
            ? html`<details class="thinking">
                <summary>Thinking</summary>
                <p>${view.thinking}</p>
              </details>`
            : null
        }
        <div class="text-output" aria-live="off">${view.text || (state.name === "expired" ? (stored.data?.result.output ?? "") : "")}</div>
        ${view.errors.map((e) => html`<p class=${`notice ${e.recoverable ? "warning" : "error"}`}><strong>${e.code}</strong>: ${e.message}</p>`)}
        <h2>Tool calls</h2>
        ${(state.name === "expired" ? (stored.data?.toolCalls ?? []) : view.tools).length === 0 ? html`<p class="muted">None.</p>` : null}
        <ol class="tool-calls">
          ${(state.name === "expired" ? (stored.data?.toolCalls ?? []) : view.tools).map(
            (t, _, list) =>
              html`<li class=${`tool ${t.status}`}>
                <details open=${t.status !== "completed" || list.length <= 5}>
                  <summary><code>${t.name}</code> <${Status} value=${t.status} /></summary>
                  <h3 class="small">Input</h3>
                  <${Json} value=${t.input} label=${`${t.name} input`} />
                  ${
                    t.output !== undefined
                      ? html`<h3 class="small">Result</h3>
                          <${Json} value=${t.output} label=${`${t.name} result`} />`
                      : null
                  }
                  ${t.error ? html`<p class="field-error">${t.error}</p>` : null}
                </details>
              </li>`,
          )}
        </ol>
      </section>
      <aside>
        <${Usage} usage=${view.usage ?? run?.usage} />
        <${Artifacts} client=${client} runPath=${runPath} live=${view.artifacts} refresh=${tick} />
        <${Plan} client=${client} runPath=${runPath} manifest=${manifest.data} finished=${view.done || terminal} />
      </aside>
    </div>
    <details class="event-log">
      <summary>Events (${events.length})</summary>
      <ol>
        ${events.map((e) => html`<li data-seq=${e.seq} data-type=${e.type}><code>#${e.seq}</code> ${e.type}${e.type === "text" ? html` <span class="muted">${JSON.stringify(e.data.content)}</span>` : null}</li>`)}
      </ol>
    </details>
  </section>`;
}

function Progress({ progress }) {
  return html`<div class="progress-line">
    <label for="run-progress">${progress.step}</label>
    <progress id="run-progress" max="100" value=${progress.percentage}>${progress.percentage}%</progress>
  </div>`;
}

function AnswerPrompt({ client, path, prompt }) {
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState();
  const [sent, setSent] = useState(false);
  if (sent) return html`<p class="notice success" role="status">Answer sent.</p>`;
  return html`<form
    class="card prompt"
    onSubmit=${async (e) => {
      e.preventDefault();
      try {
        await client.post(path, { data: answer });
        setSent(true);
      } catch (err) {
        setError(err);
      }
    }}
  >
    <label for="run-answer"><strong>The run asks:</strong> ${prompt}</label>
    <${ProblemNotice} error=${error} />
    <div class="inline-fields">
      <input id="run-answer" value=${answer} onInput=${(e) => setAnswer(e.currentTarget.value)} /><button class="primary" type="submit">
        Answer
      </button>
    </div>
  </form>`;
}

function Usage({ usage }) {
  return html`<section aria-labelledby="usage-h" class="card">
    <h2 id="usage-h">Usage</h2>
    ${
      usage
        ? html`<dl class="numbers">
            <dt>Input tokens</dt>
            <dd>${usage.input_tokens}</dd>
            <dt>Output tokens</dt>
            <dd>${usage.output_tokens}</dd>
            <dt>Total tokens</dt>
            <dd>${usage.total_tokens}</dd>
            ${
              usage.duration_ms !== undefined
                ? html`<dt>Duration</dt>
                    <dd>${(usage.duration_ms / 1000).toFixed(1)} s</dd>`
                : null
            }
          </dl>`
        : html`<p class="muted">Known when the run ends.</p>`
    }
  </section>`;
}

function Artifacts({ client, runPath, live, refresh }) {
  const listed = useLoad(
    async (signal) => (await client.get(`${runPath}/artifacts`, { signal })).artifacts,
    [runPath, refresh, live.length],
  );
  const [error, setError] = useState();
  const all = listed.data ?? live;
  return html`<section aria-labelledby="art-h" class="card">
    <h2 id="art-h">Artifacts</h2>
    <${ProblemNotice} error=${error ?? (listed.error?.unsupported ? listed.error : undefined)} what="Artifacts" />
    ${all.length === 0 ? html`<p class="muted">None yet.</p>` : null}
    <ul class="plain">
      ${all.map(
        (a) =>
          html`<li>
            <button
              type="button"
              class="link"
              onClick=${async () => {
                try {
                  await client.download(`${runPath}/artifacts/${encodeURIComponent(a.id)}`, a.name);
                } catch (e) {
                  setError(e);
                }
              }}
            >
              Download ${a.name}
            </button>
            <span class="muted small"> ${a.mime_type}, ${bytes(a.size_bytes)}</span>
          </li>`,
      )}
    </ul>
  </section>`;
}

/** planning.get + planning.stream (PlanEvent), when the harness serves planning. */
function Plan({ client, runPath, manifest, finished }) {
  const gate = capability(manifest, "planning", "todos");
  const [tasks, setTasks] = useState();
  const [error, setError] = useState();
  const finishedRef = useRef(finished);
  finishedRef.current = finished;
  useEffect(() => {
    if (!manifest || !gate.ok) return undefined;
    const controller = new AbortController();
    (async () => {
      try {
        const { plan } = await client.get(`${runPath}/plan`, { signal: controller.signal });
        setTasks(plan.tasks);
        let last;
        while (!controller.signal.aborted && !finishedRef.current) {
          try {
            const response = await client.fetch(`${runPath}/plan/stream`, {
              headers: last ? { "last-event-id": last } : {},
              signal: controller.signal,
            });
            if (!response.ok) break;
            for await (const message of readEvents(response, controller.signal)) {
              last = message.id ?? last;
              const event = JSON.parse(message.data);
              setTasks((current = []) => applyPlanEvent(current, event));
            }
          } catch {
            if (controller.signal.aborted) return;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      } catch (e) {
        if (!controller.signal.aborted) setError(e);
      }
    })();
    return () => controller.abort();
  }, [runPath, manifest, gate.ok]);
  return html`<section aria-labelledby="plan-h" class="card">
    <h2 id="plan-h">Plan</h2>
    ${manifest && !gate.ok ? html`<${Unsupported} what="The plan" reason=${gate.reason} operation="planning.get" />` : null}
    <${ProblemNotice} error=${error} what="The plan" />
    ${tasks?.length === 0 ? html`<p class="muted">No tasks.</p>` : null}
    ${
      tasks?.length
        ? html`<ol class="plan">
            ${[...tasks].sort((a, b) => a.order - b.order).map((t) => html`<li class=${t.status}><span class="visually-hidden">${t.status}: </span>${t.content}</li>`)}
          </ol>`
        : null
    }
  </section>`;
}

/** Applies one PlanEvent (§6.4) to the task list. */
export function applyPlanEvent(tasks, event) {
  switch (event.type) {
    case "task.added":
      return [...tasks.filter((t) => t.id !== event.task.id), event.task];
    case "task.updated":
      return tasks.map((t) => (t.id === event.task.id ? event.task : t));
    case "task.removed":
      return tasks.filter((t) => t.id !== event.task_id);
    case "plan.reordered":
      return event.task_ids.map((id, order) => ({ ...tasks.find((t) => t.id === id), order })).filter((t) => t.id);
    default:
      return tasks;
  }
}
