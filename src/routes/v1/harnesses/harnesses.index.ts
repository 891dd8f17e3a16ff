import { createRouter } from "../../../context.ts";
import * as handlers from "./harnesses.handlers.ts";
import * as routes from "./harnesses.routes.ts";

/** Open Harness domain 1 — Harness Registry (8 operations). */
export const harnessesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.register, handlers.register)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.unregister, handlers.unregister)
  .openapi(routes.capabilities, handlers.capabilities)
  .openapi(routes.health, handlers.health)
  .openapi(routes.validateCredentials, handlers.validateCredentials);
