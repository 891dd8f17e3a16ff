import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ExecutionRun } from "../../durable-objects/execution-run/execution-run.do.ts";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";
import { waitForResult } from "../helpers/executions.ts";

/** The raw Durable Object stub (the cloudflare:test helpers need it). */
function runStub(executionId: string) {
  return env.EXECUTION_RUN.get(env.EXECUTION_RUN.idFromName(executionId));
}

describe("execution.run and execution.result", () => {
  it("runs the scripted echo model and returns the result", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello there" });
    expect(res.status).toBe(202);
    expect(res.body.execution_id).toMatch(/^exec_/);
    expect(res.headers.get("location")).toBe(`/v1/harnesses/${h.id}/executions/${res.body.execution_id}`);
    expect(res.headers.get("x-execution-id")).toBe(res.body.execution_id);
    expect(res.body.stream_url).toMatch(/\/stream$/);
    const result = await waitForResult(org, h.id, res.body.execution_id, { attempts: 200, assertPending: true });
    expect(result).toMatchObject({ status: "completed", output: "Echo: hello there", tool_calls: [], artifacts: [] });
    expect(result.usage.total_tokens).toBeGreaterThan(0);
    expect(result.metadata).toMatchObject({ model: "scripted/echo", scripted: true });
    const got = await org.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}`);
    expect(got.body.execution).toMatchObject({ id: res.body.execution_id, harness_id: h.id, status: "completed", model: "scripted/echo" });
  });

  it("runs tools, records tool calls and artifacts, and serves the artifact bytes", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/tools" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "use your tools" });
    const result = await waitForResult(org, h.id, res.body.execution_id, { attempts: 200, assertPending: true });
    expect(result.status).toBe("completed");
    expect(result.tool_calls.map((t: any) => [t.name, t.success])).toEqual([
      ["current_time", true],
      ["write_file", true],
      ["read_file", true],
      ["read_file", false],
    ]);
    const calls = await org.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/tool-calls`);
    expect(calls.body.tool_calls[3]).toMatchObject({ name: "read_file", status: "failed", error: expect.stringContaining("not found") });
    expect(calls.body.tool_calls[2].output.content).toBe("hello from the scripted model\n");
    const arts = await org.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/artifacts`);
    expect(arts.body.artifacts).toHaveLength(1);
    expect(arts.body.artifacts[0]).toMatchObject({ name: "hello.txt", path: "notes/hello.txt" });
    const dl = await org.fetch(`/v1/harnesses/${h.id}/executions/${res.body.execution_id}/artifacts/${arts.body.artifacts[0].id}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-disposition")).toContain('filename="hello.txt"');
    expect(await dl.text()).toBe("hello from the scripted model\n");
  });

  it("answers 409 for result while running and 409 for cancel after completion", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "count to 40 every 20ms" });
    await expectProblem(
      await org.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/result`),
      409,
      "execution_running",
    );
    const cancel = await org.json("POST", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.cancelled).toBe(true);
    const result = await waitForResult(org, h.id, res.body.execution_id, { attempts: 200, assertPending: true });
    expect(result.status).toBe("cancelled");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}/cancel`),
      409,
      "execution_finished",
    );
  });

  it("rejects bad input with problem bodies naming the field", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const empty = await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "" }), 400, "validation_error");
    expect(empty.error.details.field).toBe("body.message");
    const temp = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", temperature: 1.5 }),
      400,
      "validation_error",
    );
    expect(temp.error.details.field).toBe("body.temperature");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", max_tokens: 0 }), 400, "validation_error");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x".repeat(100_001) }), 400, "validation_error");
    const model = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", model: "anthropic/claude-sonnet-4-5" }),
      400,
      "model_not_available",
    );
    expect(model.detail).toContain("ANTHROPIC_API_KEY");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", model: "nope/whatever" }),
      400,
      "model_not_available",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", agent_id: "invalid-agent-id-xyz" }),
      404,
      "agent_not_found",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", session_id: "invalid-session" }),
      404,
      "session_not_found",
    );
    const list = await org.json("GET", `/v1/harnesses/${h.id}/executions`);
    expect(list.body.total).toBe(0);
  });

  it("keeps executions private to their organization", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const h = await newHarness(a);
    const res = await a.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "mine" });
    await waitForResult(a, h.id, res.body.execution_id, { attempts: 200, assertPending: true });
    await expectProblem(await b.json("GET", `/v1/harnesses/${h.id}/executions/${res.body.execution_id}`), 404, "harness_not_found");
    const hb = await newHarness(b, { id: h.id });
    for (const path of ["", "/result", "/tool-calls", "/artifacts", "/stream"]) {
      await expectProblem(
        await b.json("GET", `/v1/harnesses/${hb.id}/executions/${res.body.execution_id}${path}`),
        404,
        "execution_not_found",
      );
    }
    await expectProblem(
      await b.json("POST", `/v1/harnesses/${hb.id}/executions/${res.body.execution_id}/cancel`),
      404,
      "execution_not_found",
    );
  });
});

describe("execution.stream and execution.attachStream", () => {
  it("streams events with seq ids, type inside data, ending with done", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/tools" });
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "go" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const executionId = res.headers.get("x-execution-id")!;
    expect(executionId).toMatch(/^exec_/);
    const frames = await readSse(res);
    const ids = frames.map((f) => Number(f.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    for (const f of frames) expect(f.event).toBe(f.data.type);
    expect(frames.at(-1)!.data.type).toBe("done");
    const types = frames.map((f) => f.data.type);
    for (const t of ["text", "tool_call_start", "tool_call_delta", "tool_call_end", "tool_result", "artifact", "progress", "done"])
      expect(types).toContain(t);
    // Tool-call lifecycle: end and result follow start with the same id.
    const starts = frames.filter((f) => f.data.type === "tool_call_start");
    for (const s of starts) {
      const i = frames.indexOf(s);
      const end = frames.findIndex((f) => f.data.type === "tool_call_end" && f.data.id === s.data.id);
      const result = frames.findIndex((f) => f.data.type === "tool_result" && f.data.id === s.data.id);
      expect(end).toBeGreaterThan(i);
      expect(result).toBeGreaterThan(end);
    }
    const failed = frames.find((f) => f.data.type === "tool_result" && !f.data.success);
    expect(failed?.data.error).toContain("not found");
  });

  it("resumes after a disconnect with Last-Event-ID: no loss, no duplicates", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "count to 30 every 5ms" }),
    });
    const executionId = res.headers.get("x-execution-id")!;
    const first = await readSse(res, { max: 7 });
    expect(first).toHaveLength(7);
    const rest = await readSse(
      await org.fetch(`/v1/harnesses/${h.id}/executions/${executionId}/stream`, { headers: { "last-event-id": first.at(-1)!.id! } }),
    );
    const all = [...first, ...rest];
    expect(all.map((f) => Number(f.id))).toEqual(all.map((_, i) => i + 1));
    expect(
      all
        .filter((f) => f.data.type === "text")
        .map((f) => f.data.content)
        .join(""),
    ).toBe(Array.from({ length: 30 }, (_, i) => i + 1).join(" "));
    expect(all.at(-1)!.data.type).toBe("done");
    // A full replay from the start after completion yields the same log.
    const replay = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${executionId}/stream`));
    expect(replay.map((f) => f.id)).toEqual(all.map((f) => f.id));
  });

  it("answers 410 once the retention window has passed, but keeps the result", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "old news" }),
    });
    const executionId = res.headers.get("x-execution-id")!;
    await readSse(res);
    const stub = runStub(executionId);
    await runInDurableObject(stub, (_instance: ExecutionRun, state) => {
      state.storage.sql.exec("UPDATE run SET completed_at = ? WHERE id = 1", new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString());
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/executions/${executionId}/stream`), 410, "stream_expired");
    const result = await org.json("GET", `/v1/harnesses/${h.id}/executions/${executionId}/result`);
    expect(result.body.result.output).toBe("Echo: old news");
  });

  it("reports a provider failure as a final error event and a failed execution", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/fail" });
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "go" }),
    });
    const frames = await readSse(res);
    expect(frames.at(-1)!.data).toMatchObject({ type: "error", code: "model_error", recoverable: false });
    const result = await waitForResult(org, h.id, res.headers.get("x-execution-id")!, { attempts: 200, assertPending: true });
    expect(result.status).toBe("failed");
  });
});

describe("durability and resolution", () => {
  it("resumes an evicted run from its checkpoint without repeating finished tool calls", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/resumable" });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "go" });
    const id = res.body.execution_id;
    const stub = runStub(id);
    for (let i = 0; i < 200; i++) {
      const calls = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/tool-calls`)).body.tool_calls;
      if (calls.length === 2 && calls.every((c: any) => c.status === "completed")) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    // The model is now pausing in step 3: kill the object mid-step (storage survives), then let its
    // heartbeat alarm fire in a fresh instance.
    await abortAllDurableObjects();
    await runDurableObjectAlarm(stub);
    const result = await waitForResult(org, h.id, id, { attempts: 200, assertPending: true });
    expect(result.status).toBe("completed");
    expect(result.output).toBe("Finished after the pause.");
    expect(result.tool_calls.map((t: any) => [t.name, t.success])).toEqual([
      ["write_file", true],
      ["edit_file", true],
    ]);
    const frames = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${id}/stream`));
    expect(frames.find((f) => f.data.type === "error")?.data).toMatchObject({ code: "run_resumed", recoverable: true });
    expect(frames.filter((f) => f.data.type === "tool_result")).toHaveLength(2);
    expect(frames.at(-1)!.data.type).toBe("done");
  });

  it("names where the abandoned output of an interrupted model step began, so a client drops it once", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "count to 12 every 40ms" }),
    });
    const id = res.headers.get("x-execution-id")!;
    const before = await readSse(res, { max: 5 });
    expect(before.map((f) => f.data.type)).toEqual(["text", "text", "text", "text", "text"]);
    // Crash mid-step: the partial text "1 2 3 4 5" was sent; the resumed run counts again from 1.
    await abortAllDurableObjects();
    await runDurableObjectAlarm(runStub(id));
    await waitForResult(org, h.id, id, { attempts: 200, assertPending: true });
    const frames = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${id}/stream`));
    const resumed = frames.find((f) => f.data.code === "run_resumed")!;
    expect(resumed.data).toMatchObject({ type: "error", recoverable: true, abandoned_from_seq: Number(before[0]!.id) });
    const kept = frames.filter((f) => Number(f.id) < resumed.data.abandoned_from_seq || Number(f.id) > Number(resumed.id));
    const text = kept
      .filter((f) => f.data.type === "text")
      .map((f) => f.data.content)
      .join("");
    expect(text).toBe(Array.from({ length: 12 }, (_, i) => i + 1).join(" "));
    expect(frames.at(-1)!.data.type).toBe("done");
  });

  it("inherits the model and stacks system prompts from parent harnesses", async () => {
    const org = await newOrg();
    await newHarness(org, { id: "base", default_model_id: "scripted/demo", system_prompt: "# Base Persona" });
    await newHarness(org, { id: "child", default_model_id: null, parent_harness_id: "base", system_prompt: "Child rules." });
    const res = await org.json("POST", "/v1/harnesses/child/execute", { message: "hi" });
    const result = await waitForResult(org, "child", res.body.execution_id, { attempts: 200, assertPending: true });
    expect(result.metadata.model).toBe("scripted/demo");
    // The demo script names the first heading of the system prompt: the parent's comes first.
    expect(result.output).toContain("As Base Persona");
  });

  it("names the binding a workers-ai model needs", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const body = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "x", model: "workers-ai/@cf/meta/llama-3.1-8b-instruct" }),
      400,
      "model_not_available",
    );
    expect(body.detail).toContain("[ai] binding");
  });
});

describe("execution.list", () => {
  it("filters by status and since, newest first, with the spec envelope", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const before = new Date(Date.now() - 1000).toISOString();
    const ids: string[] = [];
    for (const message of ["one", "two", "three"]) {
      const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message });
      ids.push(res.body.execution_id);
      await waitForResult(org, h.id, res.body.execution_id, { attempts: 200, assertPending: true });
    }
    const page = await org.json("GET", `/v1/harnesses/${h.id}/executions?limit=2`);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0, has_more: true });
    expect(page.body.data.map((e: any) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page.body.data[0]).toMatchObject({ status: "completed", message: "three", usage: { total_tokens: expect.any(Number) } });
    expect((await org.json("GET", `/v1/harnesses/${h.id}/executions?status=completed`)).body.total).toBe(3);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/executions?status=running`)).body.total).toBe(0);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/executions?since=${encodeURIComponent(before)}`)).body.total).toBe(3);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/executions?since=2999-01-01T00:00:00Z`)).body.total).toBe(0);
    for (const bad of ["status=done", "since=yesterday", "limit=101", "offset=-1"]) {
      const body = await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/executions?${bad}`), 400, "validation_error");
      expect(body.error.details.field).toBe(`query.${bad.split("=")[0]}`);
    }
  });
});
