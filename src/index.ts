/**
 * Worker entry: the HTTP API (`fetch`), the queue consumers (`queue`) and the Durable Object classes.
 * Open Harness clients that drop the base path (spec §9.1 #4) reach `/harnesses/…`; those requests are
 * served as `/v1/harnesses/…`.
 */
import { createApp } from "./app.ts";
import { handleQueue } from "./queues/index.ts";

export { ExecutionRun } from "../durable-objects/execution-run/execution-run.do.ts";
export { Session } from "../durable-objects/session/session.do.ts";
export { ConformanceRun } from "../durable-objects/conformance-run/conformance-run.do.ts";
export { HarnessEvents } from "../durable-objects/harness-events/harness-events.do.ts";

const app = createApp();

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/harnesses" || url.pathname.startsWith("/harnesses/")) {
      url.pathname = `/v1${url.pathname}`;
      return app.fetch(new Request(url, request), env, ctx);
    }
    return app.fetch(request, env, ctx);
  },
  queue: (batch, env) => handleQueue(batch, env),
} satisfies ExportedHandler<Env>;
