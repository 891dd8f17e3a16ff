/**
 * SQLite schema of a `ConformanceRun` (Durable Object storage). Idempotent: run at construction.
 *
 *   run        one row (id = 1): the spec (JSON), status (pending | running | finished), the id of the API
 *              key minted for a self run (revoked when the run ends, or at the next alarm if it was cut short)
 *   events     the run's event log (`durable-objects/lib/event-log.ts`): test.started/passed/failed/skipped,
 *              progress, done
 *   schedules  timers (`durable-objects/lib/schedules.ts`): `run` (start), `purge` (retention)
 */
export const CONFORMANCE_RUN_SCHEMA = `
CREATE TABLE IF NOT EXISTS run (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  spec TEXT NOT NULL,
  status TEXT NOT NULL,
  minted_key_id TEXT
);
`;
