import type { Context } from "hono";
import type { AppEnv, AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { conformanceResults, conformanceStatus, conformanceStream } from "../../../services/conformance/read.ts";
import { startConformanceRun } from "../../../services/conformance/run.ts";
import { authed } from "../../authed.ts";
import { passStream, streamCursor } from "../../sse.ts";
import type * as routes from "./conformance.routes.ts";
import { toRunView, toStatusView } from "./conformance.schemas.ts";

export const run: AppRouteHandler<typeof routes.run> = async (c) => {
  const ctx = authed(c);
  const body = c.req.valid("json") ?? {};
  const started = await startConformanceRun({ ctx, input: { ref: c.req.valid("param").harnessId, ...body } });
  const streamPath = `/v1/harnesses/${started.harness.slug}/conformance/run/stream?run_id=${started.runId}`;
  c.header("location", streamPath);
  return c.json({ run_id: started.runId, status: started.status, stream_url: `${ctx.origin}${streamPath}` }, 202);
};

/** conformance.stream: the run's events (`run_id`, default the latest), resumable with `Last-Event-ID`. */
async function runStream(c: Context<AppEnv>, ref: string, runId: string | undefined, lastEventId: number): Promise<Response> {
  const { response, runId: id } = await conformanceStream({
    ctx: authed(c),
    input: { ref, ...(runId ? { runId } : {}), lastEventId },
  });
  return passStream(c, response, { "x-conformance-run-id": id });
}

export const stream: AppRouteHandler<typeof routes.stream> = async (c) =>
  runStream(c, c.req.valid("param").harnessId, c.req.valid("query").run_id, streamCursor(c)) as never;

/** conformance.stream as POST with a JSON body `{run_id}` (spec §9.1 #3). */
export function streamPost(c: Context<AppEnv>, body: { run_id?: string | undefined }, lastEventId: number): Promise<Response> {
  return runStream(c, c.req.param("harnessId") ?? "", body.run_id, lastEventId);
}

export const results: AppRouteHandler<typeof routes.results> = async (c) => {
  const { page } = await conformanceResults({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") } });
  return c.json(toEnvelope(page, toRunView), 200);
};

export const status: AppRouteHandler<typeof routes.status> = async (c) => {
  const standing = await conformanceStatus({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } });
  return c.json(toStatusView(standing), 200);
};
