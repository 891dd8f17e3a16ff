import { createRouter } from "../../../context.ts";
import * as handlers from "./chat.handlers.ts";
import * as routes from "./chat.routes.ts";

/** One-request chat with the organization's assistant. */
export const chatRouter = createRouter().openapi(routes.chat, handlers.chat);
