/** The `current_time` built-in tool: the current instant, in UTC and in any IANA time zone. */
import { z } from "zod";
import { ToolError } from "../contract.ts";
import { defineTool } from "../define.ts";

/** Time zone used when the model names none. */
export const DEFAULT_TIMEZONE = "UTC";

/**
 * Builds a formatter for `timeZone`.
 * @throws ToolError `invalid_timezone` when Intl does not know the zone.
 */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "long",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
  } catch {
    throw new ToolError(
      "invalid_timezone",
      `Unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as "Europe/Paris" or "UTC".`,
    );
  }
}

/**
 * current_time — `{timezone?}` → `{iso, unix_ms, timezone, local, utc_offset, weekday}`:
 * `iso` is UTC ISO 8601 with milliseconds (`2025-03-01T12:00:00.000Z`), `unix_ms` milliseconds since
 * the Unix epoch, `timezone` the zone used (default {@link DEFAULT_TIMEZONE}; ICU's casing when the
 * model's differs only in case), `local` the wall-clock time there as ISO 8601 with offset
 * (`2025-03-01T13:00:00+01:00`), `utc_offset` that offset (`+01:00`), `weekday` the local day name.
 *
 * @throws ToolError `invalid_timezone` for a name Intl.DateTimeFormat rejects.
 */
export const currentTimeTool = defineTool({
  name: "current_time",
  description: "Get the current date and time, in UTC and in a time zone (IANA name such as 'America/New_York'; default UTC).",
  inputSchema: z.object({
    timezone: z.string().min(1).max(64).optional().describe("IANA time zone name, e.g. Europe/Paris or Asia/Tokyo (default UTC)."),
  }),
  async execute(input, ctx) {
    const requested = input.timezone ?? DEFAULT_TIMEZONE;
    const format = formatterFor(requested);
    const now = ctx.now();
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(now)) parts[part.type] = part.value;
    // longOffset renders "GMT" for a zero offset and "GMT+05:30" otherwise.
    const offset = (parts.timeZoneName ?? "GMT").replace(/^GMT/, "") || "+00:00";
    const resolved = format.resolvedOptions().timeZone;
    return {
      iso: now.toISOString(),
      unix_ms: now.getTime(),
      // ICU may canonicalise to a legacy alias (Asia/Kolkata → Asia/Calcutta): keep the model's name.
      timezone: resolved.toLowerCase() === requested.toLowerCase() ? resolved : requested,
      local: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`,
      utc_offset: offset,
      weekday: parts.weekday ?? "",
    };
  },
});
