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

/** The RPC surface of a `HarnessEvents` object. */
export interface HarnessEventsApi {
  /** Records events in order and hands them to every open stream; returns their `seq`s. */
  publish(input: { orgId: string; harnessId: string; events: HarnessEvent[] }): Promise<number[]>;
  /** A page of the retained events, newest first (`types`/`since` filter). */
  list(query: { limit: number; offset: number; types?: string[]; since?: string }): Promise<{ items: StoredHarnessEvent[]; total: number }>;
  /** `GET /stream?after=<seq>&events=a,b` (SSE; `Last-Event-ID` wins over `after`). */
  fetch(request: Request): Promise<Response>;
}
