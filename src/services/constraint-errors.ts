/**
 * Telling D1 constraint failures apart (a UNIQUE index, a CHECK constraint, a trigger's RAISE), so a verb
 * can answer the client's mistake with its own problem instead of a 500. D1 reports them only as text.
 */

/** The text of a D1 failure and its cause, to tell constraint failures apart. */
function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ""}` : String(error);
}

/**
 * Whether `error` is D1 refusing a write for a CHECK constraint (a memory block over its limit: a write
 * that raced past the verb's own check, e.g. two appends at once).
 */
export function isLimitViolation(error: unknown): boolean {
  return /CHECK constraint failed/i.test(errorText(error));
}

/** Whether `error` is D1 refusing a write for a UNIQUE constraint. */
export function isUniqueViolation(error: unknown): boolean {
  return /UNIQUE constraint failed/i.test(errorText(error));
}

/** Whether `error` is the agent-wide memory-block budget trigger (`migrations/0014_memory_fts_and_limits.sql`). */
export function isBudgetViolation(error: unknown): boolean {
  return /memory_limit_exceeded/.test(errorText(error));
}
