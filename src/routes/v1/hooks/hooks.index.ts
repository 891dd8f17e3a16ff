import { SCOPES } from "../../../auth/scopes.ts";
import { createRouter } from "../../../context.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { OPEN_HARNESS_OPERATIONS } from "../../../operations/table.ts";
import { routingPath } from "../../operation-route.ts";
import * as handlers from "./hooks.handlers.ts";
import * as routes from "./hooks.routes.ts";

/** Open Harness domain 11 — Hooks & Events (10 endpoints) and the webhook subscriptions. */
export const hooksRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.register, handlers.register)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.unregister, handlers.unregister)
  .openapi(routes.streamEvents, handlers.streamEvents)
  .openapi(routes.listEvents, handlers.listEvents)
  .openapi(routes.registerWebhook, handlers.registerWebhook)
  .openapi(routes.listWebhooks, handlers.listWebhooks)
  .openapi(routes.deleteWebhook, handlers.deleteWebhook);

// hooks.streamEvents also as POST with a JSON body (spec §9.1 #3), documented on the GET route.
hooksRouter.post(
  routingPath(OPEN_HARNESS_OPERATIONS["hooks.streamEvents"].path).replace(/\{(\w+)\}/g, ":$1"),
  requireScope(SCOPES.hooksRead),
  handlers.streamEventsPost,
);
