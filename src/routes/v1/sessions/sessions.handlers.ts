import type { AppRouteHandler } from "../../../context.ts";
import { ApiError } from "../../../errors/api-error.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { openRunStream } from "../../../services/executions/stream.ts";
import { connectUrl, findSession } from "../../../services/sessions/find.ts";
import { createSession, endSession, forkSession, resumeSession, updateSession } from "../../../services/sessions/lifecycle.ts";
import { listSessions, sessionHistory } from "../../../services/sessions/read.ts";
import { connectSession, sendSessionMessage, startSessionTurn } from "../../../services/sessions/turns.ts";
import { authed } from "../../authed.ts";
import { executionStreamResponse } from "../../sse.ts";
import type * as routes from "./sessions.routes.ts";
import { toMessageView, toSessionView } from "./sessions.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harness, page } = await listSessions({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") } });
  return c.json(
    toEnvelope(page, (row) => toSessionView(row, harness.slug)),
    200,
  );
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const ctx = authed(c);
  const { harness, session } = await createSession({ ctx, input: { ref: c.req.valid("param").harnessId, ...c.req.valid("json") } });
  c.header("location", `/v1/harnesses/${harness.slug}/sessions/${session.id}`);
  return c.json({ session: toSessionView(session, harness.slug), connect_url: connectUrl(ctx.origin, harness.slug, session.id) }, 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, sessionId } = c.req.valid("param");
  const { harness, session } = await findSession({ ctx: authed(c), input: { ref: harnessId, sessionId } });
  return c.json({ session: toSessionView(session, harness.slug) }, 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { harnessId, sessionId } = c.req.valid("param");
  const { harness, session } = await updateSession({ ctx: authed(c), input: { ref: harnessId, sessionId, ...c.req.valid("json") } });
  return c.json({ session: toSessionView(session, harness.slug) }, 200);
};

export const end: AppRouteHandler<typeof routes.end> = async (c) => {
  const { harnessId, sessionId } = c.req.valid("param");
  await endSession({ ctx: authed(c), input: { ref: harnessId, sessionId, deleteHistory: c.req.valid("query").delete_history ?? false } });
  return c.body(null, 204);
};

export const resume: AppRouteHandler<typeof routes.resume> = async (c) => {
  const ctx = authed(c);
  const { harnessId, sessionId } = c.req.valid("param");
  const { harness, session } = await resumeSession({ ctx, input: { ref: harnessId, sessionId } });
  return c.json({ session: toSessionView(session, harness.slug), connect_url: connectUrl(ctx.origin, harness.slug, session.id) }, 200);
};

export const history: AppRouteHandler<typeof routes.history> = async (c) => {
  const { harnessId, sessionId } = c.req.valid("param");
  const page = await sessionHistory({ ctx: authed(c), input: { ref: harnessId, sessionId, ...c.req.valid("query") } });
  return c.json(toEnvelope(page, toMessageView), 200);
};

export const fork: AppRouteHandler<typeof routes.fork> = async (c) => {
  const { harnessId, sessionId } = c.req.valid("param");
  const body = c.req.valid("json") ?? {};
  const forked = await forkSession({ ctx: authed(c), input: { ref: harnessId, sessionId, ...body } });
  c.header("location", `/v1/harnesses/${forked.harness.slug}/sessions/${forked.session.id}`);
  return c.json(
    { session: toSessionView(forked.session, forked.harness.slug), forked_from: forked.forkedFrom, message_count: forked.messageCount },
    201,
  );
};

export const connect: AppRouteHandler<typeof routes.connect> = async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("upgrade_required", "sessions.connect is a WebSocket endpoint: send Upgrade: websocket.", {
      actions: [{ rel: "fix-input", hint: "Connect with a WebSocket client to the session's connect_url." }],
    });
  }
  const { harnessId, sessionId } = c.req.valid("param");
  const { after } = c.req.valid("query");
  return connectSession({ ctx: authed(c), input: { ref: harnessId, sessionId, request: c.req.raw, ...(after ? { after } : {}) } });
};

export const sendMessage: AppRouteHandler<typeof routes.sendMessage> = async (c) => {
  const { harnessId, sessionId } = c.req.valid("param");
  const result = await sendSessionMessage({ ctx: authed(c), input: { ref: harnessId, sessionId, content: c.req.valid("json").content } });
  return c.json(
    { message: toMessageView(result.message), response: toMessageView(result.response), execution_id: result.executionId },
    200,
  );
};

export const sendMessageStream: AppRouteHandler<typeof routes.sendMessageStream> = async (c) => {
  const ctx = authed(c);
  const { harnessId, sessionId } = c.req.valid("param");
  const { found, executionId } = await startSessionTurn({
    ctx,
    input: { ref: harnessId, sessionId, content: c.req.valid("json").content },
  });
  const response = await openRunStream(ctx, executionId, found.harness.slug, 0);
  return executionStreamResponse(c, response, found.harness.slug, executionId);
};
