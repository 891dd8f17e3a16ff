import { createRouter } from "../../../context.ts";
import * as handlers from "./agents.handlers.ts";
import * as routes from "./agents.routes.ts";

/** Open Harness domain 2 — Agents: import, list and get (the rest answer 501 for now). */
export const agentsRouter = createRouter()
  .openapi(routes.importAgents, handlers.importAgents)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get);
