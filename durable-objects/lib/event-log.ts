/**
 * The event log every streaming Durable Object shares (executions, sessions, and later plans, harness
 * events, subagents, conformance runs, logs): append with a monotonic `seq`, replay strictly after a
 * cursor with a cap per read, live subscribers, SSE and WebSocket framing, retention and purge.
 *
 * Storage layout (the owner's SQLite, one pair of tables per log, named by the owner):
 *   <name>        seq INTEGER PRIMARY KEY AUTOINCREMENT (never reused, even after a purge), type, data
 *                 (JSON, first part), at (ISO 8601), parts (how many parts `data` was cut into)
 *   <name>_parts  (seq, part, data) the further parts of events larger than {@link MAX_EVENT_PART_CHARS}
 * Events are cut into parts so no SQLite value comes near the 2 MB row limit, whatever a tool returned.
 *
 * Exactness: `append` writes and notifies subscribers synchronously, and `openSse` / a WebSocket replay
 * read the backlog and subscribe in one synchronous block, so a client attaching at any moment receives
 * every event after its cursor exactly once — nothing can slip between replay and subscription
 * (Durable Objects run one event at a time; there is no `await` in between).
 */
import { SSE_HEADERS, SSE_PING, sseFrame } from "../../src/lib/sse.ts";

/** One event as stored: `seq` is the SSE `id:` and what `Last-Event-ID` / `?after=` refer to. */
export interface LoggedEvent<E> {
  seq: number;
  event: E;
  /** ISO 8601 time the event was appended. */
  at: string;
}

/** Characters of event JSON stored per SQLite value (≤ 768 KB of UTF-8, far under the 2 MB row limit). */
export const MAX_EVENT_PART_CHARS = 256 * 1024;
/** Events read per SQLite query while replaying. */
export const REPLAY_BATCH_EVENTS = 500;
/**
 * Status of the internal answer {@link EventLog.openSse} gives a cursor beyond the last `seq` ever issued
 * (JSON `{after, last_seq}`); the service in front turns it into a 400 problem.
 */
export const CURSOR_BEYOND_END_STATUS = 416;
/** Interval of SSE keep-alive comments on attached streams, in milliseconds. */
export const STREAM_PING_INTERVAL_MS = 15_000;

/** The DDL of a log named `name` (idempotent; run at the owner's construction). */
export function eventLogSchema(name: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${name} (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at TEXT NOT NULL,
  parts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS ${name}_parts (
  seq INTEGER NOT NULL,
  part INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (seq, part)
);`;
}

/** Options of a live SSE stream over a log. */
export interface SseOptions<E> {
  /** True for the event that ends the stream (it is sent, then the stream closes). */
  isTerminal: (event: E) => boolean;
  /** True when the log's owner is finished: after the replay, the stream closes instead of following. */
  finished: () => boolean;
  /** SSE `event:` name of an event (default: its `type`). */
  eventName?: (event: E) => string;
  /** SSE `data:` payload of an event (default: the event itself). */
  payload?: (logged: LoggedEvent<E>) => unknown;
  /** Only events it accepts are sent (a stream filtered by type); the `seq` ids stay those of the log. */
  include?: (event: E) => boolean;
}

/** A filtered page of a log ({@link EventLog.page}). */
export interface EventPageQuery {
  limit: number;
  offset: number;
  /** Only events of these types. */
  types?: string[];
  /** Only events appended strictly after this ISO 8601 time. */
  sinceIso?: string;
}

/**
 * A log of events of type `E` in the owner's SQLite. Subscribers live in memory (they are the open
 * streams of this instance and die with it); everything else is in storage.
 */
export class EventLog<E extends { type: string }> {
  private readonly listeners = new Set<(logged: LoggedEvent<E>) => void>();

  /**
   * @param sql the owner's SQLite
   * @param name table name (`[a-z_]+`), created by {@link eventLogSchema} — also upgrades a table
   *   created before `parts` existed
   */
  constructor(
    private readonly sql: SqlStorage,
    private readonly name: string,
  ) {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`invalid event log name ${name}`);
    sql.exec(eventLogSchema(name));
    const columns = sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('${name}')`).toArray();
    if (!columns.some((c) => c.name === "parts")) sql.exec(`ALTER TABLE ${name} ADD COLUMN parts INTEGER NOT NULL DEFAULT 1`);
  }

  /** Appends `event` (monotonic `seq`) and hands it to every subscriber, synchronously. */
  append(event: E): LoggedEvent<E> {
    const at = new Date().toISOString();
    const parts = cutIntoParts(JSON.stringify(event));
    const seq = this.sql
      .exec<{ seq: number }>(
        `INSERT INTO ${this.name} (type, data, at, parts) VALUES (?, ?, ?, ?) RETURNING seq`,
        event.type,
        parts[0]!,
        at,
        parts.length,
      )
      .one().seq;
    for (let part = 1; part < parts.length; part++) {
      this.sql.exec(`INSERT INTO ${this.name}_parts (seq, part, data) VALUES (?, ?, ?)`, seq, part, parts[part]!);
    }
    const logged = { seq, event, at };
    for (const listener of this.listeners) listener(logged);
    return logged;
  }

  /** Up to `limit` events strictly after `after`, oldest first. */
  replay(after: number, limit = REPLAY_BATCH_EVENTS): LoggedEvent<E>[] {
    return this.sql
      .exec<{ seq: number; data: string; at: string; parts: number }>(
        `SELECT seq, data, at, parts FROM ${this.name} WHERE seq > ? ORDER BY seq LIMIT ?`,
        after,
        limit,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, at: r.at, event: JSON.parse(r.parts > 1 ? this.joinParts(r.seq, r.data) : r.data) as E }));
  }

  /** Every event strictly after `after`, read in batches of {@link REPLAY_BATCH_EVENTS}. */
  *since(after: number): Generator<LoggedEvent<E>> {
    let cursor = after;
    for (;;) {
      const batch = this.replay(cursor);
      yield* batch;
      if (batch.length < REPLAY_BATCH_EVENTS) return;
      cursor = batch[batch.length - 1]!.seq;
    }
  }

  /** Highest `seq` retained (0 when the log holds nothing). After a purge, new events still get higher seqs. */
  lastSeq(): number {
    return this.sql.exec<{ s: number | null }>(`SELECT max(seq) AS s FROM ${this.name}`).one().s ?? 0;
  }

  /** Highest `seq` ever issued, purged events included (0 before the first append): a valid cursor is at most this. */
  issuedThrough(): number {
    const row = this.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = ?", this.name).toArray()[0];
    return row?.seq ?? 0;
  }

  /**
   * The internal answer to a cursor beyond the last `seq` ever issued (status
   * {@link CURSOR_BEYOND_END_STATUS}, JSON `{after, last_seq}`: it names no event, so a stream from it
   * would send live events the client claims to have), or `undefined` for a cursor this log can resume from.
   */
  refuseCursorBeyondEnd(after: number): Response | undefined {
    const issued = this.issuedThrough();
    return after > issued ? Response.json({ after, last_seq: issued }, { status: CURSOR_BEYOND_END_STATUS }) : undefined;
  }

  /** Lowest `seq` still retained, or `undefined` when the log holds nothing. */
  firstRetainedSeq(): number | undefined {
    return this.sql.exec<{ s: number | null }>(`SELECT min(seq) AS s FROM ${this.name}`).one().s ?? undefined;
  }

  /** One page of the retained events, newest first, with the total that match (listing a log, e.g. hooks.listEvents). */
  page(query: EventPageQuery): { items: LoggedEvent<E>[]; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.types?.length) {
      where.push(`type IN (${query.types.map(() => "?").join(", ")})`);
      args.push(...query.types);
    }
    if (query.sinceIso) {
      where.push("at > ?");
      args.push(query.sinceIso);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${this.name} ${clause}`, ...args).one().n;
    const items = this.sql
      .exec<{ seq: number; data: string; at: string; parts: number }>(
        `SELECT seq, data, at, parts FROM ${this.name} ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`,
        ...args,
        query.limit,
        query.offset,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, at: r.at, event: JSON.parse(r.parts > 1 ? this.joinParts(r.seq, r.data) : r.data) as E }));
    return { items, total };
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe function. */
  subscribe(listener: (logged: LoggedEvent<E>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deletes every event (`seq` keeps counting from where it was). */
  purge(): void {
    this.sql.exec(`DELETE FROM ${this.name}`);
    this.sql.exec(`DELETE FROM ${this.name}_parts`);
  }

  /** Deletes the events appended before `cutoffIso` (retention); returns how many went. */
  purgeOlderThan(cutoffIso: string): number {
    const last = this.sql.exec<{ s: number | null }>(`SELECT max(seq) AS s FROM ${this.name} WHERE at < ?`, cutoffIso).one().s;
    if (last === null) return 0;
    return this.purgeThrough(last);
  }

  /** Deletes the oldest events so that at most `keep` remain; returns how many went. */
  trimTo(keep: number): number {
    const cut = this.sql.exec<{ seq: number }>(`SELECT seq FROM ${this.name} ORDER BY seq DESC LIMIT 1 OFFSET ?`, keep).toArray()[0];
    return cut ? this.purgeThrough(cut.seq) : 0;
  }

  /**
   * A live SSE response: replays strictly after `after`, then follows new events until the terminal
   * one, the owner finishing, or the client going away (`signal`). Frames are `id: <seq>`,
   * `event: <type>`, `data: <JSON>`; a `: ping` comment every {@link STREAM_PING_INTERVAL_MS}. A cursor
   * beyond the last `seq` ever issued names no event: answered {@link CURSOR_BEYOND_END_STATUS} with
   * `{after, last_seq}` instead of a stream (which would send live events the client claims to have).
   */
  openSse(after: number, signal: AbortSignal, options: SseOptions<E>): Response {
    const refused = this.refuseCursorBeyondEnd(after);
    if (refused) return refused;
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const eventName = options.eventName ?? ((e: E) => e.type);
    const payload = options.payload ?? ((l: LoggedEvent<E>) => l.event);
    let closed = false;
    let ping: ReturnType<typeof setInterval> | undefined;
    let unsubscribe: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe?.();
      if (ping) clearInterval(ping);
      writer.close().catch(() => {});
    };
    const write = (text: string) => {
      if (!closed) writer.write(encoder.encode(text)).catch(close);
    };
    const send = (logged: LoggedEvent<E>) => {
      if (options.include && !options.include(logged.event)) return;
      write(sseFrame(logged.seq, eventName(logged.event), payload(logged)));
      if (options.isTerminal(logged.event)) close();
    };
    // Replay and subscribe in one synchronous block: no event can slip between the two.
    for (const logged of this.since(after)) {
      send(logged);
      if (closed) break;
    }
    if (!closed && options.finished()) close();
    if (!closed) {
      unsubscribe = this.subscribe(send);
      ping = setInterval(() => write(SSE_PING), STREAM_PING_INTERVAL_MS);
      signal.addEventListener("abort", close);
    }
    return new Response(readable, { headers: SSE_HEADERS });
  }

  private purgeThrough(seq: number): number {
    const removed = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${this.name} WHERE seq <= ?`, seq).one().n;
    this.sql.exec(`DELETE FROM ${this.name} WHERE seq <= ?`, seq);
    this.sql.exec(`DELETE FROM ${this.name}_parts WHERE seq <= ?`, seq);
    return removed;
  }

  private joinParts(seq: number, first: string): string {
    const rest = this.sql
      .exec<{ data: string }>(`SELECT data FROM ${this.name}_parts WHERE seq = ? ORDER BY part`, seq)
      .toArray()
      .map((r) => r.data);
    return first + rest.join("");
  }
}

/**
 * `json` cut into pieces of at most {@link MAX_EVENT_PART_CHARS} UTF-16 units, never inside a surrogate
 * pair (SQLite stores text as UTF-8, where half a pair would become U+FFFD).
 */
function cutIntoParts(json: string): string[] {
  const parts: string[] = [];
  let start = 0;
  do {
    let end = Math.min(start + MAX_EVENT_PART_CHARS, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(json.slice(start, end));
    start = end;
  } while (start < json.length);
  return parts;
}
