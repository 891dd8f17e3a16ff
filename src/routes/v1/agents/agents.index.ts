import { createRouter } from "../../../context.ts";
import * as handlers from "./agents.handlers.ts";
import * as routes from "./agents.routes.ts";

/** Open Harness domain 2 — Agents: all 8 operations (`agents/import` before `{agentId}`). */
export const agentsRouter = createRouter()
  .openapi(routes.importAgents, handlers.importAgents)
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.clone, handlers.clone)
  .openapi(routes.exportAgent, handlers.exportAgent);
