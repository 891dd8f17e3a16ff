import { createRouter } from "../../../context.ts";
import * as handlers from "./executions.handlers.ts";
import * as routes from "./executions.routes.ts";

/** Open Harness domain 6 — Execution (11 operations). */
export const executionsRouter = createRouter()
  .openapi(routes.run, handlers.run)
  .openapi(routes.stream, handlers.stream)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.attachStream, handlers.attachStream)
  .openapi(routes.cancel, handlers.cancel)
  .openapi(routes.result, handlers.result)
  .openapi(routes.listArtifacts, handlers.listArtifacts)
  .openapi(routes.downloadArtifact, handlers.downloadArtifact)
  .openapi(routes.listToolCalls, handlers.listToolCalls)
  .openapi(routes.sendInput, handlers.sendInput);
