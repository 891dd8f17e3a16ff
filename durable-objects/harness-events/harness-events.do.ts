/**
 * `HarnessEvents` — one Durable Object per harness (named by its typed id): the harness's live event
 * fan-out and recent history (DESIGN.md "harness-wide live event fan-out").
 *
 * Storage layout (SQLite): `meta` (organization and harness, set by the first publish — see
 * `harness-events.sql.ts`), `events` (the event log, `seq` = SSE id — `durable-objects/lib/event-log.ts`),
 * `schedules` (the `purge` timer on the one alarm — `durable-objects/lib/schedules.ts`).
 * Instance fields hold only the event log's live subscribers (the open streams of this instance).
 *
 * Lifecycle:
 *   publish  the Worker, runs (`ExecutionRun`), sessions and the hook runner send events; each is appended
 *            with a monotonic `seq` and handed to every open stream at once. At most
 *            {@link MAX_HARNESS_EVENTS} are kept (the oldest go first).
 *   stream   `GET /stream`: replays strictly after `Last-Event-ID` (or `?after=`), then follows live events,
 *            filtered by type when asked — exact at any point of reconnection (replay and subscription
 *            happen in one synchronous block). The stream never ends by itself; `: ping` keeps it open.
 *   purge    the `purge` timer deletes events older than {@link HARNESS_EVENT_RETENTION_MS} and re-arms
 *            itself for the oldest remaining one; an idle harness's object then holds nothing.
 */
import { DurableObject } from "cloudflare:workers";
import { parseLastEventId } from "../../src/lib/sse.ts";
import { EventLog } from "../lib/event-log.ts";
import { Schedules } from "../lib/schedules.ts";
import type { HarnessEvent, HarnessEventsApi, StoredHarnessEvent } from "./harness-events.protocol.ts";
import { HARNESS_EVENTS_SCHEMA } from "./harness-events.sql.ts";

/** How long harness events are kept for listing and stream replay, in milliseconds (7 days). */
export const HARNESS_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Most events one harness keeps (the oldest are dropped first). */
export const MAX_HARNESS_EVENTS = 10_000;
/** Most events one publish call may carry. */
export const MAX_EVENTS_PER_PUBLISH = 100;

type Timer = "purge";

export class HarnessEvents extends DurableObject<Env> implements HarnessEventsApi {
  private readonly sql: SqlStorage;
  private readonly log: EventLog<HarnessEvent>;
  private readonly schedules: Schedules<Timer>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(HARNESS_EVENTS_SCHEMA);
    this.log = new EventLog<HarnessEvent>(this.sql, "events");
    this.schedules = new Schedules<Timer>(ctx.storage);
  }

  async publish(input: { orgId: string; harnessId: string; events: HarnessEvent[] }): Promise<number[]> {
    if (input.events.length > MAX_EVENTS_PER_PUBLISH) throw new Error(`at most ${MAX_EVENTS_PER_PUBLISH} events per publish`);
    this.sql.exec("INSERT OR IGNORE INTO meta (id, org_id, harness_id) VALUES (1, ?, ?)", input.orgId, input.harnessId);
    const seqs = input.events.map((event) => this.log.append(event).seq);
    this.log.trimTo(MAX_HARNESS_EVENTS);
    if (this.schedules.at("purge") === undefined) await this.schedules.set("purge", Date.now() + HARNESS_EVENT_RETENTION_MS);
    return seqs;
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
    if (url.pathname !== "/stream") return new Response("not found", { status: 404 });
    const after = parseLastEventId(request.headers.get("last-event-id") ?? url.searchParams.get("after"));
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
    this.log.purgeOlderThan(new Date(Date.now() - HARNESS_EVENT_RETENTION_MS).toISOString());
    const oldest = this.log.firstRetainedSeq();
    if (oldest === undefined) return;
    const at = this.sql.exec<{ at: string }>("SELECT at FROM events WHERE seq = ?", oldest).one().at;
    await this.schedules.set("purge", Date.parse(at) + HARNESS_EVENT_RETENTION_MS);
  }
}
