import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { parseLastEventId } from "../../../lib/sse.ts";
import { conformanceResults, conformanceStatus, conformanceStream } from "../../../services/conformance/read.ts";
import { startConformanceRun } from "../../../services/conformance/run.ts";
import { authed } from "../../authed.ts";
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

export const stream: AppRouteHandler<typeof routes.stream> = async (c) => {
  const { run_id } = c.req.valid("query");
  const { response, runId } = await conformanceStream({
    ctx: authed(c),
    input: {
      ref: c.req.valid("param").harnessId,
      ...(run_id ? { runId: run_id } : {}),
      lastEventId: parseLastEventId(c.req.valid("header")["last-event-id"]),
    },
  });
  const headers = new Headers(response.headers);
  headers.set("x-conformance-run-id", runId);
  return new Response(response.body, { status: 200, headers });
};

export const results: AppRouteHandler<typeof routes.results> = async (c) => {
  const { page } = await conformanceResults({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") } });
  return c.json(toEnvelope(page, toRunView), 200);
};

export const status: AppRouteHandler<typeof routes.status> = async (c) => {
  const standing = await conformanceStatus({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } });
  return c.json(toStatusView(standing), 200);
};
