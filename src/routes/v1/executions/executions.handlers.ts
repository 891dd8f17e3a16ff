import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { cancelExecution } from "../../../services/executions/cancel.ts";
import { listExecutions } from "../../../services/executions/list.ts";
import {
  downloadArtifact as downloadArtifactVerb,
  getExecution,
  getExecutionResult,
  listArtifacts as listArtifactsVerb,
  listToolCalls as listToolCallsVerb,
} from "../../../services/executions/read.ts";
import { execute } from "../../../services/executions/execute.ts";
import { sendInput as sendInputVerb } from "../../../services/executions/input.ts";
import { attachStream as attachStreamVerb, openRunStream } from "../../../services/executions/stream.ts";
import { authed } from "../../authed.ts";
import { executionStreamResponse, streamCursor } from "../../sse.ts";
import type * as routes from "./executions.routes.ts";
import { toArtifactView, toExecutionView, toResultView } from "./executions.schemas.ts";

function executionPath(harnessSlug: string, executionId: string): string {
  return `/v1/harnesses/${harnessSlug}/executions/${executionId}`;
}

export const run: AppRouteHandler<typeof routes.run> = async (c) => {
  const ctx = authed(c);
  const started = await execute({
    ctx,
    input: { ref: c.req.valid("param").harnessId, operationId: "execution.run", body: c.req.valid("json") },
  });
  const path = executionPath(started.harness.slug, started.executionId);
  c.header("location", path);
  c.header("x-execution-id", started.executionId);
  return c.json({ execution_id: started.executionId, status: started.status, stream_url: `${ctx.origin}${path}/stream` }, 202);
};

export const stream: AppRouteHandler<typeof routes.stream> = async (c) => {
  const ctx = authed(c);
  const { harnessId } = c.req.valid("param");
  const headers = c.req.valid("header");
  const attachTo = headers["x-execution-id"];
  if (attachTo) {
    const response = await attachStreamVerb({
      ctx,
      input: { ref: harnessId, executionId: attachTo, lastEventId: streamCursor(c) },
    });
    return executionStreamResponse(c, response, harnessId, attachTo);
  }
  const started = await execute({ ctx, input: { ref: harnessId, operationId: "execution.stream", body: c.req.valid("json") } });
  const response = await openRunStream(ctx, started.executionId, started.harness.slug, 0);
  return executionStreamResponse(c, response, started.harness.slug, started.executionId);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harnessSlug, page } = await listExecutions({
    ctx: authed(c),
    input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") },
  });
  return c.json(
    toEnvelope(page, (row) => toExecutionView(row, harnessSlug)),
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const detail = await getExecution({ ctx: authed(c), input: { ref: harnessId, executionId } });
  return c.json({ execution: toExecutionView(detail.execution, detail.harness.slug, detail.summary) }, 200);
};

export const attachStream: AppRouteHandler<typeof routes.attachStream> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const lastEventId = streamCursor(c);
  const response = await attachStreamVerb({ ctx: authed(c), input: { ref: harnessId, executionId, lastEventId } });
  return executionStreamResponse(c, response, harnessId, executionId);
};

export const cancel: AppRouteHandler<typeof routes.cancel> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const { detail, cancelled } = await cancelExecution({ ctx: authed(c), input: { ref: harnessId, executionId } });
  return c.json({ execution: toExecutionView(detail.execution, detail.harness.slug, detail.summary), cancelled }, 200);
};

export const result: AppRouteHandler<typeof routes.result> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const detail = await getExecutionResult({ ctx: authed(c), input: { ref: harnessId, executionId } });
  return c.json({ result: toResultView(detail) }, 200);
};

export const listArtifacts: AppRouteHandler<typeof routes.listArtifacts> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const artifacts = await listArtifactsVerb({ ctx: authed(c), input: { ref: harnessId, executionId } });
  return c.json({ artifacts: artifacts.map(toArtifactView) }, 200);
};

export const downloadArtifact: AppRouteHandler<typeof routes.downloadArtifact> = async (c) => {
  const { harnessId, executionId, artifactId } = c.req.valid("param");
  const { artifact, body } = await downloadArtifactVerb({ ctx: authed(c), input: { ref: harnessId, executionId, artifactId } });
  return new Response(body.body, {
    status: 200,
    headers: {
      "content-type": artifact.mime_type,
      "content-length": String(body.size),
      "content-disposition": `attachment; filename="${artifact.name.replace(/["\\\r\n]/g, "_")}"`,
      "x-request-id": c.get("requestId"),
    },
  });
};

export const listToolCalls: AppRouteHandler<typeof routes.listToolCalls> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  const toolCalls = await listToolCallsVerb({ ctx: authed(c), input: { ref: harnessId, executionId } });
  return c.json({ tool_calls: toolCalls }, 200);
};

export const sendInput: AppRouteHandler<typeof routes.sendInput> = async (c) => {
  const { harnessId, executionId } = c.req.valid("param");
  await sendInputVerb({ ctx: authed(c), input: { ref: harnessId, executionId, data: c.req.valid("json").data } });
  return c.json({ accepted: true }, 200);
};
