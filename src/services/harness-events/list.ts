import { harnessEventsStub } from "../../../durable-objects/harness-events/harness-events.client.ts";
import { HARNESS_EVENT_TYPES, type StoredHarnessEvent } from "../../../durable-objects/harness-events/harness-events.protocol.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { refuseCursorBeyondEnd } from "../streams/cursor.ts";

/**
 * Event type names from a filter (`["a,b", "c"]` → `a, b, c`: repeated keys and comma lists, spec §9.3 R7).
 * @throws ApiError `validation_error` naming the unknown ones
 */
export function eventTypesFilter(values: string[], field: string): string[] {
  const types = [
    ...new Set(
      values
        .flatMap((v) => v.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = types.filter((t) => !(HARNESS_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new ApiError("validation_error", `Unknown event type(s): ${unknown.join(", ")}.`, {
      domain: "hooks",
      details: { field, accepted: HARNESS_EVENT_TYPES },
      actions: [{ rel: "fix-input", hint: `Use ${HARNESS_EVENT_TYPES.join(", ")}.` }],
    });
  }
  return types;
}

/**
 * hooks.listEvents — a page of the harness's recorded events (Open Harness `StoredEvent`), newest first,
 * filtered by `type` (one or a comma list) and `since` (ISO 8601, exclusive). Events are kept 7 days
 * (at most 10,000 per harness).
 * @throws ApiError `harness_not_found`, `validation_error`, `capability_not_supported`
 */
export async function listHarnessEvents({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; limit: number; offset: number; type?: string; since?: string }>): Promise<{
  harness: HarnessRow;
  page: Page<StoredHarnessEvent>;
}> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "hooks", "events", "hooks.listEvents");
  const types = input.type ? eventTypesFilter([input.type], "query.type") : [];
  const found = await harnessEventsStub(ctx.env, harness.id).list({
    limit: input.limit,
    offset: input.offset,
    ...(types.length ? { types } : {}),
    ...(input.since ? { since: new Date(input.since).toISOString() } : {}),
  });
  return { harness, page: { items: found.items, total: found.total, limit: input.limit, offset: input.offset } };
}

/**
 * hooks.streamEvents — the harness's live event stream (SSE: `id` = seq, `event` = type, `data` with
 * `type`), replayed strictly after `lastEventId` first, restricted to `events` when given. It stays
 * open (`: ping` every 15 s) until the client leaves.
 * @throws ApiError `harness_not_found`, `validation_error` (events), `capability_not_supported`
 */
export async function streamHarnessEvents({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; lastEventId: number; events: string[] }>): Promise<Response> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "hooks", "events", "hooks.streamEvents");
  const types = eventTypesFilter(input.events, "events");
  const url = new URL("https://harness-events/stream");
  url.searchParams.set("after", String(input.lastEventId));
  if (types.length) url.searchParams.set("events", types.join(","));
  const response = await harnessEventsStub(ctx.env, harness.id).fetch(new Request(url));
  await refuseCursorBeyondEnd(response);
  return response;
}
