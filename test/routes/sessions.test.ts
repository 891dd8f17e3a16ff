import { env, evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { call, expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";
import { connectWs } from "../helpers/ws.ts";

const SIM = env.PROVIDER_SIM_URL;

async function newSession(org: TestOrg, harness: string, body: Record<string, unknown> = {}) {
  const res = await org.json("POST", `/v1/harnesses/${harness}/sessions`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { session: any; connect_url: string };
}

const path = (h: string, s: string, rest = "") => `/v1/harnesses/${h}/sessions/${s}${rest}`;

function sessionObject(sessionId: string) {
  return env.SESSION.get(env.SESSION.idFromName(sessionId));
}

describe("sessions: lifecycle over HTTP", () => {
  it("creates, gets, lists, renames, pauses, resumes and ends", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const created = await newSession(org, h.id, { name: "Chat" });
    expect(created.session).toMatchObject({ harness_id: h.id, name: "Chat", status: "active", message_count: 0, agent_id: null });
    expect(created.session.id).toMatch(/^sess_/);
    expect(created.connect_url).toBe(`wss://edgeharness.test/v1/harnesses/${h.id}/sessions/${created.session.id}/connect`);
    const id = created.session.id;
    expect((await org.json("GET", path(h.id, id))).body.session.id).toBe(id);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/sessions`)).body).toMatchObject({
      total: 1,
      data: [expect.objectContaining({ id })],
    });
    const renamed = await org.json("PATCH", path(h.id, id), { name: "Renamed", status: "paused" });
    expect(renamed.body.session).toMatchObject({ name: "Renamed", status: "paused" });
    await expectProblem(await org.json("POST", path(h.id, id, "/message"), { content: "hi" }), 409, "session_paused");
    const resumed = await org.json("POST", path(h.id, id, "/resume"));
    expect(resumed.body).toMatchObject({ session: { status: "active" }, connect_url: created.connect_url });
    expect((await org.json("DELETE", path(h.id, id))).status).toBe(204);
    // Ended sessions leave the default list (conformance SES-04) and refuse turns.
    expect((await org.json("GET", `/v1/harnesses/${h.id}/sessions`)).body.total).toBe(0);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/sessions?status=ended`)).body.data[0]).toMatchObject({
      id,
      status: "ended",
      ended_at: expect.any(String),
    });
    await expectProblem(await org.json("POST", path(h.id, id, "/message"), { content: "hi" }), 409, "session_ended");
    await expectProblem(await org.json("POST", path(h.id, id, "/resume")), 409, "session_ended");
    await expectProblem(await org.json("PATCH", path(h.id, id), { status: "active" }), 409, "session_ended");
  });

  it("validates input and isolates organizations", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    for (const [body, field] of [
      [{ name: "" }, "body.name"],
      [{ name: "n".repeat(101) }, "body.name"],
      [{ agent_id: "" }, "body.agent_id"],
      [{ skills: ["x"] }, "body.skills"],
    ] as const) {
      const p = await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/sessions`, body), 400, "validation_error");
      expect(p.error.details.field).toBe(field);
    }
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/sessions`, { agent_id: "agent_nope" }), 404, "agent_not_found");
    await expectProblem(await org.json("PATCH", path(h.id, session.id), { status: "ended" }), 400, "validation_error");
    await expectProblem(await org.json("POST", path(h.id, session.id, "/message"), { content: "" }), 400, "validation_error");
    await expectProblem(await org.json("GET", path(h.id, session.id, "/history?limit=0")), 400, "validation_error");
    await expectProblem(await org.json("GET", path(h.id, session.id, "/history?since=never")), 400, "validation_error");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/sessions?status=gone`), 400, "validation_error");
    await expectProblem(await org.json("GET", path(h.id, "sess_nope")), 404, "session_not_found");
    for (const [method, rest] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "/resume"],
      ["GET", "/history"],
      ["POST", "/fork"],
      ["POST", "/message"],
      ["POST", "/message/stream"],
    ] as const) {
      const res = await other.json(
        method,
        path(h.id, session.id, rest),
        method === "POST" || method === "PATCH" ? { content: "x" } : undefined,
      );
      expect(res.status, `${method} ${rest}`).toBe(404);
    }
    const hb = await newHarness(other, { id: h.id });
    await expectProblem(await other.json("GET", path(hb.id, session.id)), 404, "session_not_found");
    await expectProblem(
      {
        ...(await (async () => {
          const r = await call(path(h.id, session.id));
          return { status: r.status, headers: r.headers, body: await r.json() };
        })()),
      },
      401,
      "unauthorized",
    );
  });

  it("blocks unregistering a harness while sessions are open", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}`), 409, "harness_busy");
    await org.json("DELETE", path(h.id, session.id));
    expect((await org.json("DELETE", `/v1/harnesses/${h.id}`)).status).toBe(204);
  });
});

describe("sessions: turns over HTTP", () => {
  it("remembers earlier turns (the model is given the history)", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/recall" });
    const { session } = await newSession(org, h.id);
    const first = await org.json("POST", path(h.id, session.id, "/message"), { content: "Remember this: my name is Alice." });
    expect(first.status).toBe(200);
    expect(first.body.message).toMatchObject({ role: "user", content: "Remember this: my name is Alice." });
    expect(first.body.response).toMatchObject({ role: "assistant", content: "Nice to meet you, Alice.", status: "completed" });
    const second = await org.json("POST", path(h.id, session.id, "/message"), { content: "What is my name?" });
    expect(second.body.response.content).toBe("Your name is Alice.");
    // Every turn is an execution, visible through the execution endpoints.
    const exec = await org.json("GET", `/v1/harnesses/${h.id}/executions/${second.body.execution_id}`);
    expect(exec.body.execution).toMatchObject({ session_id: session.id, status: "completed" });
    const history = await org.json("GET", path(h.id, session.id, "/history"));
    expect(history.body.data.map((m: any) => [m.role, m.content])).toEqual([
      ["user", "Remember this: my name is Alice."],
      ["assistant", "Nice to meet you, Alice."],
      ["user", "What is my name?"],
      ["assistant", "Your name is Alice."],
    ]);
    expect((await org.json("GET", path(h.id, session.id))).body.session.message_count).toBe(4);
  });

  it("sends the history to a real provider protocol", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "openai/gpt-4o-mini" });
    await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "openai",
      api_key: SIM_OPENAI_KEY,
      base_url: `${SIM}/openai/v1`,
      store: true,
    });
    const { session } = await newSession(org, h.id, { system_prompt: "SESSION-CONTEXT-7" });
    await org.json("POST", path(h.id, session.id, "/message"), { content: "first question" });
    await fetch(`${SIM}/__requests`, { method: "DELETE" });
    const second = await org.json("POST", path(h.id, session.id, "/message"), { content: "second question" });
    expect(second.body.response.content).toBe("Simulated openai reply to: second question");
    const [request] = ((await (await fetch(`${SIM}/__requests`)).json()) as any[]).filter((r) => r.path === "/openai/v1/chat/completions");
    const messages = request.body.messages.map((m: any) => [m.role, typeof m.content === "string" ? m.content : JSON.stringify(m.content)]);
    expect(messages[0][1]).toContain("SESSION-CONTEXT-7");
    expect(messages.slice(1)).toEqual([
      ["user", "first question"],
      ["assistant", "Simulated openai reply to: first question"],
      ["user", "second question"],
    ]);
  });

  it("orders concurrent sends: turns never interleave and none is lost", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => org.json("POST", path(h.id, session.id, "/message"), { content: `message ${n}` })),
    );
    for (const r of replies) expect(r.body.response.content).toBe(`Echo: ${r.body.message.content}`);
    const history = (await org.json("GET", path(h.id, session.id, "/history?limit=100"))).body.data;
    expect(history).toHaveLength(10);
    for (let i = 0; i < 10; i += 2) {
      expect(history[i].role).toBe("user");
      expect(history[i + 1]).toMatchObject({ role: "assistant", content: `Echo: ${history[i].content}` });
    }
  });

  it("streams a turn over SSE and continues the session from execute with session_id", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/recall" });
    const { session } = await newSession(org, h.id);
    const res = await org.fetch(path(h.id, session.id, "/message/stream"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "my name is Bob" }),
    });
    expect(res.headers.get("x-execution-id")).toMatch(/^exec_/);
    const frames = await readSse(res);
    expect(frames.at(-1)!.data.type).toBe("done");
    const run = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "what is my name?", session_id: session.id }),
    });
    const text = (await readSse(run))
      .filter((f) => f.data.type === "text")
      .map((f) => f.data.content)
      .join("");
    expect(text).toBe("Your name is Bob.");
    const accepted = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "my name is Carol", session_id: session.id });
    expect(accepted.status).toBe(202);
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", session_id: "invalid-session-id-xyz" }),
      404,
      "session_not_found",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", session_id: session.id, agent_id: "agent_other" }),
      400,
      "validation_error",
    );
    const list = await org.json("GET", `/v1/harnesses/${h.id}/executions?limit=10`);
    expect(list.body.data.every((e: any) => e.session_id === session.id)).toBe(true);
  });

  it("refuses a turn whose model cannot run, leaving the history unchanged", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "anthropic/claude-haiku-4-5" });
    const { session } = await newSession(org, h.id);
    const body = await expectProblem(
      await org.json("POST", path(h.id, session.id, "/message"), { content: "hello" }),
      400,
      "model_not_available",
    );
    expect(body.detail).toContain("ANTHROPIC_API_KEY");
    expect((await org.json("GET", path(h.id, session.id, "/history"))).body.total).toBe(0);
  });
});

describe("sessions: history and fork", () => {
  it("paginates history, filters by since, and forks at a message atomically", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id, { name: "Original" });
    for (const n of [1, 2, 3]) await org.json("POST", path(h.id, session.id, "/message"), { content: `turn ${n}` });
    const page = await org.json("GET", path(h.id, session.id, "/history?limit=2&offset=2"));
    expect(page.body).toMatchObject({ total: 6, limit: 2, offset: 2, has_more: true });
    expect(page.body.data.map((m: any) => m.content)).toEqual(["turn 2", "Echo: turn 2"]);
    const all = (await org.json("GET", path(h.id, session.id, "/history?limit=100"))).body.data;
    const since = await org.json("GET", path(h.id, session.id, `/history?since=${encodeURIComponent(all[3].created_at)}`));
    expect(since.body.data.map((m: any) => m.content)).toEqual(["turn 3", "Echo: turn 3"]);

    const fork = await org.json("POST", path(h.id, session.id, "/fork"), { from_message_id: all[1].id, new_name: "Branch" });
    expect(fork.status).toBe(201);
    expect(fork.body).toMatchObject({
      forked_from: session.id,
      message_count: 2,
      session: { name: "Branch", status: "active", message_count: 2, forked_from: session.id },
    });
    const forkedHistory = (await org.json("GET", path(h.id, fork.body.session.id, "/history"))).body.data;
    expect(forkedHistory.map((m: any) => m.content)).toEqual(["turn 1", "Echo: turn 1"]);
    // The fork continues on its own; the original is untouched.
    await org.json("POST", path(h.id, fork.body.session.id, "/message"), { content: "branch turn" });
    expect((await org.json("GET", path(h.id, session.id, "/history"))).body.total).toBe(6);
    expect((await org.json("GET", path(h.id, fork.body.session.id, "/history"))).body.total).toBe(4);

    const whole = await org.json("POST", path(h.id, session.id, "/fork"));
    expect(whole.body).toMatchObject({ message_count: 6, session: { name: "Original (fork)" } });
    await expectProblem(await org.json("POST", path(h.id, session.id, "/fork"), { from_message_id: "msg_nope" }), 404, "message_not_found");
    expect((await org.json("GET", `/v1/harnesses/${h.id}/sessions`)).body.total).toBe(3);
  });

  it("deletes history when ending with delete_history=true", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    await org.json("POST", path(h.id, session.id, "/message"), { content: "secret" });
    await expectProblem(await org.json("DELETE", path(h.id, session.id, "?delete_history=maybe")), 400, "validation_error");
    expect((await org.json("DELETE", path(h.id, session.id, "?delete_history=true"))).status).toBe(204);
    expect((await org.json("GET", path(h.id, session.id, "/history"))).body.total).toBe(0);
    expect((await org.json("GET", path(h.id, session.id))).body.session).toMatchObject({ status: "ended", message_count: 0 });
  });
});

describe("sessions.connect over WebSocket", () => {
  it("streams a turn to every socket, with replies correlated to the message id", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    const a = await connectWs(org, path(h.id, session.id, "/connect"), { "sec-websocket-protocol": "openharness.v1" });
    const b = await connectWs(org, `${path(h.id, session.id, "/connect")}?token=${encodeURIComponent(org.token)}`, { authorization: "" });
    a.send({ type: "message", id: "msg_123", content: "hello sockets" });
    const fromA = await a.until((f) => f.type === "done");
    const fromB = await b.until((f) => f.type === "done");
    expect(fromA.map((f) => f.type)).toEqual(fromB.map((f) => f.type));
    expect(fromA.every((f) => f.id === "msg_123")).toBe(true);
    expect(
      fromA
        .filter((f) => f.type === "text")
        .map((f) => f.content)
        .join(""),
    ).toBe("Echo: hello sockets");
    expect(fromA.at(-1).usage.total_tokens).toBeGreaterThan(0);
    a.ws.send('{"type":"ping"}');
    expect(await a.next((f) => f.type === "pong")).toEqual({ type: "pong" });
    a.send({ type: "nonsense" });
    expect(await a.next((f) => f.type === "error")).toMatchObject({ code: "invalid_message" });
    a.send({ type: "message", id: "m2" });
    expect(await a.next((f) => f.type === "error")).toMatchObject({ id: "unknown", code: "invalid_message" });
    a.close();
    b.close();
  });

  it("lets a socket that reconnects mid-turn catch up, and cancels a turn", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const { session } = await newSession(org, h.id);
    const a = await connectWs(org, path(h.id, session.id, "/connect"));
    a.send({ type: "message", id: "c1", content: "count to 20 every 30ms" });
    await a.next((f) => f.type === "text" && f.content === " 5");
    const late = await connectWs(org, path(h.id, session.id, "/connect"));
    const lateFrames = await late.until((f) => f.type === "done", 10_000);
    const all = lateFrames
      .filter((f) => f.type === "text")
      .map((f) => f.content)
      .join("");
    expect(all).toBe(Array.from({ length: 20 }, (_, i) => i + 1).join(" "));

    a.send({ type: "message", id: "c2", content: "count to 200 every 30ms" });
    const first = await a.next((f) => f.id === "c2" && f.type === "text");
    a.send({ type: "cancel", execution_id: first.execution_id });
    expect(await a.next((f) => f.id === "c2" && f.type === "error")).toMatchObject({ code: "cancelled" });
    a.send({ type: "cancel", execution_id: "exec_nope" });
    expect(await a.next((f) => f.type === "error")).toMatchObject({ code: "execution_not_found" });
    const history = (await org.json("GET", path(h.id, session.id, "/history"))).body.data;
    expect(history.at(-1)).toMatchObject({ role: "assistant", status: "cancelled" });
  });

  it("closes sockets when the session is paused (4001) or ended (4002) and refuses new connections", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    const a = await connectWs(org, path(h.id, session.id, "/connect"));
    await org.json("PATCH", path(h.id, session.id), { status: "paused" });
    expect(await a.closed).toMatchObject({ code: 4001 });
    const refused = await org.fetch(path(h.id, session.id, "/connect"), { headers: { upgrade: "websocket" } });
    expect(refused.status).toBe(409);
    await org.json("POST", path(h.id, session.id, "/resume"));
    const b = await connectWs(org, path(h.id, session.id, "/connect"));
    await org.json("DELETE", path(h.id, session.id));
    expect(await b.closed).toMatchObject({ code: 4002 });
    const again = await org.fetch(path(h.id, session.id, "/connect"), { headers: { upgrade: "websocket" } });
    expect(again.status).toBe(409);
  });

  it("answers 426 without an upgrade and 401 with a bad token", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { session } = await newSession(org, h.id);
    await expectProblem(await org.json("GET", path(h.id, session.id, "/connect")), 426, "upgrade_required");
    const res = await call(`${path(h.id, session.id, "/connect")}?token=eh_sk_bad`, { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(401);
  });

  it("loses nothing when the object hibernates between messages", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/recall" });
    const { session } = await newSession(org, h.id);
    const ws = await connectWs(org, path(h.id, session.id, "/connect"));
    ws.send({ type: "message", id: "h1", content: "my name is Dana" });
    await ws.next((f) => f.type === "done");
    await evictDurableObject(sessionObject(session.id), { webSockets: "hibernate" });
    ws.send({ type: "message", id: "h2", content: "what is my name?" });
    const frames = await ws.until((f) => f.type === "done" && f.id === "h2");
    expect(
      frames
        .filter((f) => f.type === "text")
        .map((f) => f.content)
        .join(""),
    ).toBe("Your name is Dana.");
    expect((await org.json("GET", path(h.id, session.id, "/history"))).body.total).toBe(4);
  });
});

/** A native harness whose model asks a question (ask_user enabled, optional input timeout in seconds). */
const interactive = (timeout?: number) => ({
  default_model_id: "scripted/ask",
  capability_refs: [{ ref: "current_time" }, { ref: "ask_user", ...(timeout ? { config: { timeout_seconds: timeout } } : {}) }],
});
describe("interactive input (ask_user)", () => {
  it("round-trips over WebSocket: prompt, then stdin", async () => {
    const org = await newOrg();
    const h = await newHarness(org, interactive());
    const { session } = await newSession(org, h.id);
    const ws = await connectWs(org, path(h.id, session.id, "/connect"));
    ws.send({ type: "stdin", id: "s0", data: "too early" });
    expect(await ws.next((f) => f.type === "error")).toMatchObject({ id: "s0", code: "execution_not_waiting" });
    ws.send({ type: "message", id: "q1", content: "go" });
    expect(await ws.next((f) => f.type === "prompt")).toMatchObject({ id: "q1", prompt: "Do you want to continue? [y/n]" });
    ws.send({ type: "stdin", id: "stdin_1", data: "yes\n" });
    const frames = await ws.until((f) => f.type === "done");
    expect(
      frames
        .filter((f) => f.type === "text")
        .map((f) => f.content)
        .join(""),
    ).toBe("You answered: yes");
  });

  it("round-trips over HTTP with execution.sendInput (409 when not waiting, 410 when finished)", async () => {
    const org = await newOrg();
    const h = await newHarness(org, interactive());
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "go" }),
    });
    const id = res.headers.get("x-execution-id")!;
    const waiting = await readSse(res, { max: 5 });
    expect(waiting.find((f) => f.data.type === "tool_call_start")!.data.name).toBe("ask_user");
    expect(waiting.at(-1)!.data).toMatchObject({ type: "progress", step: "waiting for input: Do you want to continue? [y/n]" });
    let execution: any;
    for (let i = 0; i < 100; i++) {
      execution = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}`)).body.execution;
      if (execution.waiting_for_input) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(execution).toMatchObject({ status: "running", waiting_for_input: { prompt: "Do you want to continue? [y/n]" } });
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/executions/${id}/input`, {}), 400, "validation_error");
    expect((await org.json("POST", `/v1/harnesses/${h.id}/executions/${id}/input`, { data: "n" })).body).toEqual({ accepted: true });
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/executions/${id}/input`, { data: "again" }),
      409,
      "execution_not_waiting",
    );
    const rest = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${id}/stream`));
    expect(
      rest
        .filter((f) => f.data.type === "text")
        .map((f) => f.data.content)
        .join(""),
    ).toBe("You answered: n");
    expect(rest.at(-1)!.data.type).toBe("done");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/executions/${id}/input`, { data: "late" }), 410, "execution_ended");
    const other = await newOrg();
    await expectProblem(await other.json("POST", `/v1/harnesses/${h.id}/executions/${id}/input`, { data: "x" }), 404, "harness_not_found");
  });

  it("gives up after the input timeout and lets the model go on", async () => {
    const org = await newOrg();
    const h = await newHarness(org, interactive(1));
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "go" }),
    });
    const frames = await readSse(res);
    const result = frames.find((f) => f.data.type === "tool_result");
    expect(result!.data).toMatchObject({ success: false, error: expect.stringContaining("input_timeout") });
    expect(
      frames
        .filter((f) => f.data.type === "text")
        .map((f) => f.data.content)
        .join(""),
    ).toBe("No answer arrived.");
  });
});

const textOf = (frames: any[]) =>
  frames
    .filter((f) => f.type === "text")
    .map((f) => f.content)
    .join("");

describe("sessions.connect: reconnecting with ?after=<seq> at every point of a turn", () => {
  it("gives a socket that comes back mid-turn, at the last event or after the turn ended exactly what it missed, ending with done", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const { session } = await newSession(org, h.id);
    const a = await connectWs(org, path(h.id, session.id, "/connect"));
    a.send({ type: "message", id: "t1", content: "count to 12 every 40ms" });
    const seen = [await a.next((f) => f.type === "text" && f.content === " 4")];
    // Mid-turn: a second socket picks up strictly after the 4th number while the turn is still running.
    const mid = await connectWs(org, `${path(h.id, session.id, "/connect")}?after=${seen[0].seq}`);
    const all = [...a.frames.slice(0, a.frames.indexOf(seen[0]) + 1), ...(await a.until((f) => f.type === "done", 10_000))];
    const fromMid = await mid.until((f) => f.type === "done", 10_000);
    expect(fromMid).toEqual(all.filter((f) => f.seq > seen[0].seq));
    expect(textOf(all)).toBe(Array.from({ length: 12 }, (_, i) => i + 1).join(" "));
    const seqs = all.map((f) => f.seq);
    expect(seqs).toEqual(seqs.toSorted((x, y) => x - y));

    // After the turn ended, from every point: the rest of the turn, once, ending with done.
    const done = all.at(-1)!;
    expect(done).toMatchObject({ type: "done", id: "t1" });
    for (const cut of [all[0], all[5], all.at(-2), done]) {
      const late = await connectWs(org, `${path(h.id, session.id, "/connect")}?after=${cut.seq}`);
      if (cut === done) {
        late.send({ type: "message", id: "t2", content: "count to 2" });
        const next = await late.until((f) => f.type === "done");
        expect(next.every((f) => f.id === "t2")).toBe(true);
      } else {
        expect(await late.until((f) => f.type === "done")).toEqual(all.filter((f) => f.seq > cut.seq));
      }
      late.close();
    }
    a.close();
    mid.close();
  });

  it("replays across turns and after the object hibernated", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const { session } = await newSession(org, h.id);
    const a = await connectWs(org, path(h.id, session.id, "/connect"));
    a.send({ type: "message", id: "x1", content: "count to 3" });
    const first = await a.until((f) => f.type === "done");
    a.send({ type: "message", id: "x2", content: "count to 3" });
    const second = await a.until((f) => f.type === "done");
    a.close();
    await evictDurableObject(sessionObject(session.id), { webSockets: "hibernate" });
    const back = await connectWs(org, `${path(h.id, session.id, "/connect")}?after=${first[1].seq}`);
    const replayed = await back.until((f) => f.type === "done" && f.id === "x2");
    expect(replayed).toEqual([...first.slice(2), ...second]);
    back.close();
  });
});
