/**
 * Open Harness domain 9 — Subagents: children of an agent with their own instructions, model and tool
 * subset; each delegated task is an execution linked to its parent, streamed and resumable like any;
 * `terminate` and a cancelled parent leave every state consistent; the model delegates with `task`.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { internalServiceContext } from "../../durable-objects/lib/service-context.ts";
import { createSubagentPort } from "../../src/services/tools/subagent-port.ts";
import { SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { newAgent } from "../helpers/agents.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

const SIM = env.PROVIDER_SIM_URL;

async function setup(org?: TestOrg, harness: Record<string, unknown> = {}) {
  const o = org ?? (await newOrg());
  const h = await newHarness(o, harness);
  const agent = await newAgent(o, h.id);
  return { org: o, h, agent, base: `/v1/harnesses/${h.id}/agents/${agent.id}/subagents` };
}

async function spawn(org: TestOrg, base: string, body: Record<string, unknown>) {
  const res = await org.json("POST", base, { description: "Helps with tests.", ...body });
  if (res.status !== 201) throw new Error(`spawn failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.subagent;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function execution(org: TestOrg, harness: string, id: string) {
  return (await org.json("GET", `/v1/harnesses/${harness}/executions/${id}`)).body.execution;
}

describe("subagents.spawn, list, get, terminate", () => {
  it("spawns subagents that are listed and addressable separately (SUB-01, 02, 06)", async () => {
    const { org, agent, base } = await setup();
    const writer = await spawn(org, base, { name: "writer", description: "Writes drafts." });
    expect(writer).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      name: "writer",
      description: "Writes drafts.",
      status: "idle",
      parent_agent_id: agent.id,
      created_at: expect.any(String),
      system_prompt: null,
      model: null,
      tools: null,
      last_execution_id: null,
    });
    const analyst = await spawn(org, base, {
      name: "analyst",
      system_prompt: "# Analyst\n\nYou analyse.",
      model: "scripted/echo",
      tools: ["current_time"],
    });
    const listed = (await org.json("GET", base)).body.subagents;
    expect(listed.map((s: any) => s.name)).toEqual(["writer", "analyst"]);
    expect((await org.json("GET", `${base}/${analyst.id}`)).body.subagent).toMatchObject({
      name: "analyst",
      model: "scripted/echo",
      tools: ["current_time"],
    });
    expect((await org.json("GET", `${base}/writer`)).body.subagent.id).toBe(writer.id);
    expect((await org.fetch(`${base}/${writer.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await org.json("GET", `${base}/${writer.id}`), 404, "subagent_not_found");
    expect((await org.json("GET", base)).body.subagents.map((s: any) => s.name)).toEqual(["analyst"]);
    // The name is free again.
    expect((await org.json("POST", base, { name: "writer", description: "Again." })).status).toBe(201);
  });

  it("answers bad input with problems naming the field", async () => {
    const { org, base } = await setup();
    const bad = async (body: unknown, field: string) => {
      const problem = await expectProblem(await org.json("POST", base, body), 400, "validation_error");
      expect(problem.error.details.field).toBe(field);
    };
    await bad({ description: "x" }, "body.name");
    await bad({ name: "", description: "x" }, "body.name");
    await bad({ name: "-dash", description: "x" }, "body.name");
    await bad({ name: "ok", description: "" }, "body.description");
    await bad({ name: "ok", description: "d".repeat(1001) }, "body.description");
    await bad({ name: "ok", description: "x", colour: "red" }, "body.colour");
    await bad({ name: "ok", description: "x", skills: ["pdf"] }, "body.skills");
    await bad({ name: "ok", description: "x", tools: ["has space"] }, "body.tools[0]");
    const model = await expectProblem(
      await org.json("POST", base, { name: "ok", description: "x", model: "nope/nothing" }),
      400,
      "model_not_available",
    );
    expect(model.error.details.field).toBe("body.model");
    await spawn(org, base, { name: "twice" });
    await expectProblem(await org.json("POST", base, { name: "twice", description: "x" }), 409, "subagent_exists");
    for (let i = 1; i < 20; i++) await spawn(org, base, { name: `s${i}` });
    await expectProblem(await org.json("POST", base, { name: "one-too-many", description: "x" }), 400, "validation_error");
    for (const op of ["/nope", "/nope/result", "/nope/stream"])
      await expectProblem(await org.json("GET", `${base}${op}`), 404, "subagent_not_found");
    await expectProblem(await org.json("POST", `${base}/nope/delegate`, { task: "x" }), 404, "subagent_not_found");
    await expectProblem(await org.json("POST", `${base}/twice/delegate`, { task: "" }), 400, "validation_error");
    await expectProblem(await org.json("POST", `${base}/twice/delegate`, { task: "x", wait_seconds: 61 }), 400, "validation_error");
    await expectProblem(await org.json("POST", `${base}/twice/delegate`, { task: "x", context: "text" }), 400, "validation_error");
    await expectProblem(await org.json("GET", `${base}/twice/result`), 409, "subagent_idle");
    await expectProblem(await org.json("GET", `${base}/twice/stream`), 409, "subagent_idle");
  });

  it("keeps subagents private to the organization (404 on all eight operations)", async () => {
    const { org, h, agent, base } = await setup();
    const sub = await spawn(org, base, { name: "mine", model: "scripted/echo" });
    await org.json("POST", `${base}/${sub.id}/delegate`, { task: "hello" });
    const other = await newOrg();
    await expectProblem(await other.json("GET", base), 404, "harness_not_found");
    const same = await newHarness(other, { id: h.id });
    const theirs = `/v1/harnesses/${same.id}/agents/${agent.id}/subagents`;
    for (const [method, path, body] of [
      ["GET", "", undefined],
      ["POST", "", { name: "x", description: "y" }],
      ["GET", `/${sub.id}`, undefined],
      ["DELETE", `/${sub.id}`, undefined],
      ["POST", `/${sub.id}/delegate`, { task: "steal" }],
      ["POST", `/${sub.id}/delegate/stream`, { task: "steal" }],
      ["GET", `/${sub.id}/result`, undefined],
      ["GET", `/${sub.id}/stream`, undefined],
    ] as const) {
      await expectProblem(await other.json(method, `${theirs}${path}`, body), 404, "agent_not_found");
    }
    expect((await org.json("GET", `${base}/${sub.id}`)).body.subagent.status).toBe("completed");
  });
});

describe("delegating to a subagent", () => {
  it("delegate waits and answers; the task is an execution linked to the subagent, with result and a resumable stream", async () => {
    const { org, h, base } = await setup();
    const sub = await spawn(org, base, { name: "echoer", model: "scripted/echo" });
    const res = await org.json("POST", `${base}/${sub.id}/delegate`, { task: "summarize the report", context: { quarter: "Q3" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "completed",
      finished: true,
      output: "Echo: summarize the report",
      subagent_id: sub.id,
      error: null,
    });
    const id = res.body.execution_id;
    expect(res.headers.get("x-execution-id")).toBe(id);
    expect(res.body.stream_url).toMatch(new RegExp(`/executions/${id}/stream$`));
    expect(await execution(org, h.id, id)).toMatchObject({
      status: "completed",
      subagent_id: sub.id,
      parent_execution_id: null,
      model: "scripted/echo",
    });
    const listed = await org.json("GET", `/v1/harnesses/${h.id}/executions?subagent_id=${sub.id}`);
    expect(listed.body.data.map((e: any) => e.id)).toEqual([id]);
    expect((await org.json("GET", `${base}/${sub.id}`)).body.subagent).toMatchObject({
      status: "completed",
      last_execution_id: id,
      last_execution_status: "completed",
    });
    const result = await org.json("GET", `${base}/${sub.id}/result`);
    expect(result.body.result).toMatchObject({ execution_id: id, status: "completed", output: "Echo: summarize the report" });
    const all = await readSse(await org.fetch(`${base}/${sub.id}/stream`));
    expect(all.at(-1)!.data.type).toBe("done");
    const rest = await readSse(await org.fetch(`${base}/${sub.id}/stream`, { headers: { "last-event-id": all[1]!.id! } }));
    expect(rest.map((f) => f.id)).toEqual(all.slice(2).map((f) => f.id));
    const malformed = await expectProblem(
      await org.json("GET", `${base}/${sub.id}/stream`, undefined, { "last-event-id": "abc" }),
      400,
      "validation_error",
    );
    expect(malformed.error.details.field).toBe("header.last-event-id");
  });

  it("delegateStream streams the task; a slow task answers 202 with a clear timeout, 409 while busy and for its result", async () => {
    const { org, h, base } = await setup();
    const fast = await spawn(org, base, { name: "fast", model: "scripted/echo" });
    const streamed = await org.fetch(`${base}/${fast.id}/delegate/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "stream me" }),
    });
    expect(streamed.status).toBe(200);
    const frames = await readSse(streamed);
    expect(
      frames
        .filter((f) => f.data.type === "text")
        .map((f) => f.data.content)
        .join(""),
    ).toBe("Echo: stream me");
    expect(frames.at(-1)!.data.type).toBe("done");
    expect((await execution(org, h.id, streamed.headers.get("x-execution-id")!)).subagent_id).toBe(fast.id);

    const slow = await spawn(org, base, { name: "slow", model: "scripted/count" });
    const res = await org.json("POST", `${base}/${slow.id}/delegate`, { task: "count to 60 every 20ms", wait_seconds: 0 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ finished: false, subagent_id: slow.id });
    expect(["pending", "running"]).toContain(res.body.status);
    expect((await org.json("GET", `${base}/${slow.id}`)).body.subagent.status).toBe("running");
    await expectProblem(await org.json("GET", `${base}/${slow.id}/result`), 409, "execution_running");
    await expectProblem(await org.json("POST", `${base}/${slow.id}/delegate`, { task: "again" }), 409, "subagent_busy");
    // Follow it to the end through the subagent's stream, then its result is there.
    const followed = await readSse(await org.fetch(`${base}/${slow.id}/stream`));
    expect(followed.at(-1)!.data.type).toBe("done");
    await waitFor("result", async () => ((await org.json("GET", `${base}/${slow.id}/result`)).status === 200 ? true : undefined));
    expect((await org.json("POST", `${base}/${slow.id}/delegate`, { task: "count to 2" })).body.output).toBe("1 2");
  });

  it("terminate cancels a running task and removes the subagent; states agree within 5 s", async () => {
    const { org, h, base } = await setup();
    const slow = await spawn(org, base, { name: "slow", model: "scripted/count" });
    const res = await org.json("POST", `${base}/${slow.id}/delegate`, { task: "count to 500 every 20ms", wait_seconds: 0 });
    const id = res.body.execution_id;
    expect((await org.fetch(`${base}/${slow.id}`, { method: "DELETE" })).status).toBe(204);
    const done = await waitFor("the task cancelled", async () => {
      const e = await execution(org, h.id, id);
      return e.status === "cancelled" ? e : undefined;
    });
    expect(done).toMatchObject({ subagent_id: slow.id, error_code: "cancelled" });
    await expectProblem(await org.json("GET", `${base}/${slow.id}`), 404, "subagent_not_found");
    const frames = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${id}/stream`));
    expect(frames.at(-1)!.data).toMatchObject({ type: "error", code: "cancelled" });
  });

  it("runs with the subagent's own instructions, model and tool subset — on the wire", async () => {
    const { org, h, agent, base } = await setup(undefined, { capability_refs: [{ ref: "current_time" }, { ref: "workspace_files" }] });
    await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "openai",
      api_key: SIM_OPENAI_KEY,
      base_url: `${SIM}/openai/v1`,
      store: true,
    });
    const marker = `subagent-${crypto.randomUUID().slice(0, 8)}`;
    const sub = await spawn(org, base, {
      name: "timer",
      system_prompt: `You are ${marker}.`,
      model: "openai/gpt-4o-mini",
      tools: ["current_time"],
    });
    const res = await org.json("POST", `${base}/${sub.id}/delegate`, { task: "please use current_time" });
    expect(res.body).toMatchObject({ status: "completed", output: expect.stringContaining("Tool result received") });
    const requests = ((await (await fetch(`${SIM}/__requests`)).json()) as any[]).filter(
      (r) => r.path === "/openai/v1/chat/completions" && JSON.stringify(r.body).includes(marker),
    );
    expect(requests).toHaveLength(2);
    const system = requests[0].body.messages.find((m: any) => m.role === "system").content;
    expect(system).toContain(`You are ${marker}.`);
    // The subagent's instructions stand in for the agent's (the agent's AGENTS.md body is not there).
    expect(system).not.toContain("You help with tests.");
    expect(requests[0].body.model).toBe("gpt-4o-mini");
    expect(requests[0].body.tools.map((t: any) => t.function.name)).toEqual(["current_time"]);
    expect((await execution(org, h.id, res.body.execution_id)).agent_id).toBe(agent.id);
  });
});

/** An organization with a harness whose model delegates (`scripted/delegator`, the subagents ref with `config`) and an agent. */
async function parentSetup(config: Record<string, unknown> = {}) {
  const org = await newOrg();
  const h = await newHarness(org, {
    default_model_id: "scripted/delegator",
    capability_refs: [{ ref: "subagents", config }, { ref: "current_time" }],
  });
  const agent = await newAgent(org, h.id);
  return { org, h, agent, base: `/v1/harnesses/${h.id}/agents/${agent.id}/subagents` };
}

describe("the model delegates with the task tool", () => {
  it("hands a task to a subagent (SUB-03/04); the child is linked to the parent and charged to the same caller", async () => {
    const { org, h, agent, base } = await parentSetup();
    await spawn(org, base, { name: "calculator", description: "Computes things.", model: "scripted/echo" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, {
      message: "Use the calculator subagent to compute 15 * 7",
      agent_id: agent.id,
    });
    const parentId = res.body.execution_id;
    const result = await waitFor(
      "parent result",
      async () => {
        const r = await org.json("GET", `/v1/harnesses/${h.id}/executions/${parentId}/result`);
        return r.status === 200 ? r.body.result : undefined;
      },
      15_000,
    );
    expect(result).toMatchObject({ status: "completed", output: "calculator answered: Echo: compute 15 * 7" });
    expect(result.tool_calls).toMatchObject([{ name: "task", success: true }]);
    const children = (await org.json("GET", `/v1/harnesses/${h.id}/executions?parent_execution_id=${parentId}`)).body.data;
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({
      parent_execution_id: parentId,
      status: "completed",
      agent_id: agent.id,
      subagent_id: expect.stringMatching(/^sub_/),
    });
    const usage = (await org.json("GET", "/api/v1/usage")).body;
    expect(usage.today.requests.caller).toBe(1);
    expect(usage.data.map((r: any) => r.execution_id).sort()).toEqual([parentId, children[0].id].sort());
    expect(new Set(usage.data.map((r: any) => r.subject)).size).toBe(1);
  });

  it("streams a delegating run to done (SUB-05), and a subagent cannot delegate further by default", async () => {
    const { org, h, agent, base } = await parentSetup();
    await spawn(org, base, { name: "helper", model: "scripted/delegator" });
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Ask the helper subagent to ask helper to say hello", agent_id: agent.id }),
    });
    const frames = await readSse(res);
    expect(frames.at(-1)!.data.type).toBe("done");
    const text = frames
      .filter((f) => f.data.type === "text")
      .map((f) => f.data.content)
      .join("");
    // The child (depth 1) has no task tool: it says it could not delegate.
    expect(text).toContain("helper answered: The subagent could not do it:");
    expect(text).toContain("unavailable tool 'task'");
  });

  it("a subagent without a model of its own uses the delegating run's model, not the agent's", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/echo", capability_refs: [{ ref: "subagents" }] });
    // The agent's own model (haiku) is not available here: the run and its subagent must not need it.
    const agent = await newAgent(org, h.id, { model: "haiku" });
    await spawn(org, `/v1/harnesses/${h.id}/agents/${agent.id}/subagents`, { name: "plain" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, {
      message: "ask plain to say hi",
      agent_id: agent.id,
      model: "scripted/delegator",
    });
    const result = await waitFor(
      "result",
      async () => {
        const r = await org.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/result`);
        return r.status === 200 ? r.body.result : undefined;
      },
      15_000,
    );
    expect(result.output).toBe('plain answered: Say "ask <subagent> to <task>" and I will delegate it.');
    const child = (await org.json("GET", `/v1/harnesses/${h.id}/executions?parent_execution_id=${res.body.execution_id}`)).body.data[0];
    expect(child.model).toBe("scripted/delegator");
    // Delegated by a client, the agent's model applies (and is not available: a clear 400).
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/agents/${agent.id}/subagents/plain/delegate`, { task: "x" }),
      400,
      "model_not_available",
    );
    expect((await org.json("GET", `/v1/harnesses/${h.id}/agents/${agent.id}/subagents/plain`)).body.subagent.status).toBe("completed");
  });

  it("charges delegation to the organization's budget: once its tokens are spent, a run's task is refused (429 to the model)", async () => {
    const { org, h, agent, base } = await parentSetup();
    await spawn(org, base, { name: "helper", model: "scripted/echo" });
    const first = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "ask helper to warm up", agent_id: agent.id });
    await waitFor("first run", async () =>
      (await execution(org, h.id, first.body.execution_id)).status === "completed" ? true : undefined,
    );
    expect((await org.json("PATCH", "/api/v1/organization/limits", { daily_token_budget: 1 })).status).toBe(200);
    // The same path the task tool takes inside a run that started before the budget ran out.
    const port = createSubagentPort(internalServiceContext(env, { orgId: org.orgId, subject: `execution:${first.body.execution_id}` }));
    await expect(
      port.runTask(
        { harnessId: h.id, agentId: agent.id },
        {
          subagent: "helper",
          task: "one more",
          parent: { executionId: first.body.execution_id, depth: 0, metering: { subject: "someone", surface: "execution" } },
          waitSeconds: 1,
        },
      ),
    ).rejects.toMatchObject({ name: "ToolError", code: "rate_limited" });
    // Nothing was started, and the subagent was not left claimed.
    expect(
      (await org.json("GET", `/v1/harnesses/${h.id}/executions?subagent_id=${(await org.json("GET", `${base}/helper`)).body.subagent.id}`))
        .body.total,
    ).toBe(1);
    expect((await org.json("GET", `${base}/helper`)).body.subagent.status).toBe("completed");
  });

  it("refuses tasks on an archived harness (409), while its subagents stay readable", async () => {
    const { org, h, base } = await parentSetup();
    const sub = await spawn(org, base, { name: "helper", model: "scripted/echo" });
    const uid = (await org.json("GET", `/v1/harnesses/${h.id}`)).body.harness.uid;
    expect((await org.json("PATCH", `/api/v1/harnesses/${uid}`, { status: "archived" })).status).toBe(200);
    await expectProblem(await org.json("POST", `${base}/${sub.id}/delegate`, { task: "x" }), 409, "harness_archived");
    expect((await org.json("GET", `${base}/${sub.id}`)).body.subagent.status).toBe("idle");
  });

  it("nests as deep as max_depth allows", async () => {
    const { org, h, agent, base } = await parentSetup({ max_depth: 2 });
    await spawn(org, base, { name: "middle", model: "scripted/delegator" });
    await spawn(org, base, { name: "leaf", model: "scripted/echo" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "ask middle to ask leaf to wave", agent_id: agent.id });
    const result = await waitFor(
      "result",
      async () => {
        const r = await org.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/result`);
        return r.status === 200 ? r.body.result : undefined;
      },
      15_000,
    );
    expect(result.output).toBe("middle answered: leaf answered: Echo: wave");
  });

  it("cancelling the parent cancels its running subagent task; the parent's tool call ends failed (within 5 s)", async () => {
    const { org, h, agent, base } = await parentSetup();
    await spawn(org, base, { name: "slow", model: "scripted/count" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, {
      message: "ask slow to count to 1000 every 20ms",
      agent_id: agent.id,
    });
    const parentId = res.body.execution_id;
    const child = await waitFor("child running", async () => {
      const data = (await org.json("GET", `/v1/harnesses/${h.id}/executions?parent_execution_id=${parentId}`)).body.data;
      return data[0]?.status === "running" ? data[0] : undefined;
    });
    expect((await org.json("POST", `/v1/harnesses/${h.id}/executions/${parentId}/cancel`)).body.cancelled).toBe(true);
    await waitFor("parent and child cancelled", async () => {
      const [p, c] = [await execution(org, h.id, parentId), await execution(org, h.id, child.id)];
      return p.status === "cancelled" && c.status === "cancelled" ? true : undefined;
    });
    const calls = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${parentId}/tool-calls`)).body.tool_calls;
    expect(calls).toMatchObject([{ name: "task", status: "failed", error: expect.stringContaining("cancelled") }]);
    expect((await org.json("GET", `${base}/slow`)).body.subagent.status).toBe("failed");
    const frames = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${parentId}/stream`));
    expect(frames.at(-2)!.data).toMatchObject({ type: "tool_result", success: false });
    expect(frames.at(-1)!.data).toMatchObject({ type: "error", code: "cancelled" });
  });

  it("terminating a subagent mid-task fails the parent's tool call and the parent carries on (within 5 s)", async () => {
    const { org, h, agent, base } = await parentSetup();
    const slow = await spawn(org, base, { name: "slow", model: "scripted/count" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, {
      message: "ask slow to count to 1000 every 20ms",
      agent_id: agent.id,
    });
    const parentId = res.body.execution_id;
    const child = await waitFor("child running", async () => {
      const data = (await org.json("GET", `/v1/harnesses/${h.id}/executions?parent_execution_id=${parentId}`)).body.data;
      return data[0]?.status === "running" ? data[0] : undefined;
    });
    expect((await org.fetch(`${base}/${slow.id}`, { method: "DELETE" })).status).toBe(204);
    const result = await waitFor("parent finished", async () => {
      const r = await org.json("GET", `/v1/harnesses/${h.id}/executions/${parentId}/result`);
      return r.status === 200 ? r.body.result : undefined;
    });
    expect(result.status).toBe("completed");
    expect(result.output).toContain("subagent_task_cancelled");
    expect(result.tool_calls).toMatchObject([{ name: "task", success: false }]);
    expect((await execution(org, h.id, child.id)).status).toBe("cancelled");
  });
});

describe("delegate_task is a delegated run too", () => {
  it("links the specialist's run to the assistant turn that delegated it, and cancels it with that turn", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/assistant", capability_refs: [{ ref: "delegate_task" }] });
    await newHarness(org, { id: "counter", default_model_id: "scripted/count" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "ask counter to count to 1000 every 20ms" });
    const parentId = res.body.execution_id;
    const child = await waitFor("specialist running", async () => {
      const data = (await org.json("GET", `/v1/harnesses/counter/executions?parent_execution_id=${parentId}`)).body.data;
      return data[0]?.status === "running" ? data[0] : undefined;
    });
    expect(child).toMatchObject({ parent_execution_id: parentId, subagent_id: null });
    await org.json("POST", `/v1/harnesses/${h.id}/executions/${parentId}/cancel`);
    await waitFor("specialist cancelled", async () =>
      (await execution(org, "counter", child.id)).status === "cancelled" ? true : undefined,
    );
    expect((await execution(org, h.id, parentId)).status).toBe("cancelled");
  });
});
