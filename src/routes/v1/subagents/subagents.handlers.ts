import type { AppRouteHandler } from "../../../context.ts";
import { attachSubagentStream } from "../../../services/subagents/attach-stream.ts";
import { delegateToSubagent } from "../../../services/subagents/delegate.ts";
import { delegateToSubagentStream } from "../../../services/subagents/delegate-stream.ts";
import { getSubagent } from "../../../services/subagents/get.ts";
import { listSubagents } from "../../../services/subagents/list.ts";
import { subagentResult } from "../../../services/subagents/result.ts";
import { spawnSubagent } from "../../../services/subagents/spawn.ts";
import { terminateSubagent } from "../../../services/subagents/terminate.ts";
import { authed } from "../../authed.ts";
import { executionStreamResponse, streamCursor } from "../../sse.ts";
import { toResultView } from "../executions/executions.schemas.ts";
import type * as routes from "./subagents.routes.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  return c.json({ subagents: await listSubagents({ ctx: authed(c), input: { ref: harnessId, agentId } }) }, 200);
};

export const spawn: AppRouteHandler<typeof routes.spawn> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const subagent = await spawnSubagent({ ctx: authed(c), input: { ref: harnessId, agentId, ...c.req.valid("json") } });
  return c.json({ subagent }, 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, agentId, subagentId } = c.req.valid("param");
  return c.json({ subagent: await getSubagent({ ctx: authed(c), input: { ref: harnessId, agentId, subagentId } }) }, 200);
};

export const terminate: AppRouteHandler<typeof routes.terminate> = async (c) => {
  const { harnessId, agentId, subagentId } = c.req.valid("param");
  await terminateSubagent({ ctx: authed(c), input: { ref: harnessId, agentId, subagentId } });
  return c.body(null, 204);
};

export const delegate: AppRouteHandler<typeof routes.delegate> = async (c) => {
  const { harnessId, agentId, subagentId } = c.req.valid("param");
  const body = c.req.valid("json");
  const ctx = authed(c);
  const { found, outcome } = await delegateToSubagent({
    ctx,
    input: {
      ref: harnessId,
      agentId,
      subagentId,
      task: body.task,
      ...(body.context ? { context: body.context } : {}),
      waitSeconds: body.wait_seconds,
    },
  });
  const path = `/v1/harnesses/${found.harness.slug}/executions/${outcome.executionId}`;
  c.header("x-execution-id", outcome.executionId);
  c.header("location", path);
  if (!outcome.finished) c.header("retry-after", "1");
  return c.json(
    {
      execution_id: outcome.executionId,
      status: outcome.status as "pending" | "running" | "completed" | "failed" | "cancelled",
      finished: outcome.finished,
      output: outcome.output,
      error: outcome.error,
      stream_url: `${ctx.origin}${path}/stream`,
      result_url: `${ctx.origin}${path}/result`,
      subagent_id: found.subagent.id,
    },
    outcome.finished ? 200 : 202,
  );
};

export const delegateStream: AppRouteHandler<typeof routes.delegateStream> = async (c) => {
  const { harnessId, agentId, subagentId } = c.req.valid("param");
  const body = c.req.valid("json");
  const started = await delegateToSubagentStream({
    ctx: authed(c),
    input: { ref: harnessId, agentId, subagentId, task: body.task, ...(body.context ? { context: body.context } : {}) },
  });
  return executionStreamResponse(c, started.response, started.harnessSlug, started.executionId);
};

export const result: AppRouteHandler<typeof routes.result> = async (c) => {
  const { harnessId, agentId, subagentId } = c.req.valid("param");
  const detail = await subagentResult({ ctx: authed(c), input: { ref: harnessId, agentId, subagentId } });
  return c.json({ result: toResultView(detail) }, 200);
};

export const attachStream: AppRouteHandler<typeof routes.attachStream> = async (c) => {
  const { harnessId, agentId, subagentId } = c.req.valid("param");
  const lastEventId = streamCursor(c);
  const attached = await attachSubagentStream({ ctx: authed(c), input: { ref: harnessId, agentId, subagentId, lastEventId } });
  return executionStreamResponse(c, attached.response, attached.harnessSlug, attached.executionId);
};
