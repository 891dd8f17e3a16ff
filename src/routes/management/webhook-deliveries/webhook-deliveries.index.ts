import { createRouter } from "../../../context.ts";
import * as handlers from "./webhook-deliveries.handlers.ts";
import * as routes from "./webhook-deliveries.routes.ts";

/** The deliveries of a harness's webhooks: what failed, and sending it again. */
export const webhookDeliveriesRouter = createRouter().openapi(routes.list, handlers.list).openapi(routes.redeliver, handlers.redeliver);
