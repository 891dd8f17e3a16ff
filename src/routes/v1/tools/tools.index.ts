import { createRouter } from "../../../context.ts";
import * as handlers from "./tools.handlers.ts";
import * as routes from "./tools.routes.ts";

/** Open Harness domain 5 — Tools (6 operations): built-in, MCP, skill and custom tools in one view. */
export const toolsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.register, handlers.register)
  .openapi(routes.unregister, handlers.unregister)
  .openapi(routes.invoke, handlers.invoke)
  .openapi(routes.invokeStream, handlers.invokeStream);
