/**
 * Many timers, one alarm: a Durable Object has a single alarm, so its timers (a run's heartbeat, an
 * input deadline, the retention purge, a session's next turn …) are rows of a `schedules` table and
 * the alarm is always set to the earliest of them. `alarm()` takes what is due and dispatches by name.
 *
 * Storage layout: `schedules (name TEXT PRIMARY KEY, at INTEGER)` — `at` in Unix milliseconds.
 */

const SCHEMA = "CREATE TABLE IF NOT EXISTS schedules (name TEXT PRIMARY KEY, at INTEGER NOT NULL)";

/** The timers of one Durable Object, multiplexed onto its alarm. */
export class Schedules<Name extends string> {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(SCHEMA);
  }

  /** Sets timer `name` to fire at `atMs` (replacing an earlier setting) and re-arms the alarm. */
  set(name: Name, atMs: number): Promise<void> {
    this.sql.exec(
      "INSERT INTO schedules (name, at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET at = excluded.at",
      name,
      Math.floor(atMs),
    );
    return this.arm();
  }

  /** Cancels timer `name` (nothing when unset) and re-arms the alarm. */
  clear(...names: Name[]): Promise<void> {
    for (const name of names) this.sql.exec("DELETE FROM schedules WHERE name = ?", name);
    return this.arm();
  }

  /** When timer `name` fires (Unix ms), or `undefined` when unset. */
  at(name: Name): number | undefined {
    return this.sql.exec<{ at: number }>("SELECT at FROM schedules WHERE name = ?", name).toArray()[0]?.at;
  }

  /** Removes and returns the timers due at `nowMs`, earliest first, and re-arms the alarm for the rest. */
  async takeDue(nowMs = Date.now()): Promise<Name[]> {
    const due = this.sql
      .exec<{ name: string }>("SELECT name FROM schedules WHERE at <= ? ORDER BY at, name", nowMs)
      .toArray()
      .map((r) => r.name as Name);
    for (const name of due) this.sql.exec("DELETE FROM schedules WHERE name = ?", name);
    await this.arm();
    return due;
  }

  /** Sets the alarm to the earliest timer, or deletes it when none is left. */
  private async arm(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM schedules").one().at;
    if (next === null) await this.storage.deleteAlarm();
    else if ((await this.storage.getAlarm()) !== next) await this.storage.setAlarm(next);
  }
}
