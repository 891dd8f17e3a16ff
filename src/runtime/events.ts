/**
 * The Open Harness `ExecutionEvent` union (spec §6.2), exactly: `type` travels inside the data and is
 * also the SSE `event:` name. Additive fields the reference client and conformance suite read are
 * marked (†): `tool_result.error`, `tool_call_end.input`, `done.usage.duration_ms`.
 */
import type { UsageJson } from "../db/schema.ts";

export type ExecutionEvent =
  | { type: "text"; content: string }
  | { type: "thinking"; content: string }
  | { type: "tool_call_start"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_call_delta"; id: string; input_delta: Record<string, unknown> }
  /** † `input`: the complete tool input once known. */
  | { type: "tool_call_end"; id: string; input?: Record<string, unknown> }
  /** † `error`: present when `success` is false. */
  | { type: "tool_result"; id: string; success: boolean; output?: Record<string, unknown>; error?: string }
  | { type: "artifact"; id: string; name: string; mime_type: string; size_bytes: number }
  | { type: "progress"; percentage: number; step: string; step_number: number; total_steps: number }
  | { type: "error"; code: string; message: string; recoverable: boolean }
  | { type: "done"; usage: UsageJson & { duration_ms?: number } };

export type ExecutionEventType = ExecutionEvent["type"];

/** One event as stored in a run's log: `seq` is the SSE `id:` and what `Last-Event-ID` refers to. */
export interface LoggedEvent {
  seq: number;
  event: ExecutionEvent;
  /** ISO 8601 time the event was appended. */
  at: string;
}

/** True for the events that end a stream (`done`, or an `error` that is not recoverable). */
export function isTerminal(event: ExecutionEvent): boolean {
  return event.type === "done" || (event.type === "error" && !event.recoverable);
}
