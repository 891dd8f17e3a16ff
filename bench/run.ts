/**
 * `npm run bench`: what an execution costs on top of a plain API call, measured against `wrangler dev`
 * on this machine, in one run.
 *
 *   baseline  GET /v1/harnesses/{id}                 (auth + one D1 read)
 *   run       POST /v1/harnesses/{id}/execute/stream  with scripted/echo, read until `done`
 *             (D1 index row, Durable Object start, alarm, model step, event log, SSE)
 *   replay    GET  …/executions/{id}/stream           of a finished run (log replay from SQLite)
 *   ws_turn   one session turn over WebSocket: `message` sent → `done` received
 *   http_turn one session turn over HTTP: POST …/sessions/{id}/message (waits for the reply)
 *
 * Prints p50/p95 in ms and each one's p50 as a ratio of the baseline's. No target is asserted here.
 * Env: BENCH_ITERATIONS (default 30).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { applyMigrations, ensureDevVars, freePort, LOCAL_DIR, seedLocalOrg, startDevServer } from "../scripts/lib/dev-server.ts";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function drain(res: Response): Promise<string> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res.text();
}

const persistTo = await mkdtemp(join(LOCAL_DIR, "bench-"));
await ensureDevVars();
await applyMigrations(persistTo);
const { token } = await seedLocalOrg(persistTo);
const server = await startDevServer({ port: await freePort(), persistTo, logFile: join(persistTo, "wrangler.log") });
try {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, "content-type": "application/json" };
  await drain(
    await fetch(`${server.url}/v1/harnesses`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        id: "bench",
        name: "Bench",
        vendor: "EdgeHarness",
        description: "bench",
        execution_type: "hosted",
        config: {},
        default_model_id: "scripted/echo",
      }),
    }),
  );
  const samples: Record<"baseline" | "run" | "replay" | "ws_turn" | "http_turn", number[]> = {
    baseline: [],
    run: [],
    replay: [],
    ws_turn: [],
    http_turn: [],
  };
  const created = await fetch(`${server.url}/v1/harnesses/bench/sessions`, { method: "POST", headers: json, body: "{}" });
  const { session, connect_url } = (await created.json()) as { session: { id: string }; connect_url: string };
  const ws = new WebSocket(`${connect_url}?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error("WebSocket failed to open")));
  });
  let onDone: ((id: string) => void) | undefined;
  ws.addEventListener("message", (e) => {
    const frame = JSON.parse(String(e.data)) as { type: string; id: string };
    if (frame.type === "done" || frame.type === "error") onDone?.(frame.id);
  });
  const wsTurn = (id: string) =>
    new Promise<void>((resolve) => {
      onDone = (doneId) => {
        if (doneId === id) resolve();
      };
      ws.send(JSON.stringify({ type: "message", id, content: `bench ${id}` }));
    });
  let lastExecution = "";
  // Warm-up: first requests compile code paths.
  for (let i = 0; i < 3; i++) await drain(await fetch(`${server.url}/v1/harnesses/bench`, { headers: auth }));
  for (let i = 0; i < ITERATIONS; i++) {
    samples.baseline.push(await time(async () => void (await drain(await fetch(`${server.url}/v1/harnesses/bench`, { headers: auth })))));
    samples.run.push(
      await time(async () => {
        const res = await fetch(`${server.url}/v1/harnesses/bench/execute/stream`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ message: `bench ${i}` }),
        });
        lastExecution = res.headers.get("x-execution-id") ?? "";
        const body = await drain(res);
        if (!body.includes("event: done")) throw new Error("stream ended without done");
      }),
    );
    samples.replay.push(
      await time(
        async () =>
          void (await drain(await fetch(`${server.url}/v1/harnesses/bench/executions/${lastExecution}/stream`, { headers: auth }))),
      ),
    );
    samples.ws_turn.push(await time(() => wsTurn(`w${i}`)));
    samples.http_turn.push(
      await time(async () => {
        const body = JSON.stringify({ content: `bench h${i}` });
        await drain(
          await fetch(`${server.url}/v1/harnesses/bench/sessions/${session.id}/message`, { method: "POST", headers: json, body }),
        );
      }),
    );
  }
  ws.close();
  const base = percentile(samples.baseline, 50);
  console.log(`EdgeHarness bench — ${ITERATIONS} iterations against wrangler dev (ms)`);
  for (const [name, list] of Object.entries(samples)) {
    const p50 = percentile(list, 50);
    console.log(
      `${name.padEnd(9)} p50 ${p50.toFixed(1).padStart(7)}  p95 ${percentile(list, 95).toFixed(1).padStart(7)}  ratio to baseline ${(p50 / base).toFixed(2)}x`,
    );
  }
} finally {
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
