/**
 * `HarnessEvents` — one Durable Object per harness (named by its typed id): the harness's live event
 * fan-out and recent history (DESIGN.md "harness-wide live event fan-out").
 *
 * Storage layout (SQLite): `meta` (organization and harness, set by the first publish — see
 * `harness-events.sql.ts`), `events` (the event log, `seq` = SSE id — `durable-objects/lib/event-log.ts`),
 * `logs` (the harness's log: one line per event plus what runs, tool calls and webhook deliveries write;
 * the same log module, `type` = level), `schedules` (the `purge` timer on the one alarm —
 * `durable-objects/lib/schedules.ts`). Instance fields hold only the logs' live subscribers (the open
 * streams of this instance).
 *
 * Lifecycle:
 *   publish  the Worker, runs (`ExecutionRun`), sessions and the hook runner send events; each is appended
 *            with a monotonic `seq` and handed to every open stream at once. At most
 *            {@link MAX_HARNESS_EVENTS} are kept (the oldest go first).
 *   stream   `GET /stream`: replays strictly after `Last-Event-ID` (or `?after=`), then follows live events,
 *            filtered by type when asked — exact at any point of reconnection (replay and subscription
 *            happen in one synchronous block). The stream never ends by itself; `: ping` keeps it open.
 *   log      every published event logs a line (`log-lines.ts`); `appendLogs` adds the lines that are not
 *            events (tool calls, webhook attempts). `GET /logs/stream` follows them like the event stream,
 *            from a minimum level. At most {@link MAX_HARNESS_LOGS} lines are kept.
 *   purge    the `purge` timer deletes events and log lines older than {@link HARNESS_EVENT_RETENTION_MS}
 *            and re-arms itself for the oldest remaining one; an idle harness's object then holds nothing.
 */
import { DurableObject } from "cloudflare:workers";
import { parseLastEventId } from "../../src/lib/sse.ts";
import { EventLog } from "../lib/event-log.ts";
import { Schedules } from "../lib/schedules.ts";
import type { JsonObject } from "../../src/lib/json.ts";
import {
  LOG_LEVELS,
  levelsFrom,
  type HarnessEvent,
  type HarnessEventsApi,
  type LogInput,
  type LogLevel,
  type StoredHarnessEvent,
  type StoredLogEntry,
} from "./harness-events.protocol.ts";
import { HARNESS_EVENTS_SCHEMA } from "./harness-events.sql.ts";
import { logLineFor } from "./log-lines.ts";

/** How long harness events are kept for listing and stream replay, in milliseconds (7 days). */
export const HARNESS_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Most events one harness keeps (the oldest are dropped first). */
export const MAX_HARNESS_EVENTS = 10_000;
/** Most events one publish call may carry (and log lines one appendLogs call). */
export const MAX_EVENTS_PER_PUBLISH = 100;
/** Most log lines one harness keeps (the oldest are dropped first). */
export const MAX_HARNESS_LOGS = 10_000;
/** Longest log message kept, in characters (longer ones are cut with an ellipsis). */
export const MAX_LOG_MESSAGE_CHARS = 2_000;

/** A log line as the log module stores it: `type` is the level (so listings and streams filter on it). */
type StoredLog = { type: LogLevel; message: string; context?: JsonObject };

function toStoredLog(line: LogInput): StoredLog {
  const message = line.message.length > MAX_LOG_MESSAGE_CHARS ? `${line.message.slice(0, MAX_LOG_MESSAGE_CHARS - 1)}…` : line.message;
  return { type: line.level, message, ...(line.context ? { context: line.context } : {}) };
}

type Timer = "purge";

export class HarnessEvents extends DurableObject<Env> implements HarnessEventsApi {
  private readonly sql: SqlStorage;
  private readonly log: EventLog<HarnessEvent>;
  private readonly logs: EventLog<StoredLog>;
  private readonly schedules: Schedules<Timer>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(HARNESS_EVENTS_SCHEMA);
    this.log = new EventLog<HarnessEvent>(this.sql, "events");
    this.logs = new EventLog<StoredLog>(this.sql, "logs");
    this.schedules = new Schedules<Timer>(ctx.storage);
  }

  async publish(input: { orgId: string; harnessId: string; events: HarnessEvent[] }): Promise<number[]> {
    if (input.events.length > MAX_EVENTS_PER_PUBLISH) throw new Error(`at most ${MAX_EVENTS_PER_PUBLISH} events per publish`);
    this.sql.exec("INSERT OR IGNORE INTO meta (id, org_id, harness_id) VALUES (1, ?, ?)", input.orgId, input.harnessId);
    const seqs = input.events.map((event) => this.log.append(event).seq);
    for (const event of input.events) this.logs.append(toStoredLog(logLineFor(event)));
    this.log.trimTo(MAX_HARNESS_EVENTS);
    this.logs.trimTo(MAX_HARNESS_LOGS);
    await this.armPurge();
    return seqs;
  }

  async appendLogs(input: { orgId: string; harnessId: string; entries: LogInput[] }): Promise<void> {
    if (input.entries.length > MAX_EVENTS_PER_PUBLISH) throw new Error(`at most ${MAX_EVENTS_PER_PUBLISH} log lines per call`);
    this.sql.exec("INSERT OR IGNORE INTO meta (id, org_id, harness_id) VALUES (1, ?, ?)", input.orgId, input.harnessId);
    for (const line of input.entries) this.logs.append(toStoredLog(line));
    this.logs.trimTo(MAX_HARNESS_LOGS);
    await this.armPurge();
  }

  async listLogs(query: {
    limit: number;
    offset: number;
    levels?: LogLevel[];
    since?: string;
  }): Promise<{ items: StoredLogEntry[]; total: number }> {
    const page = this.logs.page({
      limit: query.limit,
      offset: query.offset,
      ...(query.levels?.length && query.levels.length < LOG_LEVELS.length ? { types: query.levels } : {}),
      ...(query.since ? { sinceIso: query.since } : {}),
    });
    return {
      items: page.items.map((l) => ({
        seq: l.seq,
        entry: { timestamp: l.at, level: l.event.type, message: l.event.message, ...(l.event.context ? { context: l.event.context } : {}) },
      })),
      total: page.total,
    };
  }

  private async armPurge(): Promise<void> {
    if (this.schedules.at("purge") === undefined) await this.schedules.set("purge", Date.now() + HARNESS_EVENT_RETENTION_MS);
  }

  async list(query: {
    limit: number;
    offset: number;
    types?: string[];
    since?: string;
  }): Promise<{ items: StoredHarnessEvent[]; total: number }> {
    const page = this.log.page({
      limit: query.limit,
      offset: query.offset,
      ...(query.types?.length ? { types: query.types } : {}),
      ...(query.since ? { sinceIso: query.since } : {}),
    });
    return { items: page.items.map((l) => ({ seq: l.seq, event: l.event, at: l.at })), total: page.total };
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const after = parseLastEventId(request.headers.get("last-event-id") ?? url.searchParams.get("after"));
    if (url.pathname === "/logs/stream") {
      const levels = new Set<string>(levelsFrom((url.searchParams.get("level") as LogLevel | null) ?? undefined));
      return this.logs.openSse(after, request.signal, {
        isTerminal: () => false,
        finished: () => false,
        eventName: () => "log",
        payload: (l) => ({
          timestamp: l.at,
          level: l.event.type,
          message: l.event.message,
          ...(l.event.context ? { context: l.event.context } : {}),
        }),
        include: (line) => levels.has(line.type),
      });
    }
    if (url.pathname !== "/stream") return new Response("not found", { status: 404 });
    const types = new Set(
      url.searchParams
        .getAll("events")
        .flatMap((v) => v.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    );
    return this.log.openSse(after, request.signal, {
      isTerminal: () => false,
      finished: () => false,
      ...(types.size > 0 ? { include: (event: HarnessEvent) => types.has(event.type) } : {}),
    });
  }

  override async alarm(): Promise<void> {
    const due = await this.schedules.takeDue();
    if (due.length === 0 && this.schedules.at("purge") !== undefined) return;
    const cutoff = new Date(Date.now() - HARNESS_EVENT_RETENTION_MS).toISOString();
    this.log.purgeOlderThan(cutoff);
    this.logs.purgeOlderThan(cutoff);
    const oldest = [
      this.sql.exec<{ at: string | null }>("SELECT min(at) AS at FROM events").one().at,
      this.sql.exec<{ at: string | null }>("SELECT min(at) AS at FROM logs").one().at,
    ].filter((at): at is string => at !== null);
    if (oldest.length === 0) return;
    await this.schedules.set("purge", Math.min(...oldest.map((at) => Date.parse(at))) + HARNESS_EVENT_RETENTION_MS);
  }
}
