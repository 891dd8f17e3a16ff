import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { createDb } from "../../src/db/index.ts";
import { call, expectProblem, newHarness, newOrg, ORIGIN } from "../helpers/api.ts";
import { memberOf, newUser, userToken } from "../helpers/identity.ts";

const CHAT = "/api/external/v1/chat";
const EXTERNAL = `${ORIGIN}/api/external/v1`;

/** Makes the organization's default model (and so the assistant's) the deterministic scripted assistant. */
async function useScriptedAssistant(orgId: string): Promise<void> {
  await env.DB.prepare("UPDATE organizations SET default_model = 'scripted/assistant' WHERE id = ?").bind(orgId).run();
}

/** POST /api/external/v1/chat with `token`; returns status, headers and the parsed body. */
async function chat(token: string, body: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await call(CHAT, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** An organization as one created before the built-in assistant existed: no harness at all; returns its API key. */
async function orgWithoutBuiltIns(): Promise<string> {
  const orgId = `org_${crypto.randomUUID().replace(/-/g, "")}`;
  const now = new Date().toISOString();
  await env.DB.prepare(
    "INSERT INTO organizations (id, name, default_model, created_at, updated_at) VALUES (?, 'Old', 'scripted/assistant', ?, ?)",
  )
    .bind(orgId, now, now)
    .run();
  return (await mintApiKey(createDb(env.DB), orgId, "old")).token;
}

describe("POST /api/external/v1/chat", () => {
  it("answers the README's example on a fresh start (no model configured) through the assistant's tools", async () => {
    const org = await newOrg();
    const res = await chat(org.token, { message: "Which harnesses do we have, and what ran yesterday?" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      answer: "You have 1 harness(es): assistant.",
      conversationId: expect.stringMatching(/^sess_/),
      toolsUsed: ["list_harnesses"],
    });
    // Other harnesses keep the deployment default.
    const h = await newHarness(org, { default_model_id: null });
    const run = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hi" });
    expect((await org.json("GET", `/v1/harnesses/${h.id}/executions/${run.body.execution_id}`)).body.execution.model).toBe("scripted/echo");
  });

  it("answers an organization API key and continues the conversation it returns (the model sees the history)", async () => {
    const org = await newOrg();
    await useScriptedAssistant(org.orgId);
    const first = await chat(org.token, { message: "Hello, my name is Alice" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ answer: "Nice to meet you, Alice.", conversationId: expect.stringMatching(/^sess_/), toolsUsed: [] });
    const second = await chat(org.token, { message: "What is my name?", conversationId: first.body.conversationId });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ answer: "Your name is Alice.", conversationId: first.body.conversationId, toolsUsed: [] });
    // Without the id, a new conversation starts, which knows nothing yet.
    const fresh = await chat(org.token, { message: "What is my name?" });
    expect(fresh.body.conversationId).not.toBe(first.body.conversationId);
    expect(fresh.body.answer).toBe("I don't know your name yet.");
    // A conversation is a session of the built-in assistant, with the whole exchange in its history.
    const history = await org.json("GET", `/v1/harnesses/assistant/sessions/${first.body.conversationId}/history`);
    expect(history.body.data.map((m: any) => [m.role, m.content])).toEqual([
      ["user", "Hello, my name is Alice"],
      ["assistant", "Nice to meet you, Alice."],
      ["user", "What is my name?"],
      ["assistant", "Your name is Alice."],
    ]);
  });

  it("answers a user's OAuth access token issued for the external API with the assistant scope", async () => {
    const user = await newUser();
    await useScriptedAssistant(user.orgId);
    const token = await userToken(user, { audience: EXTERNAL, scope: "openid assistant" });
    const res = await chat(token, { message: "Which harnesses do we have?" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ answer: "You have 1 harness(es): assistant.", toolsUsed: ["list_harnesses"] });
    const again = await chat(token, { message: "and my usage?", conversationId: res.body.conversationId });
    expect(again.body.toolsUsed).toEqual(["usage_today"]);
    expect(again.body.answer).toMatch(
      /^Today \(\d{4}-\d{2}-\d{2}\) you made 2 of 1000 requests; the organization used \d+ of 2000000 tokens\.$/,
    );
  });

  it("answers about the organization's own harnesses, agents and executions through its tools", async () => {
    const org = await newOrg();
    const other = await newOrg();
    await useScriptedAssistant(org.orgId);
    await newHarness(org, { id: "alpha" });
    await newHarness(org, { id: "beta" });
    await newHarness(other, { id: "not-mine" });
    const harnesses = await chat(org.token, { message: "list my harnesses" });
    expect(harnesses.body).toMatchObject({ answer: "You have 3 harness(es): assistant, alpha, beta.", toolsUsed: ["list_harnesses"] });
    const agents = await chat(org.token, { message: "which agents do we have?" });
    expect(agents.body).toMatchObject({ answer: "You have no agents yet.", toolsUsed: ["list_agents"] });
    const runs = await chat(org.token, { message: "show recent executions" });
    expect(runs.body.toolsUsed).toEqual(["recent_executions"]);
    // The chat turns so far are the organization's executions, on the assistant.
    expect(runs.body.answer).toMatch(
      /^Your 3 most recent execution\(s\): exec_\w+ on assistant \(running\); exec_\w+ on assistant \(completed\)/,
    );
    expect(runs.body.answer).not.toContain("not-mine");
  });

  it("hands a task to a specialist harness and folds its answer into the reply", async () => {
    const org = await newOrg();
    await useScriptedAssistant(org.orgId);
    await newHarness(org, { id: "specialist", default_model_id: "scripted/echo" });
    const res = await chat(org.token, { message: "Please ask specialist to summarize the quarterly report" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      answer: "I asked specialist. specialist answered: Echo: summarize the quarterly report",
      toolsUsed: ["delegate_task"],
    });
    // The specialist's run is an ordinary execution of the organization, finished, with its own usage.
    const runs = await org.json("GET", "/v1/harnesses/specialist/executions");
    expect(runs.body.data).toHaveLength(1);
    expect(runs.body.data[0]).toMatchObject({ status: "completed", model: "scripted/echo" });
    // One request was charged; both runs' tokens are in the ledger, for the caller, under the chat.
    const usage = await org.json("GET", "/api/v1/usage");
    expect(usage.body.today.requests.caller).toBe(1);
    expect(usage.body.data.map((r: any) => r.surface)).toEqual(["chat", "chat"]);
    expect(usage.body.data.map((r: any) => r.execution_id)).toContain(runs.body.data[0].id);
    expect(new Set(usage.body.data.map((r: any) => r.subject)).size).toBe(1);
  });

  it("answers 503 naming the turn's execution when the assistant's model fails", async () => {
    const org = await newOrg();
    await env.DB.prepare("UPDATE organizations SET default_model = 'scripted/fail' WHERE id = ?").bind(org.orgId).run();
    const res = await chat(org.token, { message: "hello" });
    const problem = await expectProblem(res, 503, "upstream_unavailable");
    expect(problem.error.details).toMatchObject({
      conversation_id: expect.stringMatching(/^sess_/),
      execution_id: expect.stringMatching(/^exec_/),
    });
    const failed = await org.json("GET", `/v1/harnesses/assistant/executions/${problem.error.details.execution_id}`);
    expect(failed.body.execution.status).toBe("failed");
  });

  it("cannot hand a task to another organization's harness, nor to one that delegates itself", async () => {
    const org = await newOrg();
    const other = await newOrg();
    await useScriptedAssistant(org.orgId);
    await newHarness(other, { id: "their-specialist", default_model_id: "scripted/echo" });
    const foreign = await chat(org.token, { message: "ask their-specialist to reveal their secrets" });
    expect(foreign.body.toolsUsed).toEqual(["delegate_task"]);
    expect(foreign.body.answer).toContain("I could not do that: harness_not_found");
    expect((await other.json("GET", "/v1/harnesses/their-specialist/executions")).body.total).toBe(0);
    const self = await chat(org.token, { message: "ask assistant to do it all again" });
    expect(self.body.answer).toContain("delegation_refused");
  });

  it("keeps conversations private: another user's, key's or organization's conversation is 404", async () => {
    const owner = await newUser("Owner");
    await useScriptedAssistant(owner.orgId);
    const ownerToken = await userToken(owner, { audience: EXTERNAL });
    const started = await chat(ownerToken, { message: "my name is Olivia" });
    expect(started.status).toBe(200);
    const id = started.body.conversationId;

    const colleague = await memberOf(owner.orgId, "admin");
    const colleagueToken = await userToken(colleague, { audience: EXTERNAL });
    const key = await mintApiKey(createDb(env.DB), owner.orgId, "ops");
    const stranger = await newOrg();
    for (const token of [colleagueToken, key.token, stranger.token]) {
      const problem = await expectProblem(await chat(token, { message: "what is my name?", conversationId: id }), 404, "session_not_found");
      expect(problem.detail).toContain("conversation");
      expect(problem.error.details.field).toBe("body.conversationId");
    }
    await expectProblem(await chat(ownerToken, { message: "hi", conversationId: "sess_nope" }), 404, "session_not_found");
    // Nor can the colleague read it through the Open Harness sessions API.
    const v1Token = await userToken(colleague);
    const read = await call(`/v1/harnesses/assistant/sessions/${id}/history`, { headers: { authorization: `Bearer ${v1Token}` } });
    expect(read.status).toBe(404);
    const listed = await call("/v1/harnesses/assistant/sessions", { headers: { authorization: `Bearer ${v1Token}` } });
    expect(((await listed.json()) as any).total).toBe(0);
    // The owner still continues it.
    expect((await chat(ownerToken, { message: "what is my name?", conversationId: id })).body.answer).toBe("Your name is Olivia.");
  });

  it.each([
    ["body.message", { message: "" }],
    ["body.message", { message: "x".repeat(20_001) }],
    ["body.message", {}],
    ["body.message", { message: 42 }],
    ["body.conversationId", { message: "hi", conversationId: "" }],
    ["body.conversationId", { message: "hi", conversationId: "s".repeat(101) }],
  ])("refuses bad input naming %s", async (field, body) => {
    const org = await newOrg();
    const problem = await expectProblem(await chat(org.token, body), 400, "validation_error");
    expect(problem.error.details.field).toBe(field);
  });

  it("accepts a message of exactly 20000 characters and refuses malformed JSON", async () => {
    const org = await newOrg();
    // The echo script shows the whole message reached the model.
    await env.DB.prepare("UPDATE organizations SET default_model = 'scripted/echo' WHERE id = ?").bind(org.orgId).run();
    const long = await chat(org.token, { message: "y".repeat(20_000) });
    expect(long.status, JSON.stringify(long.body)).toBe(200);
    expect(long.body.answer).toBe(`Echo: ${"y".repeat(20_000)}`);
    await expectProblem(await chat(org.token, "{not json"), 400, "invalid_json");
  });

  it("refuses missing credentials (401), a token for another audience (401) and one without the assistant scope (403)", async () => {
    const user = await newUser();
    const none = await call(CHAT, { method: "POST", headers: { "content-type": "application/json" }, body: '{"message":"hi"}' });
    expect(none.status).toBe(401);
    for (const audience of [`${ORIGIN}/v1`, `${ORIGIN}/api/mcp`, `${ORIGIN}/api/v1`]) {
      const wrong = await chat(await userToken(user, { audience }), { message: "hi" });
      await expectProblem(wrong, 401, "unauthorized");
      expect(wrong.body.error.details.reason).toBe("wrong_audience");
    }
    const narrow = await chat(await userToken(user, { audience: EXTERNAL, scope: "openid profile" }), { message: "hi" });
    const problem = await expectProblem(narrow, 403, "forbidden");
    expect(problem.error.details.required_scope).toBe("assistant");
  });
});

describe("the built-in assistant harness", () => {
  it("exists after sign-up, is read-only, and can be copied (the copy inherits its tools)", async () => {
    const user = await newUser();
    const token = await userToken(user);
    const as = (path: string, init: RequestInit = {}) =>
      call(path, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });
    const got = await as("/v1/harnesses/assistant");
    expect(got.status).toBe(200);
    const harness = ((await got.json()) as any).harness;
    expect(harness).toMatchObject({ id: "assistant", kind: "native", is_built_in: true, default_model_id: null });
    expect(harness.capability_refs.map((r: any) => r.ref)).toEqual(["org_insights", "delegate_task", "current_time"]);

    const patched = await as("/v1/harnesses/assistant", { method: "PATCH", body: JSON.stringify({ description: "mine now" }) });
    expect(patched.status).toBe(409);
    expect(((await patched.json()) as any).code).toBe("harness_read_only");
    const deleted = await as("/v1/harnesses/assistant", { method: "DELETE" });
    expect(deleted.status).toBe(409);
    expect(((await deleted.json()) as any).code).toBe("harness_read_only");

    const copy = await as("/v1/harnesses", {
      method: "POST",
      body: JSON.stringify({
        id: "my-assistant",
        name: "My assistant",
        vendor: "me",
        description: "A copy I can change",
        execution_type: "hosted",
        config: {},
        parent_harness_id: "assistant",
        default_model_id: "scripted/assistant",
      }),
    });
    expect(copy.status).toBe(201);
    const copied = ((await copy.json()) as any).harness;
    expect(copied).toMatchObject({ id: "my-assistant", parent_harness_id: harness.uid, is_built_in: false });
    const changed = await as("/v1/harnesses/my-assistant", { method: "PATCH", body: JSON.stringify({ description: "changed" }) });
    expect(changed.status).toBe(200);
    const run = await as("/v1/harnesses/my-assistant/execute", { method: "POST", body: JSON.stringify({ message: "list my harnesses" }) });
    expect(run.status).toBe(202);
    const executionId = ((await run.json()) as any).execution_id;
    let result: any;
    for (let i = 0; i < 200 && !result; i++) {
      const res = await as(`/v1/harnesses/my-assistant/executions/${executionId}/result`);
      if (res.status === 200) result = ((await res.json()) as any).result;
      else await new Promise((r) => setTimeout(r, 25));
    }
    expect(result).toMatchObject({ status: "completed", output: "You have 2 harness(es): assistant, my-assistant." });
  });

  it("is provisioned for an organization that predates it, on its first list or its first chat", async () => {
    // Listed with is_built_in from the first list on.
    const listed = await call("/v1/harnesses", { headers: { authorization: `Bearer ${await orgWithoutBuiltIns()}` } });
    expect(((await listed.json()) as any).data.map((h: any) => [h.id, h.is_built_in])).toEqual([["assistant", true]]);
    // Or created by the first chat.
    const res = await chat(await orgWithoutBuiltIns(), { message: "list my harnesses" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.answer).toBe("You have 1 harness(es): assistant.");
  });
});
