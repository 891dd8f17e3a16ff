import { createRouter } from "../../../context.ts";
import * as handlers from "./conformance.handlers.ts";
import * as routes from "./conformance.routes.ts";

/** Open Harness domain 13 — conformance runs. */
export const conformanceRouter = createRouter()
  .openapi(routes.run, handlers.run)
  .openapi(routes.stream, handlers.stream)
  .openapi(routes.results, handlers.results)
  .openapi(routes.status, handlers.status);
