/**
 * The Open Harness `ExecutionEvent` union (spec §6.2), exactly: `type` travels inside the data and is
 * also the SSE `event:` name. Additive fields the reference client and conformance suite read are
 * marked (†): `tool_result.error`, `tool_call_end.input`, `done.usage.duration_ms`.
 */
/** Open Harness `UsageStats` (tokens). */
export interface UsageStats {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

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
  /**
   * † `abandoned_from_seq` (on `run_resumed` only): the run restarted and redoes an interrupted model
   * step; the events from this seq up to the `run_resumed` event belong to the abandoned attempt and a
   * client that concatenates `text` drops them.
   */
  | { type: "error"; code: string; message: string; recoverable: boolean; abandoned_from_seq?: number }
  | { type: "done"; usage: UsageStats & { duration_ms?: number } };

/** True for the events that end a stream (`done`, or an `error` that is not recoverable). */
export function isTerminal(event: ExecutionEvent): boolean {
  return event.type === "done" || (event.type === "error" && !event.recoverable);
}
