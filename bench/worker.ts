/**
 * The Worker `npm run bench` runs: EdgeHarness itself (`src/index.ts`, every route and binding as
 * deployed) plus the baselines the benchmark divides by — a bare constant JSON route of the same Worker
 * and the bare Durable Object SSE and WebSocket echoes of `echo.do.ts`. Used only through the
 * generated `wrangler.bench.toml`; never deployed.
 */
import edgeharness from "../src/index.ts";

export { ConformanceRun, ExecutionRun, Session } from "../src/index.ts";
export { BenchEcho } from "./echo.do.ts";

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/json") return Response.json({ ok: true, name: "EdgeHarness" });
    if (url.pathname === "/__bench/sse" || url.pathname === "/__bench/ws") {
      const ns = (env as unknown as { BENCH_ECHO: DurableObjectNamespace }).BENCH_ECHO;
      return ns.get(ns.idFromName("echo")).fetch(request);
    }
    return edgeharness.fetch(request, env, ctx);
  },
  queue: edgeharness.queue,
} satisfies ExportedHandler<Env>;
