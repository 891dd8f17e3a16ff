/**
 * Worker entry: the HTTP API (`fetch`), the queue consumers (`queue`), the hourly maintenance cron
 * (`scheduled`: expired sign-ins, codes and tokens are purged) and the Durable Object classes.
 * Open Harness clients that drop the base path (spec §9.1 #4) reach `/harnesses/…`; those requests are
 * served as `/v1/harnesses/…`.
 */
import { createApp } from "./app.ts";
import { createDb } from "./db/index.ts";
import { createLogger } from "./lib/log.ts";
import { handleQueue } from "./queues/index.ts";
import { purgeExpired } from "./services/maintenance/purge-expired.ts";

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
  async scheduled(controller, env) {
    const purged = await purgeExpired({ ctx: { db: createDb(env.DB) }, input: { now: controller.scheduledTime } });
    createLogger({ cron: controller.cron }).info("expired rows purged", { ...purged });
  },
} satisfies ExportedHandler<Env>;
