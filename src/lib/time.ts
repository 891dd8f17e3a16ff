/** Current time as an ISO 8601 string with millisecond precision (UTC). */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Milliseconds in one day. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC calendar day of `ms` (Unix milliseconds) as `YYYY-MM-DD`. */
export function utcDay(ms: number = Date.now()): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Unix milliseconds of the next UTC midnight after `ms` (the start of the next daily window). */
export function nextUtcMidnightMs(ms: number = Date.now()): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}
