import { createRouter } from "../../../context.ts";
import * as handlers from "./sessions.handlers.ts";
import * as routes from "./sessions.routes.ts";

/** Open Harness domain 7 — Sessions (11 operations, WebSocket included). */
export const sessionsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.end, handlers.end)
  .openapi(routes.resume, handlers.resume)
  .openapi(routes.history, handlers.history)
  .openapi(routes.fork, handlers.fork)
  .openapi(routes.connect, handlers.connect)
  .openapi(routes.sendMessage, handlers.sendMessage)
  .openapi(routes.sendMessageStream, handlers.sendMessageStream);
