/**
 * SQLite schema of a `Session` (Durable Object storage). Idempotent: run at construction.
 *
 *   meta         one row (id = 1): the session's identity, status and the turn in progress (JSON)
 *   messages     the history, one row per message, in order (`idx`)
 *   queue        every message sent to the session, in arrival order (`ticket`), and what became of it
 *                (`metering`: JSON ChargedMetering — whom the turn is charged to, when the sender decided)
 *   events       the session's event log of ServerMessages (`durable-objects/lib/event-log.ts`; `seq` is
 *                what a reconnecting socket's `?after=` refers to), retained `SESSION_EVENT_RETENTION_MS`
 *   schedules    the session's timers (`durable-objects/lib/schedules.ts`): turn, check, purge
 */
export const SESSION_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  session_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  harness_id TEXT NOT NULL,
  agent_id TEXT,
  system_prompt TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  current_turn TEXT
);
CREATE TABLE IF NOT EXISTS messages (
  idx INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  tool_calls TEXT,
  execution_id TEXT,
  status TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (
  ticket INTEGER PRIMARY KEY AUTOINCREMENT,
  client_message_id TEXT,
  content TEXT NOT NULL,
  source TEXT NOT NULL,
  overrides TEXT,
  state TEXT NOT NULL,
  execution_id TEXT,
  user_message_id TEXT,
  response_message_id TEXT,
  problem TEXT,
  created_at TEXT NOT NULL,
  metering TEXT
);
`;

/**
 * Brings storage created by an earlier schema up to date (CREATE TABLE IF NOT EXISTS does not add
 * columns). Idempotent: run at construction after {@link SESSION_SCHEMA}.
 */
export function upgradeSessionSchema(sql: SqlStorage): void {
  const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('queue')").toArray();
  if (!columns.some((c) => c.name === "metering")) sql.exec("ALTER TABLE queue ADD COLUMN metering TEXT");
  // Replaced by the `events` log: a socket reconnecting after a turn ended must still find its events.
  sql.exec("DROP TABLE IF EXISTS turn_events");
}
