import { createRouter } from "../../context.ts";
import { chatRouter } from "./chat/chat.index.ts";

/** The external API surface, mounted at `/api/external/v1`: one-request chat with the assistant. */
export const externalApi = createRouter().route("/", chatRouter);
