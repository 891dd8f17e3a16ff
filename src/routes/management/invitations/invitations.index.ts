import { createRouter } from "../../../context.ts";
import * as handlers from "./invitations.handlers.ts";
import * as routes from "./invitations.routes.ts";

/** Invitations: the organization invites and cancels; the invited user lists, accepts and declines. */
export const invitationsRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.listReceived, handlers.listReceived)
  .openapi(routes.cancel, handlers.cancel)
  .openapi(routes.accept, handlers.accept)
  .openapi(routes.decline, handlers.decline);
