import type { AppRouteHandler } from "../../../context.ts";
import { chatWithAssistant } from "../../../services/chat/chat.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./chat.routes.ts";

export const chat: AppRouteHandler<typeof routes.chat> = async (c) => {
  const { message, conversationId } = c.req.valid("json");
  const reply = await chatWithAssistant({ ctx: authed(c), input: { message, ...(conversationId ? { conversationId } : {}) } });
  return c.json({ answer: reply.answer, conversationId: reply.conversationId, toolsUsed: reply.toolsUsed }, 200);
};
