/**
 * Server-sent events framing (WHATWG HTML §9.2): `id:`, `event:`, one `data:` line of JSON, blank line.
 * LF line endings only (the Open Harness TypeScript client splits on `\n\n`).
 */

/** Response headers of every SSE stream. */
export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/** One SSE frame. `data` is serialised as a single line of JSON. */
export function sseFrame(id: number | string, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment frame that keeps proxies from closing an idle stream; clients ignore it. */
export const SSE_PING = ": ping\n\n";

/** Parses `Last-Event-ID` (or a `?after=` value): a non-negative integer, else 0. */
export function parseLastEventId(value: string | null | undefined): number {
  if (!value) return 0;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
