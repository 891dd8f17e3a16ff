/**
 * What Durable Objects and session verbs tell the harness when something happens: one call per
 * occurrence, which records the harness event (stream, listing, subscribed webhooks) and fires the
 * hooks on it. Each is a notification: it never throws — a failure is logged, and the run or session
 * carries on.
 *
 *   execution started   → `execution.started`; hooks `execution.start`
 *   execution finished  → `execution.completed` (webhooks get the spec §8.2 payload); hooks `stop`, and `error` when failed
 *   session created     → `session.created`; hooks `session.start`
 *   session message     → `session.message`; hooks `session.message`
 *   session ended       → `session.ended`; hooks `session.end`
 */
import type { RunSpec } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import type { JsonObject } from "../../lib/json.ts";
import type { AuthedContext } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { fireHooks } from "../hooks/fire.ts";
import { publishHarnessEvent, type HarnessRef } from "./publish.ts";

async function quietly(ctx: AuthedContext, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    ctx.log.error(`notifying the harness failed: ${what}`, { error });
  }
}

async function harnessRef(ctx: AuthedContext, harnessId: string, slug?: string): Promise<HarnessRef> {
  if (slug) return { id: harnessId, slug };
  const harness = await findHarness({ ctx, input: { ref: harnessId, includeDeleted: true } });
  return { id: harness.id, slug: harness.slug };
}

/** The run started (ExecutionRun `markRunning`). */
export function executionStarted(ctx: AuthedContext, spec: RunSpec): Promise<void> {
  return quietly(ctx, "execution.started", async () => {
    const harness = { id: spec.harnessId, slug: spec.harnessSlug };
    await publishHarnessEvent(ctx, {
      harness,
      event: { type: "execution.started", execution_id: spec.executionId, agent_id: spec.agentId, session_id: spec.sessionId },
    });
    await fireHooks(ctx, {
      harness,
      event: "execution.start",
      data: { execution_id: spec.executionId, agent_id: spec.agentId, session_id: spec.sessionId, message: spec.message.slice(0, 2000) },
    });
  });
}

/** How a run ended, as the ExecutionRun knows it at `finishRecorded`. */
export interface RunEnding {
  status: "completed" | "failed" | "cancelled";
  completedAt: string;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number };
  artifacts: { id: string; name: string; mime_type: string; size_bytes: number }[];
  error?: { code: string; message: string } | undefined;
}

/** The run finished (ExecutionRun `finishRecorded`): the `execution.completed` event, webhook payload and hooks. */
export function executionFinished(ctx: AuthedContext, spec: RunSpec, ending: RunEnding): Promise<void> {
  return quietly(ctx, "execution.completed", async () => {
    const harness = { id: spec.harnessId, slug: spec.harnessSlug };
    const path = `/v1/harnesses/${spec.harnessSlug}/executions/${spec.executionId}`;
    // Spec §8.2 ExecutionCompletedWebhook; `signature` is left out of the body (a body cannot hold its
    // own HMAC — spec §9.1 #8): it travels in the headers. `result_url` is the route guide's addition.
    const webhookPayload = {
      event: "execution.completed",
      execution_id: spec.executionId,
      harness_id: spec.harnessSlug,
      status: ending.status,
      artifacts: ending.artifacts,
      usage: ending.usage,
      completed_at: ending.completedAt,
      result_url: `${ctx.origin}${path}/result`,
      ...(ending.error ? { error: ending.error } : {}),
    };
    await publishHarnessEvent(ctx, {
      harness,
      event: {
        type: "execution.completed",
        execution_id: spec.executionId,
        status: ending.status,
        session_id: spec.sessionId,
        ...(ending.error ? { error: ending.error } : {}),
      },
      webhookPayload,
    });
    const data: JsonObject = {
      execution_id: spec.executionId,
      session_id: spec.sessionId,
      status: ending.status,
      usage: ending.usage,
      ...(ending.error ? { error: ending.error } : {}),
    };
    await fireHooks(ctx, { harness, event: "stop", data });
    if (ending.status === "failed") await fireHooks(ctx, { harness, event: "error", data });
  });
}

/** A session was created (sessions.create, sessions.fork). */
export function sessionCreated(ctx: AuthedContext, input: { harnessId: string; harnessSlug?: string; sessionId: string }): Promise<void> {
  return quietly(ctx, "session.created", async () => {
    const harness = await harnessRef(ctx, input.harnessId, input.harnessSlug);
    await publishHarnessEvent(ctx, { harness, event: { type: "session.created", session_id: input.sessionId } });
    await fireHooks(ctx, { harness, event: "session.start", data: { session_id: input.sessionId } });
  });
}

/** A session ended (sessions.end). */
export function sessionEnded(ctx: AuthedContext, input: { harnessId: string; harnessSlug?: string; sessionId: string }): Promise<void> {
  return quietly(ctx, "session.ended", async () => {
    const harness = await harnessRef(ctx, input.harnessId, input.harnessSlug);
    await publishHarnessEvent(ctx, { harness, event: { type: "session.ended", session_id: input.sessionId } });
    await fireHooks(ctx, { harness, event: "session.end", data: { session_id: input.sessionId } });
  });
}

/** Characters of a message's content carried in its event and hook payload. */
export const MAX_MESSAGE_EVENT_CHARS = 8 * 1024;

/** A message entered a session (the user's, when queued) or its reply was written (the assistant's). */
export function sessionMessage(
  ctx: AuthedContext,
  input: { harnessId: string; sessionId: string; role: "user" | "assistant"; content: string; messageId?: string; executionId?: string },
): Promise<void> {
  return quietly(ctx, "session.message", async () => {
    const harness = await harnessRef(ctx, input.harnessId);
    const fields = {
      session_id: input.sessionId,
      role: input.role,
      content: input.content.slice(0, MAX_MESSAGE_EVENT_CHARS),
      ...(input.messageId ? { message_id: input.messageId } : {}),
      ...(input.executionId ? { execution_id: input.executionId } : {}),
    };
    await publishHarnessEvent(ctx, { harness, event: { type: "session.message", ...fields } });
    await fireHooks(ctx, { harness, event: "session.message", data: fields });
  });
}
