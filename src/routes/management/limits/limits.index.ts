import { createRouter } from "../../../context.ts";
import * as handlers from "./limits.handlers.ts";
import * as routes from "./limits.routes.ts";

/** The organization's daily request quota and token budget. */
export const limitsRouter = createRouter().openapi(routes.get, handlers.get).openapi(routes.update, handlers.update);
