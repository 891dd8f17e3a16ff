import { createRouter } from "../../../context.ts";
import * as handlers from "./members.handlers.ts";
import * as routes from "./members.routes.ts";

/** The organization's members: list (with pending invitations), change a role, remove. */
export const membersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove);
