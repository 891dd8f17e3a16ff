/**
 * Sending messages into a session: sessions.sendMessage (waits for the reply), sessions.sendMessageStream
 * and execute / execute/stream with `session_id` (wait for the turn to start, then follow its execution),
 * and sessions.connect (the WebSocket upgrade, handed to the session's object).
 */
import { sessionStub } from "../../../durable-objects/session/session.client.ts";
import type { MessageRecord, TurnOverrides, TurnProblem } from "../../../durable-objects/session/session.protocol.ts";
import { ApiError } from "../../errors/api-error.ts";
import { ERROR_TABLE, type ErrorCode } from "../../errors/table.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { assertNotArchived } from "../harnesses/lifecycle.ts";
import { chargeRequest } from "../limits/quota.ts";
import { findSession, sessionRefusal, type FoundSession } from "./find.ts";
import { refuseCursorBeyondEnd } from "../streams/cursor.ts";

/** A problem reported by a session object, as the ApiError it stands for. */
export function problemToError(problem: TurnProblem): ApiError {
  const code = (Object.hasOwn(ERROR_TABLE, problem.code) ? problem.code : "internal_error") as ErrorCode;
  return new ApiError(code, problem.detail, {
    ...(problem.details ? { details: problem.details } : {}),
    ...(problem.retryAfterSeconds !== undefined ? { retryAfterSeconds: problem.retryAfterSeconds } : {}),
  });
}

/** A message for a session's next turn. */
export interface TurnInput {
  ref: string;
  sessionId: string;
  content: string;
  overrides?: TurnOverrides;
  /** ExecuteRequest.agent_id: must match the session's agent (a session runs as one agent). */
  agentId?: string;
  /** When set, only a session owned by this subject resolves (chat conversations are private to their owner). */
  ownerSubject?: string;
}

async function enqueue(ctx: AuthedContext, input: TurnInput): Promise<{ found: FoundSession; ticket: number }> {
  const found = await findSession({ ctx, input });
  assertNotArchived(found.harness, "sessions.sendMessage");
  assertCapability(found.harness, "sessions", "create", "sessions.sendMessage");
  const refused = sessionRefusal(found.session, found.harness.slug);
  if (refused) throw refused;
  if (input.agentId && input.agentId !== found.session.agentId) {
    throw new ApiError(
      "validation_error",
      `Session ${found.session.id} runs as ${found.session.agentId ?? "no agent"}; agent_id cannot change per turn.`,
      {
        details: { field: "body.agent_id" },
        actions: [{ rel: "fix-input", hint: "Omit agent_id, or create a session for that agent." }],
      },
    );
  }
  // Charged before it is queued (a 429 answers this request, not a later turn), to the session's owner.
  const owner = found.session.ownerSubject ?? ctx.principal.subject;
  await chargeRequest({ ctx, input: { surface: "execution", subject: owner } });
  const charged = ctx.meter?.charged ?? { subject: owner, surface: "execution" as const };
  const outcome = await sessionStub(ctx.env, found.session.id).enqueue({
    content: input.content,
    source: "http",
    ...(input.overrides ? { overrides: input.overrides } : {}),
    metering: { ...charged, charged: true },
  });
  if (!outcome.ok) throw problemToError(outcome.problem);
  return { found, ticket: outcome.ticket };
}

/**
 * Queues a turn and waits until it has started; returns its execution id. Used by sessions.sendMessageStream
 * and by execute / execute/stream with `session_id`.
 * The request is charged to the session's owner (`rate_limited`, 429, when over a daily limit).
 * @throws ApiError `session_not_found`, `session_paused`, `session_ended` (409), `rate_limited` (429), and
 *   whatever starting the turn raised (e.g. `model_not_available`).
 */
export async function startSessionTurn({
  ctx,
  input,
}: VerbArgs<AuthedContext, TurnInput>): Promise<{ found: FoundSession; executionId: string }> {
  const { found, ticket } = await enqueue(ctx, input);
  const started = await sessionStub(ctx.env, found.session.id).waitForTurnStart(ticket);
  if (!started.ok) throw problemToError(started.problem);
  return { found, executionId: started.executionId };
}

/**
 * sessions.sendMessage — queues a turn and waits for the full reply. The request is charged to the
 * session's owner before the turn is queued.
 * @throws ApiError `session_not_found`, `session_paused`/`session_ended` (409), `rate_limited` (429), and
 *   whatever starting the turn raised.
 * @returns the stored user message and the assistant's reply (whose `status` says how the turn ended).
 */
export async function sendSessionMessage({
  ctx,
  input,
}: VerbArgs<AuthedContext, TurnInput>): Promise<{ executionId: string; message: MessageRecord; response: MessageRecord }> {
  const { found, ticket } = await enqueue(ctx, input);
  const ended = await sessionStub(ctx.env, found.session.id).waitForTurnEnd(ticket);
  if (!ended.ok) throw problemToError(ended.problem);
  return { executionId: ended.executionId, message: ended.message, response: ended.response };
}

/**
 * sessions.connect — hands an authenticated WebSocket upgrade to the session's object.
 * @throws ApiError `session_paused` / `session_ended` (409): such sessions accept no connections; `validation_error`
 *   (400) for an `after` beyond the session log's last seq.
 */
export async function connectSession({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId: string; request: Request; after?: string }>): Promise<Response> {
  const found = await findSession({ ctx, input });
  const refused = sessionRefusal(found.session, found.harness.slug);
  if (refused) throw refused;
  const url = new URL("https://session/connect");
  if (input.after) url.searchParams.set("after", input.after);
  const headers = new Headers({ upgrade: "websocket" });
  const protocol = input.request.headers.get("sec-websocket-protocol");
  if (protocol) headers.set("sec-websocket-protocol", protocol);
  const response = await sessionStub(ctx.env, found.session.id).fetch(new Request(url, { headers }));
  await refuseCursorBeyondEnd(response);
  return response;
}
