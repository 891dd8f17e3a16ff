import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EventLog, MAX_EVENT_PART_CHARS, REPLAY_BATCH_EVENTS } from "../../durable-objects/lib/event-log.ts";
import { readSse } from "../helpers/sse.ts";

type Ev = { type: string; body?: string; n?: number };

/** Runs `fn` with a fresh log in the SQLite storage of a real Durable Object. */
function withLog<T>(fn: (log: EventLog<Ev>, sql: SqlStorage) => T | Promise<T>): Promise<T> {
  const stub = env.EXECUTION_RUN.get(env.EXECUTION_RUN.idFromName(`event-log-${crypto.randomUUID()}`));
  return runInDurableObject(stub, (_instance, state) => fn(new EventLog<Ev>(state.storage.sql, "test_log"), state.storage.sql));
}

describe("the shared event log", () => {
  it("stores an event far over the SQLite value limit in parts and replays it byte for byte", async () => {
    await withLog((log, sql) => {
      const body = "é🙂x".repeat(Math.ceil((MAX_EVENT_PART_CHARS * 9) / 4)); // ~9 parts, multi-byte characters
      log.append({ type: "small", n: 1 });
      const big = log.append({ type: "big", body });
      log.append({ type: "small", n: 2 });
      const parts = sql.exec<{ n: number }>("SELECT count(*) AS n FROM test_log_parts WHERE seq = ?", big.seq).one().n;
      expect(parts).toBeGreaterThanOrEqual(8);
      const longest = sql.exec<{ m: number }>("SELECT max(length(data)) AS m FROM test_log_parts").one().m;
      expect(longest).toBeLessThanOrEqual(MAX_EVENT_PART_CHARS);
      const replayed = log.replay(0);
      expect(replayed.map((l) => l.event.type)).toEqual(["small", "big", "small"]);
      expect(replayed[1]!.event.body).toBe(body);
      expect(log.replay(big.seq).map((l) => l.event.n)).toEqual([2]);
    });
  });

  it("replays strictly after a cursor across batches, and keeps counting after purges and trims", async () => {
    await withLog((log) => {
      const total = REPLAY_BATCH_EVENTS * 2 + 7;
      for (let n = 1; n <= total; n++) log.append({ type: "n", n });
      expect([...log.since(0)].map((l) => l.event.n)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect([...log.since(total - 3)].map((l) => l.seq)).toEqual([total - 2, total - 1, total]);
      expect([...log.since(total)]).toEqual([]);
      expect(log.trimTo(10)).toBe(total - 10);
      expect(log.firstRetainedSeq()).toBe(total - 9);
      expect(log.append({ type: "n" }).seq).toBe(total + 1);
      log.purge();
      expect(log.lastSeq()).toBe(0);
      expect(log.append({ type: "n" }).seq).toBe(total + 2);
    });
  });

  it("streams the backlog then live events over SSE, and ends at the terminal event", async () => {
    const frames = await withLog(async (log) => {
      log.append({ type: "a" });
      log.append({ type: "b" });
      const response = log.openSse(1, new AbortController().signal, { isTerminal: (e) => e.type === "end", finished: () => false });
      log.append({ type: "c" });
      log.append({ type: "end" });
      log.append({ type: "after-end" });
      return readSse(response);
    });
    expect(frames.map((f) => [f.id, f.event, f.data.type])).toEqual([
      ["2", "b", "b"],
      ["3", "c", "c"],
      ["4", "end", "end"],
    ]);
  });
});
