import { createRouter } from "../../../context.ts";
import * as handlers from "./oauth-clients.handlers.ts";
import * as routes from "./oauth-clients.routes.ts";

/** The organization's machine OAuth clients (client_credentials): create (secret shown once), list, revoke. */
export const oauthClientsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.revoke, handlers.revoke);
