/** SQLite of a `HarnessEvents` object: who it belongs to (the event log and timers own their tables). */
export const HARNESS_EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  org_id TEXT NOT NULL,
  harness_id TEXT NOT NULL
);`;
