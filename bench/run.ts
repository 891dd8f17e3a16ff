/**
 * `npm run bench`: what EdgeHarness's paths cost against baselines measured in the same run, on
 * `wrangler dev` on this machine (`bench/worker.ts` = the product Worker plus the baselines).
 *
 *   harnesses.get      authenticated GET /v1/harnesses/{id}, requests/s on CONNECTIONS connections
 *                      ÷ the bare constant JSON route of the same Worker            target ≥ 0.7×
 *   first SSE event    POST …/execute/stream (scripted/echo) until the first event
 *                      ÷ the bare Durable Object SSE echo's first event             target ≤ 1.5×
 *   WebSocket turn     one session turn: `message` sent → `done` received (scripted/echo)
 *                      ÷ the bare Durable Object WebSocket echo's round trip        target ≤ 1.5× (+ model time)
 *   events/s           one execution's events through its log to an attached stream (scripted/count,
 *                      zero latency), first event to `done`                         target ≥ 10,000/s
 *   replay             reading a finished run's stream after cursors 0, ¼, ½, ¾ and the end: ms per
 *                      event after the cursor (cost tracks what is replayed, not the log's size)
 *
 * Prints each figure with its ratio and target; asserts nothing (speed is measured, not asserted).
 * Env: BENCH_SECONDS (throughput window, default 4), BENCH_ITERATIONS (latency samples, default 40),
 * BENCH_CONNECTIONS (default 16), BENCH_EVENTS (events of the events/s run, default 2000).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { applyMigrations, ensureDevVars, freePort, LOCAL_DIR, REPO_ROOT, seedLocalOrg, startDevServer } from "../scripts/lib/dev-server.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const EVENTS = Math.min(Number(process.env.BENCH_EVENTS ?? 2000), 2000);
const CONFIG = "wrangler.bench.toml";

function percentile(samples: number[], p: number): number {
  const sorted = samples.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function drain(res: Response): Promise<string> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res.text();
}

/** Requests per second `request` sustains on `CONNECTIONS` concurrent loops for `SECONDS`. */
async function throughput(request: () => Promise<void>): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        await request();
        done += 1;
      }
    }),
  );
  return done / SECONDS;
}

/** Milliseconds until the first SSE frame of `res` arrives (then the rest is drained). */
async function firstFrameMs(start: number, res: Response): Promise<number> {
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let first = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    if (!first && text.includes("\n\n")) first = performance.now() - start;
  }
  if (!text.includes("event: done")) throw new Error("stream ended without done");
  return first;
}

/** A connected WebSocket and a function that sends one message and resolves on its `done`. */
async function socket(url: string): Promise<{ turn: (id: string) => Promise<void>; close: () => void }> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error(`WebSocket ${url} failed to open`)));
  });
  let waiting: { id: string; resolve: () => void } | undefined;
  ws.addEventListener("message", (e) => {
    const frame = JSON.parse(String(e.data)) as { type: string; id: string };
    if ((frame.type === "done" || frame.type === "error") && frame.id === waiting?.id) waiting.resolve();
  });
  return {
    turn: (id) =>
      new Promise<void>((resolve) => {
        waiting = { id, resolve };
        ws.send(JSON.stringify({ type: "message", id, content: `bench ${id}` }));
      }),
    close: () => ws.close(),
  };
}

/** A latency sampler of one turn over `s`. */
const timed = (s: { turn: (id: string) => Promise<void> }) => async (i: number) => {
  const start = performance.now();
  await s.turn(`t${i}`);
  return performance.now() - start;
};

async function latency(fn: (i: number) => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn(-1 - i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) samples.push(await fn(i));
  return samples;
}

/** The bench's wrangler configuration: the product's, with the bench Worker as entry and the echo object added. */
async function writeBenchConfig(): Promise<void> {
  const base = await readFile(join(REPO_ROOT, "wrangler.toml"), "utf8");
  if (!/^main = "src\/index.ts"$/m.test(base)) throw new Error('wrangler.toml: expected main = "src/index.ts"');
  const config = `${base.replace(/^main = "src\/index.ts"$/m, 'main = "bench/worker.ts"')}
[[durable_objects.bindings]]
name = "BENCH_ECHO"
class_name = "BenchEcho"

[[migrations]]
tag = "bench-v1"
new_sqlite_classes = ["BenchEcho"]
`;
  await writeFile(join(REPO_ROOT, CONFIG), `# Generated by bench/run.ts from wrangler.toml; removed after the run.\n${config}`);
}

const persistTo = await mkdtemp(join(LOCAL_DIR, "bench-"));
await ensureDevVars();
await applyMigrations(persistTo);
const { token } = await seedLocalOrg(persistTo);
await writeBenchConfig();
const server = await startDevServer({ port: await freePort(), persistTo, logFile: join(persistTo, "wrangler.log"), config: CONFIG });
const rows: string[] = [];
const report = (name: string, value: string, ratio: number, target: string, ok: boolean) =>
  rows.push(
    `${name.padEnd(18)} ${value.padEnd(44)} ${ratio.toFixed(2).padStart(6)}×  target ${target.padEnd(8)} ${ok ? "met" : "NOT MET"}`,
  );
try {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, "content-type": "application/json" };
  const ws = server.url.replace(/^http/, "ws");
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

  // 1. Authenticated harnesses.get vs the bare JSON route, requests/s.
  const bare = () =>
    fetch(`${server.url}/__bench/json`)
      .then(drain)
      .then(() => {});
  const get = () =>
    fetch(`${server.url}/v1/harnesses/bench`, { headers: auth })
      .then(drain)
      .then(() => {});
  await throughput(bare);
  await throughput(get);
  const bareRps = await throughput(bare);
  const getRps = await throughput(get);
  report(
    "harnesses.get",
    `${getRps.toFixed(0)} req/s vs bare route ${bareRps.toFixed(0)} req/s`,
    getRps / bareRps,
    "≥ 0.7×",
    getRps / bareRps >= 0.7,
  );

  // 2. First event of execution.stream vs the SSE echo.
  const echoFirst = await latency(async () => {
    const start = performance.now();
    return firstFrameMs(start, await fetch(`${server.url}/__bench/sse`));
  });
  const streamFirst = await latency(async (i) => {
    const start = performance.now();
    const res = await fetch(`${server.url}/v1/harnesses/bench/execute/stream`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ message: `b${i}` }),
    });
    return firstFrameMs(start, res);
  });
  const sseRatio = percentile(streamFirst, 50) / percentile(echoFirst, 50);
  report(
    "first SSE event",
    `p50 ${percentile(streamFirst, 50).toFixed(1)} ms vs echo ${percentile(echoFirst, 50).toFixed(1)} ms`,
    sseRatio,
    "≤ 1.5×",
    sseRatio <= 1.5,
  );

  // 3. A session turn over WebSocket vs the WebSocket echo.
  const created = await fetch(`${server.url}/v1/harnesses/bench/sessions`, { method: "POST", headers: json, body: "{}" });
  const { connect_url } = (await created.json()) as { connect_url: string };
  const session = await socket(`${connect_url}?token=${encodeURIComponent(token)}`);
  const echo = await socket(`${ws}/__bench/ws`);
  const echoTurns = await latency(timed(echo));
  const sessionTurns = await latency(timed(session));
  session.close();
  echo.close();
  const wsRatio = percentile(sessionTurns, 50) / percentile(echoTurns, 50);
  report(
    "WebSocket turn",
    `p50 ${percentile(sessionTurns, 50).toFixed(1)} ms vs echo ${percentile(echoTurns, 50).toFixed(1)} ms`,
    wsRatio,
    "≤ 1.5×",
    wsRatio <= 1.5,
  );

  // 4. Events per second through one execution's log to an attached stream.
  await drain(
    await fetch(`${server.url}/v1/harnesses`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        id: "bench-count",
        name: "Count",
        vendor: "EdgeHarness",
        description: "bench",
        execution_type: "hosted",
        config: {},
        default_model_id: "scripted/count",
      }),
    }),
  );
  let best = 0;
  let executionId = "";
  for (let round = 0; round < 3; round++) {
    const res = await fetch(`${server.url}/v1/harnesses/bench-count/execute/stream`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ message: `count to ${EVENTS}` }),
    });
    executionId = res.headers.get("x-execution-id") ?? "";
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let first = 0;
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      if (!first) first = performance.now();
      text += decoder.decode(chunk.value, { stream: true });
    }
    const seconds = (performance.now() - first) / 1000;
    const events = text.split("\n\n").filter((f) => f.startsWith("id:")).length;
    best = Math.max(best, events / seconds);
  }
  report("events/s", `${best.toFixed(0)} events/s (${EVENTS} text events + progress + done)`, best / 10_000, "≥ 10,000", best >= 10_000);

  // 5. Replay cost against the events after the cursor.
  const replayMs = async (after: number) => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await drain(
        await fetch(`${server.url}/v1/harnesses/bench-count/executions/${executionId}/stream`, {
          headers: { ...auth, "last-event-id": String(after) },
        }),
      );
      times.push(performance.now() - start);
    }
    return percentile(times, 50);
  };
  const total = EVENTS + 2;
  const emptyReplay = await replayMs(total);
  rows.push("");
  rows.push(`replay of a finished run of ${total} events (p50 of 10; the empty replay, cursor at the end, is the baseline):`);
  for (const after of [0, Math.floor(total / 4), Math.floor(total / 2), Math.floor((3 * total) / 4), total]) {
    const ms = await replayMs(after);
    const replayed = total - after;
    rows.push(
      `  after ${String(after).padStart(5)}: ${String(replayed).padStart(5)} events  ${ms.toFixed(1).padStart(7)} ms  ratio to empty ${(ms / emptyReplay).toFixed(2)}×${replayed ? `  ${(((ms - emptyReplay) / replayed) * 1000).toFixed(1)} µs per replayed event` : ""}`,
    );
  }
  console.log(`EdgeHarness bench — wrangler dev on this machine; ${CONNECTIONS} connections × ${SECONDS} s, ${ITERATIONS} latency samples`);
  for (const row of rows) console.log(row);
} finally {
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
  await rm(join(REPO_ROOT, CONFIG), { force: true });
}
