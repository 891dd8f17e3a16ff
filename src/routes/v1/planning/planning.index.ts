import { createRouter } from "../../../context.ts";
import * as handlers from "./planning.handlers.ts";
import * as routes from "./planning.routes.ts";

/** Open Harness domain 12 — Planning & Tasks (5 operations). */
export const planningRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.listTasks, handlers.listTasks)
  .openapi(routes.updateTask, handlers.updateTask)
  .openapi(routes.stream, handlers.stream);
