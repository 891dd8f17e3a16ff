/**
 * Structured logs: one JSON object a line (`level`, `msg`, `at`, then the logger's bound fields and the
 * call's fields), written with `console.log` / `console.warn` / `console.error` so Workers Logs and
 * `wrangler tail` index them. Fields whose name looks like a secret (`authorization`, `*token*`,
 * `*secret*`, `*password*`, `*api_key*`, `cookie`) are replaced by `[redacted]` — callers should not
 * pass secrets, and this makes a slip harmless.
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields of one log line. Values must be JSON-serialisable; an `Error` is rendered as its message and stack. */
export type LogFields = Record<string, unknown>;

/** A logger bound to some fields (e.g. `request_id`, `execution_id`). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger with `fields` added to every line. */
  with(fields: LogFields): Logger;
}

const SECRET_FIELD = /authorization|token|secret|password|api[_-]?key|cookie/i;

function render(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function line(level: LogLevel, msg: string, bound: LogFields, fields: LogFields | undefined): string {
  const out: LogFields = { level, msg, at: new Date().toISOString() };
  for (const source of [bound, fields ?? {}]) {
    for (const [key, value] of Object.entries(source)) out[key] = SECRET_FIELD.test(key) ? "[redacted]" : render(value);
  }
  return JSON.stringify(out);
}

/** A logger writing JSON lines with `bound` on every line. */
export function createLogger(bound: LogFields = {}): Logger {
  return {
    debug: (msg, fields) => console.log(line("debug", msg, bound, fields)),
    info: (msg, fields) => console.log(line("info", msg, bound, fields)),
    warn: (msg, fields) => console.warn(line("warn", msg, bound, fields)),
    error: (msg, fields) => console.error(line("error", msg, bound, fields)),
    with: (more) => createLogger({ ...bound, ...more }),
  };
}
