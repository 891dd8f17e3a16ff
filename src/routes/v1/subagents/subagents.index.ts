import { createRouter } from "../../../context.ts";
import * as handlers from "./subagents.handlers.ts";
import * as routes from "./subagents.routes.ts";

/** Open Harness domain 9 — Subagents (8 operations). */
export const subagentsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.spawn, handlers.spawn)
  .openapi(routes.get, handlers.get)
  .openapi(routes.terminate, handlers.terminate)
  .openapi(routes.delegate, handlers.delegate)
  .openapi(routes.delegateStream, handlers.delegateStream)
  .openapi(routes.result, handlers.result)
  .openapi(routes.attachStream, handlers.attachStream);
