import { createMiddleware } from "hono/factory";
import { getConfig } from "../config.ts";
import type { AppEnv } from "../app-env.ts";
import { createDb } from "../db/index.ts";
import { createLogger } from "../lib/log.ts";

/** Builds the per-request service container (`c.var.services`). */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const config = getConfig(c.env);
  c.set("services", {
    db: createDb(c.env.DB),
    env: c.env,
    config,
    requestId: c.get("requestId"),
    log: createLogger({ request_id: c.get("requestId") }),
    origin: config.publicOrigin ?? new URL(c.req.url).origin,
    meter: {},
    memo: new Map(),
  });
  await next();
});
