import { createRouter } from "../../../context.ts";
import * as handlers from "./mcp-servers.handlers.ts";
import * as routes from "./mcp-servers.routes.ts";

/** Open Harness domain 4 — MCP Servers (9 operations): the harness as an MCP client. */
export const mcpServersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.connect, handlers.connect)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.disconnect, handlers.disconnect)
  .openapi(routes.listTools, handlers.listTools)
  .openapi(routes.listResources, handlers.listResources)
  .openapi(routes.listPrompts, handlers.listPrompts)
  .openapi(routes.health, handlers.health);
