import { createRouter } from "../../../context.ts";
import * as handlers from "./organization.handlers.ts";
import * as routes from "./organization.routes.ts";

/** The organization's settings: name and default model. */
export const organizationRouter = createRouter().openapi(routes.get, handlers.get).openapi(routes.update, handlers.update);
