/**
 * Publishing a harness event: recorded and fanned out by the harness's `HarnessEvents` object
 * (hooks.streamEvents / hooks.listEvents), and delivered to the webhooks subscribed to its type.
 */
import { harnessEventsStub } from "../../../durable-objects/harness-events/harness-events.client.ts";
import type { HarnessEvent } from "../../../durable-objects/harness-events/harness-events.protocol.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext } from "../context.ts";
import { deliverToWebhooks } from "../webhooks/deliver.ts";

/** A harness as events name it: the typed id (its events object) and the slug (payloads). */
export interface HarnessRef {
  id: string;
  slug: string;
}

/**
 * Records `event` on the harness's stream and delivers it to subscribed webhooks. `webhookPayload` is
 * the body webhooks receive (default: `{event, harness_id, timestamp, data}`).
 * @returns the event's `seq` on the harness stream
 */
export async function publishHarnessEvent(
  ctx: AuthedContext,
  input: { harness: HarnessRef; event: HarnessEvent; webhookPayload?: unknown },
): Promise<number> {
  const [seq] = await harnessEventsStub(ctx.env, input.harness.id).publish({
    orgId: ctx.principal.orgId,
    harnessId: input.harness.id,
    events: [input.event],
  });
  await deliverToWebhooks(ctx, {
    harnessId: input.harness.id,
    type: input.event.type,
    payload: input.webhookPayload ?? { event: input.event.type, harness_id: input.harness.slug, timestamp: nowIso(), data: input.event },
  });
  return seq!;
}
