// Sessions of a harness: the list, a new session, and the chat — over the session WebSocket
// (sessions.connect, authenticated with a `bearer.<token>` subprotocol entry), reconnecting by itself
// with `?after=<seq>` so no message is lost or repeated; the `ask_user` prompt answered in the page
// (a `stdin` message); the history (sessions.history), fork, pause/resume and end.
import { query } from "../lib/api.js";
import { Fragment, html, useEffect, useMemo, useRef, useState } from "../lib/html.js";
import { navigate } from "../lib/router.js";
import {
  announce,
  capability,
  ConfirmButton,
  Json,
  Loading,
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

export function SessionsTab({ client, harness, manifest, here }) {
  const gate = capability(manifest, "sessions", "create");
  const [status, setStatus] = useState("");
  const page = usePaged(
    client,
    gate.ok ? `/v1/harnesses/${encodeURIComponent(harness.id)}/sessions${query({ status, limit: 20 })}` : null,
    [],
  );
  if (!gate.ok) return html`<${Unsupported} what="Sessions" reason=${gate.reason} />`;
  return html`<div>
    <${NewSession} client=${client} harness=${harness} here=${here} />
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">Sessions</h2>
      <div class="filters">
        <label>
          Status
          <select value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
            <option value="">active and paused</option>
            <option value="active">active</option>
            <option value="paused">paused</option>
            <option value="ended">ended</option>
          </select>
        </label>
      </div>
      <${ProblemNotice} error=${page.error} what="Sessions" />
      ${pageEmpty(page) ? html`<p class="muted">No sessions.</p>` : null}
      ${
        page.items.length > 0
          ? html`<${Table} columns=${["Session", "Status", "Messages", "Updated"]}>
              ${page.items.map(
                (s) =>
                  html`<tr>
                    <th scope="row"><a href=${`${here}/sessions/${encodeURIComponent(s.id)}`}>${s.name ?? s.id}</a></th>
                    <td><${Status} value=${s.status} /></td>
                    <td>${s.message_count}</td>
                    <td><${Time} iso=${s.updated_at} /></td>
                  </tr>`,
              )}
            <//>`
          : null
      }
      <${PageFoot} page=${page} />
    </section>
  </div>`;
}

function NewSession({ client, harness, here }) {
  const agents = useLoad(
    async (signal) => (await client.get(`/v1/harnesses/${encodeURIComponent(harness.id)}/agents?limit=100`, { signal })).data,
    [harness.id],
  );
  const [form, setForm] = useState({ name: "", agent_id: "" });
  const [error, setError] = useState();
  async function submit(event) {
    event.preventDefault();
    try {
      const { session } = await client.post(`/v1/harnesses/${encodeURIComponent(harness.id)}/sessions`, {
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
        ...(form.agent_id ? { agent_id: form.agent_id } : {}),
      });
      navigate(`${here}/sessions/${encodeURIComponent(session.id)}`);
    } catch (e) {
      setError(e);
    }
  }
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-session-h">
    <h2 id="new-session-h">New session</h2>
    <${ProblemNotice} error=${error} what="Sessions" />
    <div class="inline-fields">
      <label
        >Name (optional) <input value=${form.name} maxlength="100" onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })}
      /></label>
      <label>
        Agent
        <select value=${form.agent_id} onChange=${(e) => setForm({ ...form, agent_id: e.currentTarget.value })}>
          <option value="">None (the harness itself)</option>
          ${(agents.data ?? []).map((a) => html`<option value=${a.id}>${a.name}</option>`)}
        </select>
      </label>
      <button class="primary" type="submit" disabled=${harness.status !== "active"}>Start chatting</button>
    </div>
  </form>`;
}

/** Delays between WebSocket reconnect attempts, ms (then the last one, repeated). */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];
const CLOSE_PAUSED = 4001;
const CLOSE_ENDED = 4002;

/** The turns the frames describe, by client message id, with the frames of abandoned attempts dropped. */
function turnsOf(frames, sent) {
  const abandoned = [];
  for (const f of frames) if (f.type === "error" && f.abandoned_from_seq) abandoned.push([f.abandoned_from_seq, f.seq]);
  const turns = new Map();
  const turn = (id) => {
    if (!turns.has(id))
      turns.set(id, {
        id,
        user: sent.get(id),
        text: "",
        thinking: "",
        tools: [],
        artifacts: [],
        errors: [],
        prompts: [],
        out: "",
        done: false,
      });
    return turns.get(id);
  };
  for (const id of sent.keys()) turn(id);
  for (const f of frames) {
    if (f.seq !== undefined && abandoned.some(([from, to]) => f.seq >= from && f.seq < to)) continue;
    if (!f.id) continue;
    const t = turn(f.id);
    if (f.execution_id) t.execution_id = f.execution_id;
    if (f.type === "text") t.text += f.content;
    else if (f.type === "thinking") t.thinking += f.content;
    else if (f.type === "tool_call") t.tools.push({ tool: f.tool, input: f.input });
    else if (f.type === "stdout" || f.type === "stderr") t.out += f.data;
    else if (f.type === "prompt") t.prompts.push({ prompt: f.prompt, seq: f.seq });
    else if (f.type === "artifact") t.artifacts.push(f);
    else if (f.type === "error") t.errors.push(f);
    else if (f.type === "done") {
      t.done = true;
      t.usage = f.usage;
    }
  }
  return [...turns.values()];
}

export function ChatPage({ client, base, harnessId, sessionId }) {
  const h = encodeURIComponent(harnessId);
  const s = encodeURIComponent(sessionId);
  const here = `${base}/harnesses/${h}`;
  const sessionPath = `/v1/harnesses/${h}/sessions/${s}`;
  const session = useLoad((signal) => client.get(sessionPath, { signal }), [sessionPath]);
  const [history, setHistory] = useState({ loading: true, items: [] });
  const [frames, setFrames] = useState([]);
  const [sent, setSent] = useState(() => new Map());
  const [answered, setAnswered] = useState(() => new Set());
  const [conn, setConn] = useState({ state: "connecting" });
  const [draft, setDraft] = useState("");
  const [error, setError] = useState();
  const socket = useRef();
  const lastSeq = useRef(0);
  const counter = useRef(0);
  const log = useRef();
  useTitle(session.data?.session.name ?? "Chat");

  async function loadHistory() {
    try {
      const items = [];
      for (let offset = 0; offset < 1000; offset += 100) {
        const page = await client.get(`${sessionPath}/history?limit=100&offset=${offset}`);
        items.push(...page.data);
        if (!page.has_more) break;
      }
      setHistory({ loading: false, items });
    } catch (e) {
      setHistory({ loading: false, items: [], error: e });
    }
  }

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer;
    async function connect() {
      if (stopped) return;
      setConn((c) => ({ ...c, state: lastSeq.current > 0 || attempt > 0 ? "reconnecting" : "connecting" }));
      let token;
      try {
        token = await client.accessToken();
      } catch (e) {
        setConn({ state: "failed", error: e });
        return;
      }
      const url = new URL(`${sessionPath}/connect`, window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      if (lastSeq.current > 0) url.searchParams.set("after", String(lastSeq.current));
      const ws = new WebSocket(url, ["openharness.v1", `bearer.${token}`]);
      socket.current = ws;
      ws.addEventListener("open", () => {
        attempt = 0;
        setConn({ state: "live" });
        loadHistory();
      });
      ws.addEventListener("message", (event) => {
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch {
          return;
        }
        if (frame.type === "pong") return;
        if (frame.seq !== undefined) {
          if (frame.seq <= lastSeq.current) return;
          lastSeq.current = frame.seq;
        }
        setFrames((prev) => [...prev, frame]);
        if (frame.type === "done") {
          announce("Reply finished.");
          session.reload();
        }
        if (frame.type === "prompt") announce(`The agent asks: ${frame.prompt}`);
      });
      ws.addEventListener("close", (event) => {
        if (socket.current === ws) socket.current = undefined;
        if (stopped) return;
        if (event.code === CLOSE_PAUSED || event.code === CLOSE_ENDED) {
          setConn({ state: event.code === CLOSE_PAUSED ? "paused" : "ended" });
          session.reload();
          return;
        }
        setConn({ state: "reconnecting" });
        announce("Connection lost; reconnecting.");
        const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)];
        // A refused upgrade (the session was paused or ended meanwhile) closes like a dropped network:
        // after a failed retry, ask the API before trying again.
        if (attempt < 2) timer = setTimeout(connect, delay);
        else
          client.get(sessionPath).then(
            ({ session: current }) => {
              if (stopped) return;
              if (current.status === "active") timer = setTimeout(connect, delay);
              else {
                setConn({ state: current.status });
                session.reload();
              }
            },
            () => !stopped && (timer = setTimeout(connect, delay)),
          );
      });
    }
    connect();
    const online = () => {
      if (!socket.current) {
        clearTimeout(timer);
        connect();
      }
    };
    window.addEventListener("online", online);
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", online);
      socket.current?.close(1000, "left the page");
    };
  }, [sessionPath]);

  const turns = useMemo(() => turnsOf(frames, sent), [frames, sent]);
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [turns, history.items.length]);
  const liveExecutions = new Set(turns.map((t) => t.execution_id).filter(Boolean));
  const past = history.items.filter((m) => !m.execution_id || !liveExecutions.has(m.execution_id));
  const userOf = (t) =>
    t.user ?? history.items.find((m) => m.role === "user" && m.execution_id && m.execution_id === t.execution_id)?.content;
  const running = turns.find((t) => !t.done);
  const status = session.data?.session.status;

  function send(event) {
    event.preventDefault();
    const content = draft.trim();
    if (!content || !socket.current || socket.current.readyState !== WebSocket.OPEN) return;
    const id = `msg_${Date.now().toString(36)}_${++counter.current}`;
    setSent((prev) => new Map(prev).set(id, content));
    socket.current.send(JSON.stringify({ type: "message", id, content }));
    setDraft("");
  }
  function answer(prompt, text) {
    socket.current?.send(JSON.stringify({ type: "stdin", id: `stdin_${Date.now().toString(36)}_${++counter.current}`, data: text }));
    setAnswered((prev) => new Set(prev).add(prompt.seq));
    announce("Answer sent.");
  }
  const act = (fn) => async () => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  };
  const fork = (fromMessageId) =>
    act(async () => {
      const forked = await client.post(`${sessionPath}/fork`, fromMessageId ? { from_message_id: fromMessageId } : {});
      announce("Session forked.");
      navigate(`${here}/sessions/${encodeURIComponent(forked.session.id)}`);
    });

  if (session.loading && !session.data) return html`<${Loading} />`;
  if (session.error && !session.data) return html`<${ProblemNotice} error=${session.error} />`;
  const info = session.data.session;
  return html`<section class="chat" data-connection=${conn.state}>
    <div class="page-head">
      <div>
        <p class="crumbs">
          <a href=${`${base}/harnesses`}>Harnesses</a> / <a href=${here}>${harnessId}</a> / <a href=${`${here}/sessions`}>Sessions</a> /
        </p>
        <h1>${info.name ?? "Session"}</h1>
        <p class="muted">
          <code>${info.id}</code> · <${Status} value=${info.status} /> · ${info.message_count} message(s) · started${" "}
          <${Time} iso=${info.created_at} />
        </p>
      </div>
      <div class="actions">
        <button type="button" onClick=${fork()}>Fork</button>
        ${status === "active" ? html`<button type="button" onClick=${act(async () => (await client.patch(sessionPath, { status: "paused" }), session.reload()))}>Pause</button>` : null}
        ${
          status === "paused"
            ? html`<button
                type="button"
                onClick=${act(async () => {
                  await client.post(`${sessionPath}/resume`, undefined);
                  window.location.reload();
                })}
              >
                Resume
              </button>`
            : null
        }
        ${
          status !== "ended"
            ? html`<${ConfirmButton}
                label="End"
                confirm="End this session?"
                onConfirm=${act(async () => {
                  await client.del(sessionPath);
                  announce("Session ended.");
                  session.reload();
                })}
              />`
            : null
        }
      </div>
    </div>
    <p class=${`stream-state ${conn.state}`} role="status">
      ${{ connecting: "Connecting…", live: "Connected", reconnecting: "Connection lost — reconnecting…", paused: "The session is paused.", ended: "The session has ended.", failed: "Could not connect." }[conn.state]}
    </p>
    <${ProblemNotice} error=${error ?? conn.error} />
    <${ProblemNotice} error=${history.error} what="History" />
    <ol class="messages" ref=${log} aria-label="Conversation">
      ${past.map(
        (m) =>
          html`<li class=${`message ${m.role}`}>
            <div class="who">
              ${m.role === "user" ? "You" : m.role === "assistant" ? "Assistant" : "System"}
              <span class="muted small"><${Time} iso=${m.created_at} /></span>
            </div>
            <div class="content">${m.content}</div>
            ${
              m.tool_calls?.length
                ? html`<details>
                    <summary>${m.tool_calls.length} tool call(s)</summary>
                    ${m.tool_calls.map((t) => html`<div><code>${t.name}</code> <${Json} value=${t.input} label=${`${t.name} input`} /></div>`)}
                  </details>`
                : null
            }
            <button type="button" class="link small" onClick=${fork(m.id)}>Fork from here</button>
          </li>`,
      )}
      ${turns.map(
        (t) =>
          html`<${Fragment} key=${t.id}>
            ${
              userOf(t) !== undefined
                ? html`<li class="message user">
                    <div class="who">You</div>
                    <div class="content">${userOf(t)}</div>
                  </li>`
                : null
            }
            <li class="message assistant live" data-turn=${t.id} data-done=${t.done ? "true" : "false"}>
              <div class="who">Assistant ${t.done ? null : html`<span class="muted small">(working…)</span>`}</div>
              ${
                t.thinking
                  ? html`<details class="thinking">
                      <summary>Thinking</summary>
                      <p>${t.thinking}</p>
                    </details>`
                  : null
              }
              ${t.tools.map((c) => html`<div class="tool-line"><code>${c.tool}</code> <span class="muted small">${JSON.stringify(c.input)}</span></div>`)}
              <div class="content">${t.text}</div>
              ${t.out ? html`<pre>${t.out}</pre>` : null}
              ${t.artifacts.map((a) => html`<div class="small">Artifact: ${a.name} (${a.mime_type})</div>`)}
              ${t.errors.map((e) => html`<p class=${`notice ${e.recoverable ? "warning" : "error"}`}><strong>${e.code}</strong>: ${e.message}</p>`)}
              ${t.prompts.map((p) =>
                answered.has(p.seq) || t.done
                  ? html`<p class="muted small">Asked: ${p.prompt}${answered.has(p.seq) ? " — answered" : ""}</p>`
                  : html`<${PromptForm} prompt=${p} onAnswer=${answer} />`,
              )}
            </li>
          <//>`,
      )}
    </ol>
    <form class="composer" onSubmit=${send}>
      <label for="chat-input" class="visually-hidden">Message</label>
      <textarea
        id="chat-input"
        rows="2"
        placeholder=${status === "active" ? "Write a message… (Enter sends, Shift+Enter for a new line)" : `The session is ${status}.`}
        disabled=${status !== "active"}
        value=${draft}
        onInput=${(e) => setDraft(e.currentTarget.value)}
        onKeyDown=${(e) => {
          if (e.key === "Enter" && !e.shiftKey) send(e);
        }}
      ></textarea>
      <button class="primary" type="submit" disabled=${status !== "active" || conn.state !== "live" || !draft.trim()}>Send</button>
      ${
        running?.execution_id
          ? html`<button
              type="button"
              class="danger"
              onClick=${() => socket.current?.send(JSON.stringify({ type: "cancel", execution_id: running.execution_id }))}
            >
              Stop
            </button>`
          : null
      }
    </form>
  </section>`;
}

function PromptForm({ prompt, onAnswer }) {
  const [text, setText] = useState("");
  const id = `prompt-${prompt.seq}`;
  return html`<form
    class="prompt card"
    onSubmit=${(e) => {
      e.preventDefault();
      onAnswer(prompt, text);
    }}
  >
    <label for=${id}><strong>The agent asks:</strong> ${prompt.prompt}</label>
    <div class="inline-fields">
      <input id=${id} value=${text} autocomplete="off" onInput=${(e) => setText(e.currentTarget.value)} />
      <button class="primary" type="submit">Answer</button>
    </div>
  </form>`;
}
