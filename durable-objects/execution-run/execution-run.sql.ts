/**
 * SQLite schema of an `ExecutionRun` (Durable Object storage). Idempotent: run at construction.
 *
 *   run         one row (id = 1): the spec, status, accumulated output and usage, timestamps, the
 *               pending `ask_user` question (JSON) while the run waits for input, and the first event
 *               seq of the model step in flight (`step_started_seq`, NULL between steps)
 *   events      the event log (`durable-objects/lib/event-log.ts`); `seq` is monotonic and is the SSE id
 *   schedules   the run's timers (`durable-objects/lib/schedules.ts`): loop, lease, input, purge
 *   messages    the model conversation, one row per message (the checkpoint a resumed run continues from)
 *   tool_calls  every tool call with its input, output and timing
 *   artifacts   files the run wrote, snapshotted to R2
 */
export const EXECUTION_RUN_SCHEMA = `
CREATE TABLE IF NOT EXISTS run (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  execution_id TEXT NOT NULL,
  spec TEXT NOT NULL,
  sealed_api_key TEXT,
  status TEXT NOT NULL,
  step INTEGER NOT NULL DEFAULT 0,
  output TEXT NOT NULL DEFAULT '',
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  progress TEXT,
  error_code TEXT,
  error_message TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  events_purged INTEGER NOT NULL DEFAULT 0,
  pending_input TEXT,
  step_started_seq INTEGER,
  started_at TEXT NOT NULL,
  completed_at TEXT
);
CREATE TABLE IF NOT EXISTS messages (
  idx INTEGER PRIMARY KEY AUTOINCREMENT,
  step INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tool_calls (
  id TEXT PRIMARY KEY,
  step INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  name TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT,
  status TEXT NOT NULL,
  error TEXT,
  invalid_reason TEXT,
  started_at TEXT NOT NULL,
  completed_at TEXT,
  duration_ms INTEGER
);
CREATE TABLE IF NOT EXISTS artifacts (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  r2_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

/**
 * Brings storage created by an earlier schema up to date (CREATE TABLE IF NOT EXISTS does not add
 * columns). Idempotent: run at construction after {@link EXECUTION_RUN_SCHEMA}.
 */
export function upgradeExecutionRunSchema(sql: SqlStorage): void {
  const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('run')").toArray();
  if (!columns.some((c) => c.name === "step_started_seq")) sql.exec("ALTER TABLE run ADD COLUMN step_started_seq INTEGER");
}
