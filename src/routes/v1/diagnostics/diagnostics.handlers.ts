import type { Context } from "hono";
import type { LogLevel } from "../../../../durable-objects/harness-events/harness-events.protocol.ts";
import type { AppEnv, AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { harnessDiagnostics } from "../../../services/diagnostics/get.ts";
import { listHarnessLogs, streamHarnessLogs } from "../../../services/diagnostics/logs.ts";
import { authed } from "../../authed.ts";
import { passStream, streamCursor } from "../../sse.ts";
import type * as routes from "./diagnostics.routes.ts";

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  return c.json(await harnessDiagnostics({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } }), 200);
};

export const logs: AppRouteHandler<typeof routes.logs> = async (c) => {
  const { limit, offset, level, since } = c.req.valid("query");
  const page = await listHarnessLogs({
    ctx: authed(c),
    input: { ref: c.req.valid("param").harnessId, limit, offset, ...(level ? { level } : {}), ...(since ? { since } : {}) },
  });
  return c.json(
    toEnvelope(page, (entry) => entry),
    200,
  );
};

async function logStream(c: Context<AppEnv>, ref: string, level: LogLevel | undefined, lastEventId: number): Promise<Response> {
  const response = await streamHarnessLogs({ ctx: authed(c), input: { ref, lastEventId, ...(level ? { level } : {}) } });
  return passStream(c, response);
}

export const streamLogs: AppRouteHandler<typeof routes.streamLogs> = async (c) =>
  logStream(c, c.req.valid("param").harnessId, c.req.valid("query").level, streamCursor(c)) as never;

/** diagnostics.streamLogs as POST with a JSON body `{level}` (spec §9.1 #3). */
export function streamLogsPost(c: Context<AppEnv>, body: { level?: LogLevel | undefined }, lastEventId: number): Promise<Response> {
  return logStream(c, c.req.param("harnessId") ?? "", body.level, lastEventId);
}
