/**
 * Resume cursors of every SSE stream, tried as a client would: `?after=<seq>` (for clients that cannot set
 * headers) means what `Last-Event-ID` means on every stream, and a malformed one is a 400 problem naming
 * it — never a silent replay from the start.
 */
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";
import { waitForResult } from "../helpers/executions.ts";
import { readSse } from "../helpers/sse.ts";
import { connectWs } from "../helpers/ws.ts";

describe("?after=<seq> on the SSE streams", () => {
  it("is refused with a 400 naming query.after when it is not a seq", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello" });
    await waitForResult(org, h.id, started.body.execution_id);
    const execution = `/v1/harnesses/${h.id}/executions/${started.body.execution_id}`;
    const streams = [
      `${execution}/stream`,
      `${execution}/plan/stream`,
      `/v1/harnesses/${h.id}/events/stream`,
      `/v1/harnesses/${h.id}/logs/stream`,
      `/v1/harnesses/${h.id}/conformance/run/stream`,
    ];
    for (const path of streams) {
      for (const bad of ["abc", "-1", "1.5", ""]) {
        const problem = await expectProblem(await org.json("GET", `${path}?after=${bad}`), 400, "validation_error");
        expect(problem.error.details.field, `${path}?after=${bad}`).toBe("query.after");
      }
    }
    // The header wins over the query, as the event log reads them.
    const both = await readSse(await org.fetch(`${execution}/stream?after=abc`, { headers: { "last-event-id": "1" } }));
    expect(both[0]!.id).toBe("2");
  });

  it("resumes hooks.streamEvents and diagnostics.streamLogs strictly after it, like Last-Event-ID", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (let i = 0; i < 3; i++) expect((await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {})).status).toBe(201);
    for (const path of [`/v1/harnesses/${h.id}/events/stream`, `/v1/harnesses/${h.id}/logs/stream`]) {
      const frames = await readSse(await org.fetch(`${path}?after=2`), { max: 1 });
      expect(
        frames.map((f) => f.id),
        path,
      ).toEqual(["3"]);
    }
  });
});

describe("a cursor beyond the last event", () => {
  it("is a 400 naming the last seq on every stream, running or finished; the last seq itself is a valid cursor", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "count to 3" });
    await waitForResult(org, h.id, started.body.execution_id);
    const execution = `/v1/harnesses/${h.id}/executions/${started.body.execution_id}`;
    const all = await readSse(await org.fetch(`${execution}/stream`));
    const last = Number(all.at(-1)!.id);
    expect(await readSse(await org.fetch(`${execution}/stream`, { headers: { "last-event-id": String(last) } }))).toEqual([]);
    const beyond = await expectProblem(
      await org.json("GET", `${execution}/stream`, undefined, { "last-event-id": String(last + 1) }),
      400,
      "validation_error",
    );
    expect(beyond.error.details.last_seq).toBe(last);
    expect((await org.json("GET", `${execution}/stream?after=${last + 50}`)).status).toBe(400);
    // While a run is going on: refused, rather than sending live events the client claims to have.
    const running = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "count to 30 every 20ms" });
    const live = await org.json("GET", `/v1/harnesses/${h.id}/executions/${running.body.execution_id}/stream?after=1000`);
    expect((await expectProblem(live, 400, "validation_error")).error.details.last_seq).toBeLessThan(1000);
    await waitForResult(org, h.id, running.body.execution_id);

    await org.json("PATCH", `${execution}/plan`, { tasks: [{ id: "a", content: "A" }] });
    const plan = await expectProblem(await org.json("GET", `${execution}/plan/stream?after=2`), 400, "validation_error");
    expect(plan.error.details.last_seq).toBe(1);

    // The live tails: a cursor they never issued is refused with the last seq, which is itself accepted.
    for (const path of [`/v1/harnesses/${h.id}/events/stream`, `/v1/harnesses/${h.id}/logs/stream`]) {
      const problem = await expectProblem(await org.json("GET", path, undefined, { "last-event-id": "1000000" }), 400, "validation_error");
      const tail = problem.error.details.last_seq;
      expect(tail, path).toBeGreaterThan(0);
      const events = await readSse(await org.fetch(path, { headers: { "last-event-id": String(tail - 1) } }), { max: 1 });
      expect(
        events.map((e) => Number(e.id)),
        path,
      ).toEqual([tail]);
    }
  });
});

describe("sessions.connect ?after= beyond the last message", () => {
  it("is a 400 naming the last seq, instead of a socket that gets messages it claims to have", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/count" });
    const created = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
    const connect = `/v1/harnesses/${h.id}/sessions/${created.body.session.id}/connect`;
    const a = await connectWs(org, connect);
    a.send({ type: "message", id: "t1", content: "count to 3" });
    const turn = await a.until((f) => f.type === "done");
    a.close();
    const last = turn.at(-1).seq;
    const res = await org.fetch(`${connect}?after=${last + 10}`, { headers: { upgrade: "websocket" } });
    const body = await res.json();
    await expectProblem({ status: res.status, headers: res.headers, body }, 400, "validation_error");
    expect((body as any).error.details.last_seq).toBe(last);
    // The last seq itself is a valid cursor: nothing is replayed, the next turn arrives live.
    const b = await connectWs(org, `${connect}?after=${last}`);
    b.send({ type: "message", id: "t2", content: "count to 2" });
    const next = await b.until((f) => f.type === "done");
    expect(next.map((f) => f.seq)).toEqual(next.map((_, i) => last + 1 + i));
    b.close();
  });
});
