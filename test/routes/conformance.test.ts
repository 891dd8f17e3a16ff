import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

const base = (h: string) => `/v1/harnesses/${h}/conformance`;

async function conformanceHarness(org: TestOrg) {
  return newHarness(org, {
    default_model_id: "scripted/conformance",
    capability_refs: [{ ref: "current_time" }, { ref: "workspace_files" }],
  });
}

describe("conformance.run / stream / results / status", () => {
  it("certifies a native harness over HTTP, streams the run resumably and records every outcome", async () => {
    const org = await newOrg();
    const h = await conformanceHarness(org);
    expect((await org.json("GET", `${base(h.id)}/status`)).body).toMatchObject({
      status: "not_tested",
      pass_rate: 0,
      spec_version: "0.2.0",
    });
    const started = await org.json("POST", `${base(h.id)}/run`, { categories: ["execution", "streaming", "tool_events", "cross_cutting"] });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ run_id: expect.stringMatching(/^crun_/), status: "running" });
    await expectProblem(await org.json("POST", `${base(h.id)}/run`, {}), 409, "conformance_running");

    const frames = await readSse(await org.fetch(`${base(h.id)}/run/stream?run_id=${started.body.run_id}`));
    expect(frames.at(-1)!.data).toMatchObject({ type: "done", result: { passed: expect.any(Number), failed: 0 } });
    const events = frames.map((f) => f.data.type);
    expect(events[0]).toBe("test.started");
    expect(events).toContain("progress");
    expect(frames.filter((f) => f.data.type === "test.passed").map((f) => f.data.test_id)).toEqual(
      expect.arrayContaining(["EXE-02", "STR-06", "TEV-05", "CC-06", "CC-07"]),
    );
    // Resuming after any event gives exactly the rest.
    const cut = frames[Math.floor(frames.length / 2)]!;
    const rest = await readSse(await org.fetch(`${base(h.id)}/run/stream`, { headers: { "last-event-id": cut.id! } }));
    expect(rest.map((f) => f.id)).toEqual(frames.filter((f) => Number(f.id) > Number(cut.id)).map((f) => f.id));

    const results = await org.json("GET", `${base(h.id)}/results`);
    expect(results.body).toMatchObject({ total: 1, has_more: false });
    const run = results.body.data[0];
    expect(run).toMatchObject({
      id: started.body.run_id,
      status: "completed",
      result: "pass",
      failed: 0,
      golden_rule_violations: 0,
      harness_version: "unversioned",
    });
    expect(run.tests.find((t: any) => t.id === "EXE-01")).toMatchObject({ status: "passed", category: "execution" });
    const categories = new Set(run.tests.map((t: any) => t.category));
    expect([...categories].sort()).toEqual(["cross_cutting", "execution", "streaming", "tool_events"]);
    expect((await org.json("GET", `${base(h.id)}/status`)).body).toMatchObject({
      status: "certified",
      certified_version: "unversioned",
      pass_rate: 1,
      golden_rule_compliant: true,
      run_id: started.body.run_id,
    });
  });

  it("reports failures with the observed exchange, and never certifies a failing harness", async () => {
    const org = await newOrg();
    // The echo model cannot do arithmetic: EXE-02 and CC-06 fail.
    const h = await newHarness(org, { default_model_id: "scripted/echo" });
    const started = await org.json("POST", `${base(h.id)}/run`, { categories: ["execution"], quick: true });
    await readSse(await org.fetch(`${base(h.id)}/run/stream`));
    const run = (await org.json("GET", `${base(h.id)}/results`)).body.data[0];
    expect(run).toMatchObject({ id: started.body.run_id, status: "completed", result: "partial" });
    const exe02 = run.tests.find((t: any) => t.id === "EXE-02");
    expect(exe02).toMatchObject({ status: "failed", error: expect.stringContaining("56") });
    expect(exe02.exchange).toMatchObject({ method: "GET", status: 200, url: expect.stringContaining("/result") });
    expect(run.tests.find((t: any) => t.id === "EXE-05")).toMatchObject({ status: "skipped", reason: expect.stringContaining("quick") });
    expect((await org.json("GET", `${base(h.id)}/status`)).body).toMatchObject({ status: "partial", golden_rule_compliant: true });
  });

  it("refuses bad input and other organizations", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const h = await conformanceHarness(a);
    const bad = await expectProblem(await a.json("POST", `${base(h.id)}/run`, { categories: ["nope"] }), 400, "validation_error");
    expect(bad.error.details.field).toContain("categories");
    await expectProblem(await a.json("POST", `${base(h.id)}/run`, { quick: true, extra: 1 }), 400, "validation_error");
    await expectProblem(await a.json("GET", `${base(h.id)}/run/stream`), 404, "conformance_run_not_found");
    await expectProblem(await a.json("GET", `${base(h.id)}/run/stream`, undefined, { "last-event-id": "-1" }), 400, "validation_error");
    for (const [method, path] of [
      ["POST", "/run"],
      ["GET", "/run/stream"],
      ["GET", "/results"],
      ["GET", "/status"],
    ] as const) {
      await expectProblem(await b.json(method, `${base(h.id)}${path}`, method === "POST" ? {} : undefined), 404, "harness_not_found");
    }
  });
});
