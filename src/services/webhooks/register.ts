import { and, eq } from "drizzle-orm";
import { HARNESS_EVENT_TYPES } from "../../../durable-objects/harness-events/harness-events.protocol.ts";
import { webhooks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertOutboundAllowed, networkPolicyLayers } from "../network/policy.ts";
import { chooseSecret, SECRET_HINT_CHARS } from "../hooks/secrets.ts";
import { sealSecret } from "../secrets.ts";

export type WebhookRow = typeof webhooks.$inferSelect;

/** Most webhooks one harness may have. */
export const MAX_WEBHOOKS_PER_HARNESS = 20;

/** Event names a webhook may subscribe to: every HarnessEvent type, or `*` for all. */
export const WEBHOOK_EVENT_NAMES: string[] = [...HARNESS_EVENT_TYPES, "*"];

/**
 * webhooks.register — subscribes `url` to the harness's events (`execution.completed` gets the spec §8.2
 * payload; other HarnessEvent types `{event, harness_id, timestamp, data}`). The URL must be https and
 * pass the SSRF rules and the harness chain's network policy (a host in the deployment's
 * OUTBOUND_PRIVATE_HOST_ALLOWLIST, e.g. a local receiver, may use http). The signing secret is
 * generated unless given, returned this once, and stored sealed.
 * @throws ApiError `harness_not_found`, `validation_error` (events, secret, too many), `network_blocked` (422: not https, a private
 *   address, or refused by the network policy), `secrets_unavailable` (503)
 */
export async function registerWebhook({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; url: string; events: string[]; secret?: string }>): Promise<{
  harness: HarnessRow;
  webhook: WebhookRow;
  secret: string;
}> {
  const harness = await findHarness({ ctx, input });
  const unknown = input.events.filter((e) => !WEBHOOK_EVENT_NAMES.includes(e));
  if (unknown.length > 0 || input.events.length === 0) {
    throw new ApiError("validation_error", `events must name harness event types; unknown: ${unknown.join(", ") || "(none given)"}.`, {
      domain: "hooks",
      operation: "webhooks.register",
      details: { field: "body.events", accepted: WEBHOOK_EVENT_NAMES },
      actions: [{ rel: "fix-input", hint: 'Subscribe to e.g. ["execution.completed"].' }],
    });
  }
  const url = assertOutboundAllowed(ctx, input.url, await networkPolicyLayers(ctx, { harness }), "body.url", {
    domain: "hooks",
    operation: "webhooks.register",
  });
  const count = await ctx.db.$count(webhooks, and(eq(webhooks.orgId, ctx.principal.orgId), eq(webhooks.harnessId, harness.id)));
  if (count >= MAX_WEBHOOKS_PER_HARNESS) {
    throw new ApiError("validation_error", `Harness ${harness.slug} has ${count} webhooks, the most it may have.`, {
      domain: "hooks",
      operation: "webhooks.register",
      actions: [{ rel: "list", operation_id: "webhooks.list", href: `/v1/harnesses/${harness.slug}/webhooks` }],
    });
  }
  const secret = chooseSecret(input.secret, "body.secret");
  const id = newId("webhook");
  const row: WebhookRow = {
    id,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    url: url.toString(),
    events: [...new Set(input.events)],
    enabled: true,
    secretSealed: await sealSecret(ctx, secret, `webhook:${id}`),
    secretHint: secret.slice(-SECRET_HINT_CHARS),
    createdAt: nowIso(),
  };
  await ctx.db.insert(webhooks).values(row);
  return { harness, webhook: row, secret };
}
