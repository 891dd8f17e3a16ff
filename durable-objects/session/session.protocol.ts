/**
 * The contract between the Worker and a `Session` Durable Object, and the WebSocket protocol of
 * `sessions.connect` (Open Harness §7: `ClientMessage` in, `ServerMessage` out).
 */
import { z } from "zod";
import type { UsageJson } from "../../src/db/schema.ts";
import type { JsonObject } from "../../src/lib/json.ts";
import type { ExecutionEvent } from "../../src/runtime/events.ts";
import type { ChargedMetering, RunObserver, SendInputOutcome } from "../execution-run/execution-run.protocol.ts";
import type { LoggedEvent } from "../lib/event-log.ts";
import { MAX_INPUT_CHARS, MAX_MESSAGE_CHARS, MAX_REF_CHARS } from "../../src/lib/limits.ts";

export type SessionStatus = "active" | "paused" | "ended";

/** What a Session object is created with (sessions.create and sessions.fork). */
export interface SessionInit {
  sessionId: string;
  orgId: string;
  harnessId: string;
  agentId: string | null;
  systemPrompt: string | null;
  status: SessionStatus;
  createdAt: string;
}

/** Open Harness `ToolCall` as recorded on an assistant message. */
export interface MessageToolCall {
  id: string;
  name: string;
  input: JsonObject;
  output?: JsonObject;
  status: "pending" | "running" | "completed" | "failed";
}

/** Open Harness `Message` plus the execution that produced it. */
export interface MessageRecord {
  id: string;
  role: "user" | "assistant" | "system";
  content: string;
  tool_calls?: MessageToolCall[];
  created_at: string;
  /** The turn's execution (user and assistant messages of a turn share it). */
  execution_id?: string;
  /** For assistant messages: how the turn ended (completed | failed | cancelled). */
  status?: string;
}

/** Per-turn overrides a message may carry (the ExecuteRequest fields that make sense inside a session). */
export interface TurnOverrides {
  model?: string;
  max_tokens?: number;
  temperature?: number;
  system_prompt?: string;
}

/** A message to queue as a turn. */
export interface EnqueueInput {
  content: string;
  /** The client's id (WebSocket `message.id`); replies carry it. Defaults to the stored user message id. */
  clientMessageId?: string;
  source: "ws" | "http";
  overrides?: TurnOverrides;
  /**
   * Whom the turn is charged to and recorded for, decided by the request that sent it (HTTP turns are
   * charged before they are queued). Absent for WebSocket messages: the turn charges the session's owner.
   */
  metering?: ChargedMetering;
}

/** A problem that crossed the RPC boundary as data (class instances do not survive it). */
export interface TurnProblem {
  code: string;
  detail: string;
  status: number;
  details?: JsonObject;
  /** Seconds until a retry may succeed (`rate_limited`), carried into `Retry-After`. */
  retryAfterSeconds?: number;
}

export type EnqueueOutcome = { ok: true; ticket: number } | { ok: false; problem: TurnProblem };
export type TurnStartOutcome = { ok: true; executionId: string; userMessageId: string } | { ok: false; problem: TurnProblem };
export type TurnEndOutcome =
  { ok: true; executionId: string; message: MessageRecord; response: MessageRecord } | { ok: false; problem: TurnProblem };

/** A page of history. */
export interface HistoryPage {
  items: MessageRecord[];
  total: number;
}

/** WebSocket close codes the server uses (4000–4999 are application codes, RFC 6455 §7.4.2). */
export const CLOSE_SESSION_PAUSED = 4001;
export const CLOSE_SESSION_ENDED = 4002;

/** Subprotocol echoed when the client offers it (route guide). */
export const WS_SUBPROTOCOL = "openharness.v1";

/** Open Harness `ClientMessage` (§7.1). */
export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), id: z.string().min(1).max(MAX_REF_CHARS), content: z.string().min(1).max(MAX_MESSAGE_CHARS) }),
  z.object({ type: z.literal("stdin"), id: z.string().min(1).max(MAX_REF_CHARS), data: z.string().max(MAX_INPUT_CHARS) }),
  z.object({ type: z.literal("cancel"), execution_id: z.string().min(1).max(100) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/**
 * Open Harness `ServerMessage` (§7.2). `id` correlates with the client message that started the turn.
 * Additive fields: `seq` — the message's position in the session's event log, what `?after=` refers to
 * when a socket reconnects; `execution_id` and `event_seq` — the turn's execution and the execution
 * event this message came from, so a client can also follow the turn on the execution's SSE stream.
 * `run_resumed` errors are `recoverable` and name `abandoned_from_seq` (a session seq, see README).
 */
export type ServerMessage = (
  | { type: "text"; id: string; content: string }
  | { type: "thinking"; id: string; content: string }
  | { type: "tool_call"; id: string; tool: string; input: Record<string, unknown> }
  | { type: "stdout"; id: string; data: string }
  | { type: "stderr"; id: string; data: string }
  | { type: "prompt"; id: string; prompt: string }
  | { type: "artifact"; id: string; name: string; mime_type: string }
  | { type: "error"; id: string; code: string; message: string; recoverable?: boolean; abandoned_from_seq?: number }
  | { type: "done"; id: string; usage: UsageJson & { duration_ms?: number } }
) & { execution_id?: string; seq?: number; event_seq?: number };

/** The RPC surface of a `Session` as callers see it (the class implements it). */
export interface SessionApi extends RunObserver {
  init(init: SessionInit, history?: MessageRecord[]): Promise<void>;
  destroy(): Promise<void>;
  setStatus(status: "active" | "paused"): Promise<void>;
  end(deleteHistory: boolean): Promise<void>;
  enqueue(input: EnqueueInput): Promise<EnqueueOutcome>;
  waitForTurnStart(ticket: number): Promise<TurnStartOutcome>;
  waitForTurnEnd(ticket: number): Promise<TurnEndOutcome>;
  runEvents(executionId: string, events: LoggedEvent<ExecutionEvent>[]): Promise<void>;
  sendInput(data: string): Promise<SendInputOutcome>;
  history(page: { limit: number; offset: number; since?: string }): Promise<HistoryPage>;
  messagesUpTo(messageId?: string): Promise<MessageRecord[] | null>;
  messageCount(): Promise<number>;
  /** `GET /connect` WebSocket upgrade. */
  fetch(request: Request): Promise<Response>;
}
