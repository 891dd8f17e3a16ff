/**
 * Open Harness domain 12 — Planning & Tasks: one plan per execution, kept by its `ExecutionRun` (it
 * survives eviction and resume), written by the model's `write_todos` and by planning.update/updateTask,
 * streamed as `task.*` / `plan.reordered` events resumable with Last-Event-ID, and reported as `progress`.
 */
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ExecutionRun } from "../../durable-objects/execution-run/execution-run.do.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";
import { waitForResult } from "../helpers/executions.ts";

function runStub(executionId: string) {
  return env.EXECUTION_RUN.get(env.EXECUTION_RUN.idFromName(executionId));
}

async function plannerHarness(org: TestOrg) {
  return newHarness(org, { default_model_id: "scripted/planner", capability_refs: [{ ref: "planning" }] });
}

/** A finished execution with an empty plan (planning.* work on any execution). */
async function finishedExecution(org: TestOrg) {
  const h = await newHarness(org);
  const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello" });
  await waitForResult(org, h.id, started.body.execution_id);
  return { h, id: started.body.execution_id as string, base: `/v1/harnesses/${h.id}/executions/${started.body.execution_id}/plan` };
}

describe("the model's plan (write_todos)", () => {
  it("writes and works through a plan; planning.get, the plan stream and progress events show it", async () => {
    const org = await newOrg();
    const h = await plannerHarness(org);
    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Create a 3-step plan and work through each step" }),
    });
    const id = res.headers.get("x-execution-id")!;
    const frames = await readSse(res);
    expect(frames.at(-1)!.data.type).toBe("done");
    const plan = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/plan`)).body.plan;
    expect(plan).toMatchObject({ execution_id: id, updated_at: expect.any(String) });
    expect(plan.tasks.map((t: any) => [t.content, t.status, t.order])).toEqual([
      ["Research topic", "completed", 1],
      ["Write draft", "completed", 2],
      ["Review and edit", "completed", 3],
    ]);
    // PLN-06: progress events reflect the plan as steps complete.
    const progress = frames.filter((f) => f.data.type === "progress" && f.data.total_steps === 3).map((f) => f.data);
    expect(progress.map((p) => p.step_number)).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    expect(progress.find((p) => p.step_number === 1)).toMatchObject({ percentage: 33 });
    expect(progress.some((p) => p.step === "plan: Write draft")).toBe(true);
    // The plan stream replays every change: three additions, then one update per status change.
    const events = await readSse(await org.fetch(`/v1/harnesses/${h.id}/executions/${id}/plan/stream`));
    expect(events.map((e) => e.data.type)).toEqual([
      "task.added",
      "task.added",
      "task.added",
      "task.updated",
      "task.updated",
      "task.updated",
      "task.updated",
      "task.updated",
    ]);
    for (const e of events) expect(e.event).toBe(e.data.type);
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    // Status vocabulary (PLN-07).
    for (const e of events.filter((x) => x.data.task)) expect(["pending", "in_progress", "completed"]).toContain(e.data.task.status);
    const ids = plan.tasks.map((t: any) => t.id);
    expect(events.slice(0, 3).map((e) => e.data.task.id)).toEqual(ids);
  });

  it("keeps the plan when the run is evicted and resumed mid-plan, and goes on from it", async () => {
    const org = await newOrg();
    const h = await plannerHarness(org);
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "plan: alpha; beta; gamma, slowly" });
    const id = started.body.execution_id;
    const base = `/v1/harnesses/${h.id}/executions/${id}/plan`;
    for (let i = 0; i < 400; i++) {
      const tasks = (await org.json("GET", `${base}/tasks?status=completed`)).body.tasks;
      if (tasks.length >= 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const before = (await org.json("GET", base)).body.plan;
    expect(before.tasks).toHaveLength(3);
    // Kill the object mid-run (storage survives), then let its heartbeat alarm resume it.
    await abortAllDurableObjects();
    expect((await org.json("GET", base)).body.plan.tasks).toEqual(before.tasks);
    await runDurableObjectAlarm(runStub(id));
    const result = await waitForResult(org, h.id, id);
    expect(result.status).toBe("completed");
    expect(result.output).toContain("Plan done: 3 of 3 tasks completed.");
    const after = (await org.json("GET", base)).body.plan;
    expect(after.tasks.map((t: any) => t.id)).toEqual(before.tasks.map((t: any) => t.id));
    expect(after.tasks.every((t: any) => t.status === "completed")).toBe(true);
    const events = await readSse(await org.fetch(`${base}/stream`));
    expect(events.filter((e) => e.data.type === "task.added")).toHaveLength(3);
  });

  it("streams plan events live and ends the stream when the run finishes", async () => {
    const org = await newOrg();
    const h = await plannerHarness(org);
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "plan: one; two, slowly" });
    const res = await org.fetch(`/v1/harnesses/${h.id}/executions/${started.body.execution_id}/plan/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSse(res);
    expect(events.map((e) => e.data.type)).toEqual(["task.added", "task.added", "task.updated", "task.updated", "task.updated"]);
  });
});

describe("planning.update, listTasks and updateTask", () => {
  it("adds, updates and clears tasks on any execution (PLN-01…03), with the diff on the stream", async () => {
    const org = await newOrg();
    const { base } = await finishedExecution(org);
    expect((await org.json("GET", base)).body.plan.tasks).toEqual([]);
    const added = await org.json("PATCH", base, { tasks: [{ content: "Test conformance task" }] });
    expect(added.status).toBe(200);
    const task = added.body.plan.tasks[0];
    expect(task).toMatchObject({ id: expect.stringMatching(/^task_/), content: "Test conformance task", status: "pending", order: 1 });
    expect((await org.json("GET", `${base}/tasks`)).body.tasks).toEqual([task]);
    const done = await org.json("PATCH", `${base}/tasks/${task.id}`, { status: "completed" });
    expect(done.body.task).toMatchObject({ id: task.id, status: "completed" });
    const three = await org.json("PATCH", base, {
      tasks: [{ id: task.id, content: task.content }, { content: "Second" }, { id: "my-own-id", content: "Third", status: "in_progress" }],
    });
    expect(three.body.plan.tasks.map((t: any) => [t.id === task.id ? "kept" : t.id, t.status])).toEqual([
      ["kept", "completed"],
      [expect.stringMatching(/^task_/), "pending"],
      ["my-own-id", "in_progress"],
    ]);
    expect((await org.json("GET", `${base}/tasks?status=in_progress`)).body.tasks.map((t: any) => t.id)).toEqual(["my-own-id"]);
    expect((await org.json("PATCH", base, { tasks: [] })).body.plan.tasks).toEqual([]);
    expect((await org.json("GET", `${base}/tasks`)).body.tasks).toEqual([]);
    const events = (await readSse(await org.fetch(`${base}/stream`))).map((e) => e.data);
    expect(events.map((e) => e.type)).toEqual([
      "task.added",
      "task.updated",
      "task.added",
      "task.added",
      "task.removed",
      "task.removed",
      "task.removed",
    ]);
    expect(events[4]).toEqual({ type: "task.removed", task_id: task.id });
  });

  it("removes, reorders and inserts incrementally; plan.reordered carries the new order; resumes with Last-Event-ID", async () => {
    const org = await newOrg();
    const { base } = await finishedExecution(org);
    await org.json("PATCH", base, {
      tasks: [
        { id: "a", content: "A" },
        { id: "b", content: "B" },
        { id: "c", content: "C" },
      ],
    });
    const reordered = await org.json("PATCH", base, { order: ["c", "a", "b"] });
    expect(reordered.body.plan.tasks.map((t: any) => [t.id, t.order])).toEqual([
      ["c", 1],
      ["a", 2],
      ["b", 3],
    ]);
    // b keeps position 3: no plan.reordered needed for that change.
    await org.json("PATCH", base, { remove: ["a"], add: [{ id: "x", content: "X", after: "c" }] });
    const changed = await org.json("PATCH", base, { remove: ["c"], add: [{ content: "Last" }] });
    expect(changed.body.plan.tasks.map((t: any) => [t.content, t.order])).toEqual([
      ["X", 1],
      ["B", 2],
      ["Last", 3],
    ]);
    const all = await readSse(await org.fetch(`${base}/stream`));
    expect(all.map((e) => e.data.type)).toEqual([
      "task.added",
      "task.added",
      "task.added",
      "plan.reordered",
      "task.removed",
      "task.added",
      "task.removed",
      "task.added",
      "plan.reordered",
    ]);
    expect(all[3]!.data).toEqual({ type: "plan.reordered", task_ids: ["c", "a", "b"] });
    expect(all.at(-1)!.data.task_ids).toEqual(changed.body.plan.tasks.map((t: any) => t.id));
    const rest = await readSse(await org.fetch(`${base}/stream`, { headers: { "last-event-id": all[3]!.id! } }));
    expect(rest.map((e) => e.id)).toEqual(all.slice(4).map((e) => e.id));
    // Sorting by `order` in the request.
    const sorted = await org.json("PATCH", base, {
      tasks: [
        { content: "two", order: 2 },
        { content: "one", order: 1 },
      ],
    });
    expect(sorted.body.plan.tasks.map((t: any) => t.content)).toEqual(["one", "two"]);
  });

  it("answers bad input with problems and leaves the plan as it was", async () => {
    const org = await newOrg();
    const { base } = await finishedExecution(org);
    await org.json("PATCH", base, {
      tasks: [
        { id: "a", content: "A" },
        { id: "b", content: "B" },
      ],
    });
    const before = (await org.json("GET", base)).body.plan;
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const problem = await expectProblem(await org.json(method, `${base}${path}`, body), 400, "validation_error");
      expect(problem.error.details.field).toBe(field);
    };
    await bad("PATCH", "", { tasks: [{ content: "" }] }, "body.tasks[0].content");
    await bad("PATCH", "", { tasks: [{ content: "x", status: "done" }] }, "body.tasks[0].status");
    await bad("PATCH", "", { tasks: [{ content: "x", colour: "red" }] }, "body.tasks[0].colour");
    await bad(
      "PATCH",
      "",
      {
        tasks: [
          { id: "a", content: "x" },
          { id: "a", content: "y" },
        ],
      },
      "body.tasks[1].id",
    );
    await bad("PATCH", "", { tasks: [], add: [{ content: "x" }] }, "body.tasks");
    await bad("PATCH", "", { order: ["a"] }, "body.order");
    await bad("PATCH", "", { tasks: Array.from({ length: 101 }, (_, i) => ({ content: `t${i}` })) }, "body.tasks");
    await bad("PATCH", "/tasks/a", {}, "body.status");
    await bad("PATCH", "/tasks/a", { content: "x".repeat(2001) }, "body.content");
    await expectProblem(await org.json("PATCH", base, { remove: ["nope"] }), 404, "plan_task_not_found");
    await expectProblem(await org.json("PATCH", base, { add: [{ content: "x", after: "nope" }] }), 404, "plan_task_not_found");
    await expectProblem(await org.json("PATCH", `${base}/tasks/nope`, { status: "completed" }), 404, "plan_task_not_found");
    await expectProblem(await org.json("GET", `${base}/tasks?status=done`), 400, "validation_error");
    expect((await org.json("GET", base)).body.plan).toEqual(before);
  });

  it("keeps plans private to the organization, and 404 for an unknown execution", async () => {
    const org = await newOrg();
    const { h, id, base } = await finishedExecution(org);
    await org.json("PATCH", base, { tasks: [{ id: "a", content: "mine" }] });
    const other = await newOrg();
    await expectProblem(await other.json("GET", base), 404, "harness_not_found");
    const same = await newHarness(other, { id: h.id });
    const theirs = `/v1/harnesses/${same.id}/executions/${id}/plan`;
    for (const [method, path, body] of [
      ["GET", "", undefined],
      ["PATCH", "", { tasks: [] }],
      ["GET", "/tasks", undefined],
      ["PATCH", "/tasks/a", { status: "completed" }],
      ["GET", "/stream", undefined],
    ] as const) {
      await expectProblem(await other.json(method, `${theirs}${path}`, body), 404, "execution_not_found");
    }
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/executions/exec_nope/plan`), 404, "execution_not_found");
    expect((await org.json("GET", base)).body.plan.tasks.map((t: any) => t.content)).toEqual(["mine"]);
  });

  it("answers 410 on the plan stream once the retention has passed, and keeps the plan", async () => {
    const org = await newOrg();
    const { id, base } = await finishedExecution(org);
    await org.json("PATCH", base, { tasks: [{ content: "kept" }] });
    const stub = runStub(id);
    await runInDurableObject(stub, (_instance: ExecutionRun, state) => {
      state.storage.sql.exec("UPDATE run SET completed_at = ? WHERE id = 1", new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString());
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expectProblem(await org.json("GET", `${base}/stream`), 410, "stream_expired");
    expect((await org.json("GET", base)).body.plan.tasks.map((t: any) => t.content)).toEqual(["kept"]);
    await expectProblem(await org.json("GET", `${base}/stream`, undefined, { "last-event-id": "x" }), 400, "validation_error");
  });
});
