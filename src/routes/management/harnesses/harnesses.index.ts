import { createRouter } from "../../../context.ts";
import * as handlers from "./harnesses.handlers.ts";
import * as routes from "./harnesses.routes.ts";

/** Everruns-style harness definitions (`/api/v1/harnesses`) and the capability-ref catalog. */
export const harnessDefinitionsRouter = createRouter()
  .openapi(routes.catalog, handlers.catalog)
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.get, handlers.get)
  .openapi(routes.resolved, handlers.resolved)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.copy, handlers.copy);
