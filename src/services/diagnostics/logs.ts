/**
 * diagnostics.logs and diagnostics.streamLogs: the harness's structured log, kept by its `HarnessEvents`
 * object — one line per harness event (executions started and finished, sessions, hook firings and
 * their decisions, errors), one per tool call, one per webhook delivery attempt. Lines are kept 7 days
 * (at most 10,000 per harness). `level` is a minimum for both (`warn` gives warn and error).
 */
import { harnessEventsStub } from "../../../durable-objects/harness-events/harness-events.client.ts";
import { levelsFrom, type LogEntry, type LogLevel } from "../../../durable-objects/harness-events/harness-events.protocol.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { refuseCursorBeyondEnd } from "../streams/cursor.ts";

/**
 * diagnostics.logs — a page of the harness's log, newest first, at or above `level`, after `since`.
 * @throws ApiError `harness_not_found`
 */
export async function listHarnessLogs({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; limit: number; offset: number; level?: LogLevel; since?: string }>): Promise<Page<LogEntry>> {
  const harness = await findHarness({ ctx, input });
  const found = await harnessEventsStub(ctx.env, harness.id).listLogs({
    limit: input.limit,
    offset: input.offset,
    levels: levelsFrom(input.level),
    ...(input.since ? { since: new Date(input.since).toISOString() } : {}),
  });
  return { items: found.items.map((i) => i.entry), total: found.total, limit: input.limit, offset: input.offset };
}

/**
 * diagnostics.streamLogs — the harness's live log (SSE `event: log`, `id` = the line's seq, `data` a
 * LogEntry), replayed strictly after `lastEventId` first, at or above `level`. It stays open (`: ping`
 * every 15 s) until the client leaves.
 * @throws ApiError `harness_not_found`
 */
export async function streamHarnessLogs({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; lastEventId: number; level?: LogLevel }>): Promise<Response> {
  const harness = await findHarness({ ctx, input });
  const url = new URL("https://harness-events/logs/stream");
  url.searchParams.set("after", String(input.lastEventId));
  if (input.level) url.searchParams.set("level", input.level);
  const response = await harnessEventsStub(ctx.env, harness.id).fetch(new Request(url));
  await refuseCursorBeyondEnd(response);
  return response;
}
