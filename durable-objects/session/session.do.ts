/**
 * `Session` — one Durable Object per session (named by the session id): a conversation a person or
 * program returns to over days, from several devices at once.
 *
 * Storage layout (SQLite, see `session.sql.ts`): `meta` (identity, status, the turn in progress),
 * `messages` (the history), `queue` (every message sent, in arrival order, and its outcome), `events`
 * (the log of every ServerMessage sent to sockets — `durable-objects/lib/event-log.ts`), `schedules`
 * (timers on the one alarm: `turn` start the next queued turn, `check` reconcile the turn in progress,
 * `purge` retention of the event log).
 *
 * Lifecycle:
 *   turns    every message — WebSocket `message`, sessions.sendMessage(Stream), execute with session_id —
 *            is queued; the `turn` timer starts the oldest queued message as a turn when no turn runs, so
 *            turns never interleave and none is lost. A turn is an execution on its `ExecutionRun`,
 *            started with the history as context and this session as its observer; its events arrive
 *            here by `runEvents`, become ServerMessages appended to the session's event log (which relays
 *            them to every socket), and its end is written to the history.
 *   sockets  WebSocket Hibernation API: the object may be evicted between messages; application pings
 *            are answered by the runtime without waking it. A socket connecting with `?after=<seq>`
 *            receives every logged message after that seq (across turns, while retained) before live
 *            ones — exact at any moment, mid-turn, at the last event or after the turn ended.
 *   safety   while a turn runs, the `check` timer every `TURN_CHECK_INTERVAL_MS` reconciles it from the
 *            run's summary, so a lost event delivery cannot strand the session.
 *   status   paused → new turns are refused (409) and sockets closed (4001); ended → the same with 4002,
 *            the turn in progress is cancelled, queued messages fail, history optionally deleted.
 *
 * Instance fields hold only waiters of in-flight RPCs and the event log's live subscription (lost with
 * the instance, as are the requests they serve).
 */
import { DurableObject } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { createDb } from "../../src/db/index.ts";
import { sessions } from "../../src/db/schema.ts";
import { ApiError } from "../../src/errors/api-error.ts";
import { newId } from "../../src/lib/ids.ts";
import type { JsonObject } from "../../src/lib/json.ts";
import { nowIso, sleep } from "../../src/lib/time.ts";
import { isTerminal, type ExecutionEvent } from "../../src/runtime/events.ts";
import { startExecution } from "../../src/services/executions/start.ts";
import { sessionMessage } from "../../src/services/harness-events/notify.ts";
import { executionRunStub } from "../execution-run/execution-run.client.ts";
import { EventLog, type LoggedEvent } from "../lib/event-log.ts";
import { Schedules } from "../lib/schedules.ts";
import { internalServiceContext } from "../lib/service-context.ts";
import type { ChargedMetering, RunSummary, SendInputOutcome, ToolCallRecord } from "../execution-run/execution-run.protocol.ts";
import {
  ClientMessage,
  CLOSE_SESSION_ENDED,
  CLOSE_SESSION_PAUSED,
  type EnqueueInput,
  type EnqueueOutcome,
  type HistoryPage,
  type MessageRecord,
  type MessageToolCall,
  type ServerMessage,
  type SessionApi,
  type SessionInit,
  type SessionStatus,
  type TurnEndOutcome,
  type TurnOverrides,
  type TurnProblem,
  type TurnStartOutcome,
  WS_SUBPROTOCOL,
} from "./session.protocol.ts";
import { SESSION_SCHEMA, upgradeSessionSchema } from "./session.sql.ts";
import { parseLastEventId } from "../../src/lib/sse.ts";

/** Interval of the reconcile alarm while a turn runs. */
export const TURN_CHECK_INTERVAL_MS = 30_000;
/** Most recent messages given to the model as context. */
export const MAX_CONTEXT_MESSAGES = 200;
/** How long sendMessage / execute wait for their turn to start or end before giving up. */
export const TURN_WAIT_TIMEOUT_MS = 15 * 60 * 1000;
/** When the `turn` timer fires if starting a turn inline did not happen (the instance went away), in milliseconds. */
export const TURN_START_SAFETY_MS = 5_000;
/** Messages a session may hold queued at once. */
export const MAX_QUEUED_TURNS = 100;
/** How long the session's event log keeps a message for reconnecting sockets, in milliseconds. */
export const SESSION_EVENT_RETENTION_MS = 60 * 60 * 1000;
/** Most messages the session's event log keeps (the oldest go first). */
export const MAX_SESSION_EVENTS = 10_000;

type Timer = "turn" | "check" | "purge";

interface MetaRow {
  session_id: string;
  org_id: string;
  harness_id: string;
  agent_id: string | null;
  system_prompt: string | null;
  status: SessionStatus;
  created_at: string;
  current_turn: string | null;
}

/** The turn in progress. `clientMessageId` is what replies carry as `id`. */
interface CurrentTurn {
  ticket: number;
  executionId: string;
  userMessageId: string;
  clientMessageId: string;
  startedAt: string;
  /** Tool names by tool-call id, to map `tool_call_end` (which carries no name) to `tool_call`. */
  toolNames: Record<string, string>;
  /** The session log's last seq when the turn started: its messages are the ones after it. */
  startSeq?: number;
}

interface QueueRow {
  ticket: number;
  client_message_id: string | null;
  content: string;
  source: "ws" | "http";
  overrides: string | null;
  state: "queued" | "starting" | "running" | "done" | "failed";
  execution_id: string | null;
  user_message_id: string | null;
  response_message_id: string | null;
  problem: string | null;
  metering: string | null;
}

interface MessageRow {
  idx: number;
  id: string;
  role: MessageRecord["role"];
  content: string;
  tool_calls: string | null;
  execution_id: string | null;
  status: string | null;
  created_at: string;
}

function problemOf(error: unknown): TurnProblem {
  if (error instanceof ApiError)
    return {
      code: error.code,
      detail: error.message,
      status: error.status,
      ...(error.details ? { details: JSON.parse(JSON.stringify(error.details)) as JsonObject } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  return { code: "internal_error", detail: "The turn could not be started.", status: 500 };
}

export class Session extends DurableObject<Env> implements SessionApi {
  private readonly sql: SqlStorage;
  private readonly log: EventLog<ServerMessage>;
  private readonly schedules: Schedules<Timer>;
  /** Resolvers of RPCs waiting for a queue row to change state. */
  private readonly waiters = new Set<() => void>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SESSION_SCHEMA);
    upgradeSessionSchema(this.sql);
    this.log = new EventLog<ServerMessage>(this.sql, "events");
    this.log.subscribe((logged) => this.broadcast({ ...logged.event, seq: logged.seq }));
    this.schedules = new Schedules<Timer>(ctx.storage);
    // Application-level keep-alives are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  // ---------------------------------------------------------------- lifecycle RPC

  /** Creates the session (idempotent), optionally with copied history (sessions.fork) — one transaction. */
  async init(init: SessionInit, history: MessageRecord[] = []): Promise<void> {
    if (this.meta()) return;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT INTO meta (id, session_id, org_id, harness_id, agent_id, system_prompt, status, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
        init.sessionId,
        init.orgId,
        init.harnessId,
        init.agentId,
        init.systemPrompt,
        init.status,
        init.createdAt,
      );
      for (const m of history) {
        this.sql.exec(
          "INSERT INTO messages (id, role, content, tool_calls, execution_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          newId("message"),
          m.role,
          m.content,
          m.tool_calls ? JSON.stringify(m.tool_calls) : null,
          m.execution_id ?? null,
          m.status ?? null,
          m.created_at,
        );
      }
    });
  }

  /** Removes everything (used to undo a fork whose index row could not be written). */
  async destroy(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) ws.close(CLOSE_SESSION_ENDED, "session removed");
    await this.ctx.storage.deleteAll();
  }

  /**
   * Sets `active` or `paused`. Pausing closes every socket (4001); resuming starts queued turns.
   * A turn in progress finishes either way.
   */
  async setStatus(status: "active" | "paused"): Promise<void> {
    const meta = this.meta();
    if (!meta || meta.status === "ended") return;
    this.sql.exec("UPDATE meta SET status = ? WHERE id = 1", status);
    if (status === "paused") {
      for (const ws of this.ctx.getWebSockets()) ws.close(CLOSE_SESSION_PAUSED, "session paused");
    } else {
      await this.startTurns();
    }
  }

  /**
   * Ends the session: closes sockets (4002), cancels the turn in progress, fails queued messages and,
   * with `deleteHistory`, deletes the messages.
   */
  async end(deleteHistory: boolean): Promise<void> {
    const meta = this.meta();
    if (!meta) return;
    this.sql.exec("UPDATE meta SET status = 'ended' WHERE id = 1");
    for (const ws of this.ctx.getWebSockets()) ws.close(CLOSE_SESSION_ENDED, "session ended");
    const turn = this.currentTurn();
    if (turn) await executionRunStub(this.env, turn.executionId).cancel();
    const problem: TurnProblem = { code: "session_ended", detail: "The session ended before this message's turn started.", status: 409 };
    this.sql.exec("UPDATE queue SET state = 'failed', problem = ? WHERE state = 'queued'", JSON.stringify(problem));
    if (deleteHistory) {
      this.sql.exec("DELETE FROM messages");
      this.log.purge();
    }
    this.wake();
  }

  // ---------------------------------------------------------------- turns

  /**
   * Queues `input` as a turn. Refused (as data) when the session is paused or ended, or the queue is full.
   */
  async enqueue(input: EnqueueInput): Promise<EnqueueOutcome> {
    const meta = this.meta();
    if (!meta) return { ok: false, problem: { code: "session_not_found", detail: "No such session.", status: 404 } };
    const refused = this.refusal(meta);
    if (refused) return { ok: false, problem: refused };
    const queued = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM queue WHERE state IN ('queued', 'starting')").one().n;
    if (queued >= MAX_QUEUED_TURNS) {
      return {
        ok: false,
        problem: {
          code: "rate_limited",
          detail: `The session already has ${queued} messages waiting; wait for turns to finish.`,
          status: 429,
        },
      };
    }
    const ticket = this.sql
      .exec<{ ticket: number }>(
        "INSERT INTO queue (client_message_id, content, source, overrides, state, created_at, metering) VALUES (?, ?, ?, ?, 'queued', ?, ?) RETURNING ticket",
        input.clientMessageId ?? null,
        input.content,
        input.source,
        input.overrides ? JSON.stringify(input.overrides) : null,
        nowIso(),
        input.metering ? JSON.stringify(input.metering) : null,
      )
      .one().ticket;
    this.ctx.waitUntil(
      sessionMessage(this.services(meta), {
        harnessId: meta.harness_id,
        sessionId: meta.session_id,
        role: "user",
        content: input.content,
        ...(input.clientMessageId ? { messageId: input.clientMessageId } : {}),
      }),
    );
    if (!this.currentTurn()) await this.startTurns();
    return { ok: true, ticket };
  }

  /** Waits until the turn of `ticket` has started (its execution exists) or failed to start. */
  async waitForTurnStart(ticket: number): Promise<TurnStartOutcome> {
    return this.waitFor(ticket, (row) => {
      if (row.state === "failed" && !row.execution_id) return { ok: false, problem: JSON.parse(row.problem!) as TurnProblem };
      if (row.execution_id && row.state !== "queued" && row.state !== "starting")
        return { ok: true, executionId: row.execution_id, userMessageId: row.user_message_id! };
      return undefined;
    });
  }

  /** Waits until the turn of `ticket` has ended, and returns the stored user message and reply. */
  async waitForTurnEnd(ticket: number): Promise<TurnEndOutcome> {
    return this.waitFor(ticket, (row) => {
      if (row.state === "failed" && !row.response_message_id) return { ok: false, problem: JSON.parse(row.problem!) as TurnProblem };
      if (row.state === "done" || (row.state === "failed" && row.response_message_id)) {
        return {
          ok: true,
          executionId: row.execution_id!,
          message: this.message(row.user_message_id!)!,
          response: this.message(row.response_message_id!)!,
        };
      }
      return undefined;
    });
  }

  /**
   * Events of a turn's execution, forwarded by its `ExecutionRun` in order (`RunObserver`). Each becomes
   * the ServerMessage it maps to, appended to the session's log (which relays it to every socket); the
   * terminal event ends the turn.
   */
  async runEvents(executionId: string, events: LoggedEvent<ExecutionEvent>[]): Promise<void> {
    const turn = this.currentTurn();
    if (!turn || turn.executionId !== executionId) return;
    let terminal: ExecutionEvent | undefined;
    for (const logged of events) {
      if (logged.event.type === "tool_call_start") turn.toolNames[logged.event.id] = logged.event.name;
      const message = this.toServerMessage(turn, logged);
      if (message) this.log.append(message);
      if (isTerminal(logged.event)) terminal = logged.event;
    }
    this.saveTurn(turn);
    if (terminal) await this.finishTurn(turn);
  }

  /** Answers the pending `ask_user` of the turn in progress (HTTP callers use execution.sendInput). */
  async sendInput(data: string): Promise<SendInputOutcome> {
    const turn = this.currentTurn();
    if (!turn) return { accepted: false, reason: "not_waiting" };
    return executionRunStub(this.env, turn.executionId).sendInput(data);
  }

  // ---------------------------------------------------------------- reads

  /** A page of history, oldest first; `since` keeps messages created after that time (ISO 8601). */
  async history(page: { limit: number; offset: number; since?: string }): Promise<HistoryPage> {
    const since = page.since ?? "";
    const total = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages WHERE created_at > ?", since).one().n;
    const items = this.sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM messages WHERE created_at > ? ORDER BY idx LIMIT ? OFFSET ?",
        since,
        page.limit,
        page.offset,
      )
      .toArray()
      .map((r) => this.toMessage(r as unknown as MessageRow));
    return { items, total };
  }

  /** Messages up to and including `messageId` (all when absent); `null` when the id is not in the history. */
  async messagesUpTo(messageId?: string): Promise<MessageRecord[] | null> {
    let limit = Number.MAX_SAFE_INTEGER;
    if (messageId) {
      const at = this.sql.exec<{ idx: number }>("SELECT idx FROM messages WHERE id = ?", messageId).toArray()[0];
      if (!at) return null;
      limit = at.idx;
    }
    return this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM messages WHERE idx <= ? ORDER BY idx", limit)
      .toArray()
      .map((r) => this.toMessage(r as unknown as MessageRow));
  }

  /** Number of messages in the history. */
  async messageCount(): Promise<number> {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages").one().n;
  }

  // ---------------------------------------------------------------- sockets

  /**
   * `GET /connect` (WebSocket upgrade, already authenticated and authorised by the Worker). Accepts the
   * socket with the Hibernation API, echoes `openharness.v1` when offered, and replays the turn in
   * progress (events after `?after=<seq>`) so a reconnecting client catches up.
   */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/connect" || request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("not found", { status: 404 });
    }
    const meta = this.meta();
    if (!meta) return new Response("no such session", { status: 404 });
    const after = url.searchParams.get("after");
    const cursor = after !== null ? parseLastEventId(after) : undefined;
    // A cursor the log never issued: refused (as the SSE streams do) before any live message reaches it.
    const refused = cursor !== undefined ? this.log.refuseCursorBeyondEnd(cursor) : undefined;
    if (refused) return refused;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    // Replay, then live: accepted above, so every message appended from here on reaches this socket too,
    // and nothing is appended between this synchronous replay and that point.
    const from = cursor ?? this.currentTurn()?.startSeq;
    if (from !== undefined) for (const logged of this.log.since(from)) server.send(JSON.stringify({ ...logged.event, seq: logged.seq }));
    const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    const headers = offered.includes(WS_SUBPROTOCOL) ? { "sec-websocket-protocol": WS_SUBPROTOCOL } : undefined;
    return new Response(null, { status: 101, webSocket: client, ...(headers ? { headers } : {}) });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    let parsed: ClientMessage;
    try {
      const result = ClientMessage.safeParse(JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw)));
      if (!result.success) {
        const issue = result.error.issues[0];
        return this.sendError(
          ws,
          "unknown",
          "invalid_message",
          `${issue?.path.join(".") || "message"}: ${issue?.message ?? "invalid"}. Send {type: "message", id, content}, {type: "stdin", id, data} or {type: "cancel", execution_id}.`,
        );
      }
      parsed = result.data;
    } catch {
      return this.sendError(ws, "unknown", "invalid_message", "Frames must be JSON text.");
    }
    switch (parsed.type) {
      case "message": {
        const outcome = await this.enqueue({ content: parsed.content, clientMessageId: parsed.id, source: "ws" });
        if (!outcome.ok) this.sendError(ws, parsed.id, outcome.problem.code, outcome.problem.detail);
        return;
      }
      case "stdin": {
        const outcome = await this.sendInput(parsed.data);
        if (!outcome.accepted) {
          this.sendError(
            ws,
            parsed.id,
            outcome.reason === "finished" ? "execution_ended" : "execution_not_waiting",
            "No question is waiting for an answer.",
          );
        }
        return;
      }
      case "cancel": {
        const turn = this.currentTurn();
        if (!turn || turn.executionId !== parsed.execution_id) {
          return this.sendError(
            ws,
            turn?.clientMessageId ?? "unknown",
            "execution_not_found",
            `Execution ${parsed.execution_id} is not the turn in progress.`,
          );
        }
        await executionRunStub(this.env, turn.executionId).cancel();
        return;
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  // ---------------------------------------------------------------- alarm: start turns, reconcile

  override async alarm(): Promise<void> {
    const due = await this.schedules.takeDue();
    const meta = this.meta();
    if (!meta) return;
    // An alarm with nothing due was set before timers existed (or forced): check the turn or start one.
    if (due.length === 0) due.push(this.currentTurn() ? "check" : "turn");
    if (due.includes("purge")) await this.purgeEvents();
    const turn = this.currentTurn();
    if (turn && (due.includes("check") || due.includes("turn"))) {
      const summary = await executionRunStub(this.env, turn.executionId).summary();
      if (summary && ["completed", "failed", "cancelled"].includes(summary.status)) await this.finishTurn(turn, summary);
      else await this.schedules.set("check", Date.now() + TURN_CHECK_INTERVAL_MS);
      return;
    }
    if (due.includes("turn")) await this.startNextTurn(meta);
  }

  /** Retention: drops logged messages older than `SESSION_EVENT_RETENTION_MS` and beyond `MAX_SESSION_EVENTS`. */
  private async purgeEvents(): Promise<void> {
    this.log.purgeOlderThan(new Date(Date.now() - SESSION_EVENT_RETENTION_MS).toISOString());
    this.log.trimTo(MAX_SESSION_EVENTS);
    const oldest = this.log.firstRetainedSeq();
    if (oldest !== undefined) {
      const at = this.log.replay(oldest - 1, 1)[0]?.at;
      if (at) await this.schedules.set("purge", Date.parse(at) + SESSION_EVENT_RETENTION_MS);
    }
  }

  /**
   * Starts the next queued turn now (without waiting for an alarm), with the `turn` timer as a safety
   * net should this instance go away before the turn is recorded.
   */
  private async startTurns(): Promise<void> {
    await this.schedules.set("turn", Date.now() + TURN_START_SAFETY_MS);
    const meta = this.meta();
    if (meta) this.ctx.waitUntil(this.startNextTurn(meta));
  }

  private async startNextTurn(meta: MetaRow): Promise<void> {
    while (!this.currentTurn() && meta.status === "active") {
      const next = this.sql
        .exec<Record<string, SqlStorageValue>>("SELECT * FROM queue WHERE state = 'queued' ORDER BY ticket LIMIT 1")
        .toArray()[0] as QueueRow | undefined;
      if (!next) return;
      const userMessageId = newId("message");
      const executionId = newId("execution");
      const turn: CurrentTurn = {
        ticket: next.ticket,
        executionId,
        userMessageId,
        clientMessageId: next.client_message_id ?? userMessageId,
        startedAt: nowIso(),
        toolNames: {},
        startSeq: this.log.lastSeq(),
      };
      const history = this.contextMessages();
      // The turn is known before its run can emit anything (events may arrive while we await below).
      this.ctx.storage.transactionSync(() => {
        this.sql.exec(
          "INSERT INTO messages (id, role, content, execution_id, created_at) VALUES (?, 'user', ?, ?, ?)",
          userMessageId,
          next.content,
          executionId,
          turn.startedAt,
        );
        this.sql.exec(
          "UPDATE queue SET state = 'starting', execution_id = ?, user_message_id = ? WHERE ticket = ?",
          executionId,
          userMessageId,
          next.ticket,
        );
        this.saveTurn(turn);
      });
      try {
        const overrides = next.overrides ? (JSON.parse(next.overrides) as TurnOverrides) : {};
        const metering = next.metering ? (JSON.parse(next.metering) as ChargedMetering) : undefined;
        await startExecution({
          ctx: this.services(meta),
          input: {
            ref: meta.harness_id,
            operationId: "sessions.turn",
            body: {
              message: next.content,
              ...(meta.agent_id ? { agent_id: meta.agent_id } : {}),
              ...overrides,
              ...(meta.system_prompt || overrides.system_prompt
                ? { system_prompt: [meta.system_prompt, overrides.system_prompt].filter(Boolean).join("\n\n") }
                : {}),
            },
            session: { id: meta.session_id, history, executionId },
            ...(metering ? { metering } : {}),
          },
        });
        this.sql.exec("UPDATE queue SET state = 'running' WHERE ticket = ? AND state = 'starting'", next.ticket);
        await this.syncIndex();
        await this.schedules.set("check", Date.now() + TURN_CHECK_INTERVAL_MS);
      } catch (error) {
        // The turn never ran: undo its user message so the history stays a sequence of answered turns.
        const problem = problemOf(error);
        if (problem.code === "internal_error") this.services(meta).log.error("a turn could not be started", { where: "Session", error });
        this.ctx.storage.transactionSync(() => {
          this.sql.exec("DELETE FROM messages WHERE id = ?", userMessageId);
          this.sql.exec(
            "UPDATE queue SET state = 'failed', execution_id = NULL, problem = ? WHERE ticket = ?",
            JSON.stringify(problem),
            next.ticket,
          );
          this.sql.exec("UPDATE meta SET current_turn = NULL WHERE id = 1");
        });
        this.log.append({ type: "error", id: turn.clientMessageId, code: problem.code, message: problem.detail });
      }
      this.wake();
      meta = this.meta()!;
    }
  }

  /** Writes the turn's reply to the history, releases waiters and moves on to the next queued message. */
  private async finishTurn(turn: CurrentTurn, known?: RunSummary): Promise<void> {
    if (this.currentTurn()?.executionId !== turn.executionId) return;
    const run = executionRunStub(this.env, turn.executionId);
    const summary: RunSummary | null = known ?? (await run.summary());
    const toolCalls: ToolCallRecord[] = await run.toolCalls();
    if (this.currentTurn()?.executionId !== turn.executionId) return;
    const responseId = newId("message");
    const calls: MessageToolCall[] = toolCalls.map((t) => ({
      id: t.id,
      name: t.name,
      input: t.input,
      ...(t.output ? { output: t.output } : {}),
      status: t.status,
    }));
    const status = summary?.status ?? "failed";
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT INTO messages (id, role, content, tool_calls, execution_id, status, created_at) VALUES (?, 'assistant', ?, ?, ?, ?, ?)",
        responseId,
        summary?.output ?? "",
        calls.length ? JSON.stringify(calls) : null,
        turn.executionId,
        status,
        nowIso(),
      );
      this.sql.exec(
        "UPDATE queue SET state = ?, response_message_id = ?, problem = ? WHERE ticket = ?",
        status === "completed" ? "done" : "failed",
        responseId,
        status === "completed"
          ? null
          : JSON.stringify({
              code: summary?.errorCode ?? "turn_failed",
              detail: summary?.errorMessage ?? "The turn did not complete.",
              status: 502,
            } satisfies TurnProblem),
        turn.ticket,
      );
      this.sql.exec("UPDATE meta SET current_turn = NULL WHERE id = 1");
    });
    // A turn reconciled by the alarm lost its event delivery: still tell the sockets how it ended.
    if (known) {
      this.log.append(
        status === "completed"
          ? { type: "done", id: turn.clientMessageId, usage: known.usage, execution_id: turn.executionId }
          : {
              type: "error",
              id: turn.clientMessageId,
              code: known.errorCode ?? "turn_failed",
              message: known.errorMessage ?? "The turn did not complete.",
              execution_id: turn.executionId,
            },
      );
    }
    const meta = this.meta()!;
    this.ctx.waitUntil(
      sessionMessage(this.services(meta), {
        harnessId: meta.harness_id,
        sessionId: meta.session_id,
        role: "assistant",
        content: summary?.output ?? "",
        messageId: responseId,
        executionId: turn.executionId,
      }),
    );
    await this.syncIndex();
    this.wake();
    await this.schedules.clear("check");
    await this.startTurns();
    if (this.schedules.at("purge") === undefined) await this.schedules.set("purge", Date.now() + SESSION_EVENT_RETENTION_MS);
  }

  // ---------------------------------------------------------------- helpers

  private meta(): MetaRow | undefined {
    return this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM meta WHERE id = 1").toArray()[0] as MetaRow | undefined;
  }

  private currentTurn(): CurrentTurn | undefined {
    const raw = this.meta()?.current_turn;
    return raw ? (JSON.parse(raw) as CurrentTurn) : undefined;
  }

  private saveTurn(turn: CurrentTurn): void {
    this.sql.exec("UPDATE meta SET current_turn = ? WHERE id = 1", JSON.stringify(turn));
  }

  private message(id: string): MessageRecord | undefined {
    const row = this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM messages WHERE id = ?", id).toArray()[0];
    return row ? this.toMessage(row as unknown as MessageRow) : undefined;
  }

  /** The context a new turn gets: the latest answered messages, oldest first (the new message excluded). */
  private contextMessages(): { role: "user" | "assistant"; content: string }[] {
    return this.sql
      .exec<{ role: string; content: string }>(
        "SELECT role, content FROM (SELECT idx, role, content FROM messages WHERE role IN ('user', 'assistant') ORDER BY idx DESC LIMIT ?) ORDER BY idx",
        MAX_CONTEXT_MESSAGES,
      )
      .toArray()
      .filter((m) => m.content !== "")
      .map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
  }

  private refusal(meta: MetaRow): TurnProblem | undefined {
    if (meta.status === "paused")
      return { code: "session_paused", detail: "The session is paused; resume it to send messages.", status: 409 };
    if (meta.status === "ended")
      return { code: "session_ended", detail: "The session has ended; create or fork a session to continue.", status: 409 };
    return undefined;
  }

  private services(meta: MetaRow) {
    return internalServiceContext(this.env, {
      orgId: meta.org_id,
      subject: `session:${meta.session_id}`,
      log: { session_id: meta.session_id },
    });
  }

  private async syncIndex(): Promise<void> {
    const meta = this.meta()!;
    const count = await this.messageCount();
    await createDb(this.env.DB).update(sessions).set({ messageCount: count, updatedAt: nowIso() }).where(eq(sessions.id, meta.session_id));
  }

  /** Polls a queue row until `check` decides, waking early when a turn changes state. */
  private async waitFor<T>(ticket: number, check: (row: QueueRow) => T | undefined): Promise<T | { ok: false; problem: TurnProblem }> {
    const deadline = Date.now() + TURN_WAIT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const row = this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM queue WHERE ticket = ?", ticket).toArray()[0] as
        QueueRow | undefined;
      if (!row) return { ok: false, problem: { code: "session_not_found", detail: "No such queued message.", status: 404 } };
      const decided = check(row);
      if (decided !== undefined) return decided;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          resolve();
        };
        this.waiters.add(done);
        void sleep(1000).then(done);
      });
    }
    return {
      ok: false,
      problem: { code: "upstream_unavailable", detail: "The turn did not finish in time; follow it on the execution stream.", status: 503 },
    };
  }

  private wake(): void {
    // Deleting the current element while iterating a Set is safe (each waiter removes itself).
    for (const waiter of this.waiters) waiter();
  }

  private broadcast(message: ServerMessage): void {
    const frame = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // A socket that is closing; the runtime removes it.
      }
    }
  }

  private sendError(ws: WebSocket, id: string, code: string, message: string): void {
    ws.send(JSON.stringify({ type: "error", id, code, message } satisfies ServerMessage));
  }

  /** ExecutionEvent → ServerMessage (spec §7 mapping); events without a WebSocket counterpart map to nothing. */
  private toServerMessage(turn: CurrentTurn, logged: LoggedEvent<ExecutionEvent>): ServerMessage | undefined {
    const event = logged.event;
    const base = { id: turn.clientMessageId, execution_id: turn.executionId, event_seq: logged.seq };
    switch (event.type) {
      case "text":
        return { type: "text", content: event.content, ...base };
      case "thinking":
        return { type: "thinking", content: event.content, ...base };
      case "tool_call_end": {
        const name = turn.toolNames[event.id] ?? "unknown";
        if (name === "ask_user") return { type: "prompt", prompt: String(event.input?.prompt ?? ""), ...base };
        return { type: "tool_call", tool: name, input: event.input ?? {}, ...base };
      }
      case "artifact":
        return { type: "artifact", name: event.name, mime_type: event.mime_type, ...base };
      case "error": {
        if (!event.recoverable) return { type: "error", code: event.code, message: event.message, ...base };
        const abandoned = event.abandoned_from_seq === undefined ? undefined : this.sessionSeqOf(turn, event.abandoned_from_seq);
        if (abandoned === undefined) return undefined;
        return { type: "error", code: event.code, message: event.message, recoverable: true, abandoned_from_seq: abandoned, ...base };
      }
      case "done":
        return { type: "done", usage: event.usage, ...base };
      default:
        return undefined;
    }
  }

  /** The first session seq of `turn` that came from execution event `eventSeq` or later (`undefined`: none was sent). */
  private sessionSeqOf(turn: CurrentTurn, eventSeq: number): number | undefined {
    for (const logged of this.log.since(turn.startSeq ?? 0)) {
      if (logged.event.execution_id === turn.executionId && (logged.event.event_seq ?? 0) >= eventSeq) return logged.seq;
    }
    return undefined;
  }

  private toMessage(r: MessageRow): MessageRecord {
    return {
      id: r.id,
      role: r.role,
      content: r.content,
      ...(r.tool_calls ? { tool_calls: JSON.parse(r.tool_calls) as MessageToolCall[] } : {}),
      created_at: r.created_at,
      ...(r.execution_id ? { execution_id: r.execution_id } : {}),
      ...(r.status ? { status: r.status } : {}),
    };
  }
}
