/**
 * The contract between the Worker and a `HarnessEvents` Durable Object (one per harness): the harness
 * events it records and fans out (Open Harness `HarnessEvent`, spec §6.6, plus `session.message`), and
 * its RPC surface. Plain JSON shapes (they cross the RPC boundary).
 */
import type { JsonObject } from "../../src/lib/json.ts";

/** Open Harness `HarnessEvent` (§6.6) as this deployment emits it; `type` is inside the data too. */
export type HarnessEvent =
  | { type: "hook.triggered"; hook_id: string; event: string; data: JsonObject }
  | { type: "execution.started"; execution_id: string; agent_id: string | null; session_id: string | null }
  | {
      type: "execution.completed";
      execution_id: string;
      status: "completed" | "failed" | "cancelled";
      session_id: string | null;
      error?: { code: string; message: string };
    }
  | { type: "session.created"; session_id: string }
  | { type: "session.ended"; session_id: string }
  | { type: "session.message"; session_id: string; role: "user" | "assistant"; content: string; message_id?: string; execution_id?: string }
  | { type: "skill.installed"; skill_id: string }
  | { type: "skill.uninstalled"; skill_id: string }
  | { type: "error"; code: string; message: string };

/** Every `HarnessEvent` type: the `events` filter of hooks.streamEvents and the `Webhook.events` vocabulary. */
export const HARNESS_EVENT_TYPES = [
  "hook.triggered",
  "execution.started",
  "execution.completed",
  "session.created",
  "session.ended",
  "session.message",
  "skill.installed",
  "skill.uninstalled",
  "error",
] as const;

export type HarnessEventType = (typeof HARNESS_EVENT_TYPES)[number];

/** One recorded event: `seq` is its id on the stream (`Last-Event-ID`) and in listings. */
export interface StoredHarnessEvent {
  seq: number;
  event: HarnessEvent;
  /** ISO 8601 time it was recorded. */
  at: string;
}

/** Log levels, least to most severe (a stream's or listing's `level` is the minimum). */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The levels at or above `level` (all of them when none is given). */
export function levelsFrom(level: LogLevel | undefined): LogLevel[] {
  return level ? LOG_LEVELS.slice(LOG_LEVELS.indexOf(level)) : [...LOG_LEVELS];
}

/** Open Harness `LogEntry` (spec §2.16): one structured line of a harness's log. */
export interface LogEntry {
  /** ISO 8601 time it was recorded. */
  timestamp: string;
  level: LogLevel;
  message: string;
  /** Ids and figures: `execution_id`, `session_id`, `tool`, `tool_call_id`, `hook_id`, `delivery_id`, `code`, `duration_ms`, … */
  context?: JsonObject;
}

/** A log line as a writer hands it in (the object stamps the time). */
export type LogInput = Omit<LogEntry, "timestamp">;

/** One recorded log line: `seq` is its id on the log stream (`Last-Event-ID`). */
export interface StoredLogEntry {
  seq: number;
  entry: LogEntry;
}

/** The RPC surface of a `HarnessEvents` object. */
export interface HarnessEventsApi {
  /** Records events in order and hands them to every open stream; returns their `seq`s. */
  publish(input: { orgId: string; harnessId: string; events: HarnessEvent[] }): Promise<number[]>;
  /** A page of the retained events, newest first (`types`/`since` filter). */
  list(query: { limit: number; offset: number; types?: string[]; since?: string }): Promise<{ items: StoredHarnessEvent[]; total: number }>;
  /** Records log lines in order and hands them to every open log stream (events recorded by `publish` log a line each by themselves). */
  appendLogs(input: { orgId: string; harnessId: string; entries: LogInput[] }): Promise<void>;
  /** A page of the retained log, newest first (`levels`/`since` filter), with the total that match. */
  listLogs(query: {
    limit: number;
    offset: number;
    levels?: LogLevel[];
    since?: string;
  }): Promise<{ items: StoredLogEntry[]; total: number }>;
  /**
   * `GET /stream?after=<seq>&events=a,b` — the event stream; `GET /logs/stream?after=<seq>&level=warn` —
   * the log stream (SSE `event: log`, `data` a LogEntry). `Last-Event-ID` wins over `after`.
   */
  fetch(request: Request): Promise<Response>;
}
