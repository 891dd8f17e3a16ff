import { createRouter } from "../../../context.ts";
import * as handlers from "./usage.handlers.ts";
import * as routes from "./usage.routes.ts";

/** The usage ledger of the caller's organization. */
export const usageRouter = createRouter().openapi(routes.list, handlers.list);
