import { describe, expect, it, vi } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

async function newSession(org: TestOrg, harness: string): Promise<string> {
  const res = await org.json("POST", `/v1/harnesses/${harness}/sessions`, {});
  expect(res.status).toBe(201);
  return res.body.session.id;
}

function stream(org: TestOrg, harness: string, query = "", headers: Record<string, string> = {}) {
  return org.fetch(`/v1/harnesses/${harness}/events/stream${query}`, { headers });
}

describe("hooks.listEvents", () => {
  it("pages the recorded events newest first, by type and since; StoredEvent ids are the stream's seqs", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const sessions = [await newSession(org, h.id), await newSession(org, h.id), await newSession(org, h.id)];
    expect((await org.fetch(`/v1/harnesses/${h.id}/sessions/${sessions[0]}`, { method: "DELETE" })).status).toBe(204);
    const all = await org.json("GET", `/v1/harnesses/${h.id}/events?limit=2`);
    expect(all.body).toMatchObject({ total: 4, limit: 2, offset: 0, has_more: true });
    expect(all.body.data).toEqual([
      { id: "4", type: "session.ended", data: { type: "session.ended", session_id: sessions[0] }, timestamp: expect.any(String) },
      { id: "3", type: "session.created", data: { type: "session.created", session_id: sessions[2] }, timestamp: expect.any(String) },
    ]);
    const next = await org.json("GET", `/v1/harnesses/${h.id}/events?cursor=${all.body.cursor}&limit=2`);
    expect(next.body.data.map((e: any) => e.id)).toEqual(["2", "1"]);
    const ended = await org.json("GET", `/v1/harnesses/${h.id}/events?type=session.ended`);
    expect(ended.body.data.map((e: any) => e.id)).toEqual(["4"]);
    const since = await org.json("GET", `/v1/harnesses/${h.id}/events?since=${encodeURIComponent(all.body.data[1].timestamp)}`);
    expect(since.body.data.every((e: any) => e.timestamp > all.body.data[1].timestamp)).toBe(true);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/events?type=nope`), 400, "validation_error");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/events?limit=101`), 400, "validation_error");
    await expectProblem(await (await newOrg()).json("GET", `/v1/harnesses/${h.id}/events`), 404, "harness_not_found");
  });

  it("records execution.started and execution.completed of a run", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello" });
    await vi.waitFor(
      async () => {
        const events = await org.json("GET", `/v1/harnesses/${h.id}/events`);
        expect(events.body.data.map((e: any) => e.data)).toEqual([
          { type: "execution.completed", execution_id: started.body.execution_id, status: "completed", session_id: null },
          { type: "execution.started", execution_id: started.body.execution_id, agent_id: null, session_id: null },
        ]);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

describe("hooks.streamEvents", () => {
  it("resumes exactly after Last-Event-ID at every point, then follows live events without a gap", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (let i = 0; i < 3; i++) await newSession(org, h.id);
    for (let k = 0; k <= 3 + 1; k++) {
      const last = 3 + k; // one more event per round
      const open = await stream(org, h.id, "", { "last-event-id": String(k) });
      expect(open.status).toBe(200);
      expect(open.headers.get("content-type")).toContain("text/event-stream");
      const live = await newSession(org, h.id);
      const frames = await readSse(open, { max: last - k + 1 });
      expect(frames.map((f) => Number(f.id))).toEqual(Array.from({ length: last - k + 1 }, (_, i) => k + 1 + i));
      expect(frames.at(-1)).toMatchObject({ event: "session.created", data: { type: "session.created", session_id: live } });
    }
  });

  it("filters by type with repeated keys or a comma list, also as POST with a JSON body (§9.1 #3)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const a = await newSession(org, h.id);
    await org.fetch(`/v1/harnesses/${h.id}/sessions/${a}`, { method: "DELETE" });
    const b = await newSession(org, h.id);
    await org.fetch(`/v1/harnesses/${h.id}/sessions/${b}`, { method: "DELETE" });
    const ended = await readSse(await stream(org, h.id, "?events=session.ended"), { max: 2 });
    expect(ended.map((f) => [f.id, f.event])).toEqual([
      ["2", "session.ended"],
      ["4", "session.ended"],
    ]);
    const both = await readSse(await stream(org, h.id, "?events=session.ended&events=session.created", { "last-event-id": "2" }), {
      max: 2,
    });
    expect(both.map((f) => f.id)).toEqual(["3", "4"]);
    const comma = await readSse(await stream(org, h.id, "?events=session.created,session.ended", { "last-event-id": "3" }), { max: 1 });
    expect(comma.map((f) => f.id)).toEqual(["4"]);
    const posted = await org.fetch(`/v1/harnesses/${h.id}/events/stream`, {
      method: "POST",
      headers: { "content-type": "application/json", "last-event-id": "1" },
      body: JSON.stringify({ events: ["session.created"] }),
    });
    expect((await readSse(posted, { max: 1 })).map((f) => [f.id, f.data.session_id])).toEqual([["3", b]]);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/events/stream?events=bogus`), 400, "validation_error");
    await expectProblem(
      await org.json("GET", `/v1/harnesses/${h.id}/events/stream`, undefined, { "last-event-id": "abc" }),
      400,
      "validation_error",
    );
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/events/stream`, { events: "x" }), 400, "validation_error");
    await expectProblem(await (await newOrg()).json("GET", `/v1/harnesses/${h.id}/events/stream`), 404, "harness_not_found");
  });
});
