import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { listDeliveries } from "../../../services/webhooks/deliveries.ts";
import { redeliver as redeliverVerb } from "../../../services/webhooks/redeliver.ts";
import { authed } from "../../authed.ts";
import { toDeliveryView } from "../../v1/hooks/hooks.schemas.ts";
import type * as routes from "./webhook-deliveries.routes.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harnessId, webhookId } = c.req.valid("param");
  const { limit, offset, status } = c.req.valid("query");
  const { page } = await listDeliveries({
    ctx: authed(c),
    input: { ref: harnessId, webhookId, limit, offset, ...(status ? { status } : {}) },
  });
  return c.json(toEnvelope(page, toDeliveryView), 200);
};

export const redeliver: AppRouteHandler<typeof routes.redeliver> = async (c) => {
  const { harnessId, webhookId, deliveryId } = c.req.valid("param");
  const delivery = await redeliverVerb({ ctx: authed(c), input: { ref: harnessId, webhookId, deliveryId } });
  return c.json({ delivery: toDeliveryView(delivery) }, 202);
};
