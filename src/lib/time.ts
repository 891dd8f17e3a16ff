/** Current time as an ISO 8601 string with millisecond precision (UTC). */
export function nowIso(): string {
  return new Date().toISOString();
}
