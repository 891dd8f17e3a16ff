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

/**
 * Resolves after `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts
 * (or at once when it already has). The one sleep of the code base.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
