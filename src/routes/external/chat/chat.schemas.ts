import { z } from "@hono/zod-openapi";
import { MAX_CHAT_MESSAGE_CHARS } from "../../../services/chat/chat.ts";

/** Longest conversation id accepted (ids are `sess_` + 32 hex; anything longer cannot exist). */
const MAX_CONVERSATION_ID_CHARS = 100;

export const ChatRequest = z
  .object({
    message: z
      .string()
      .min(1)
      .max(MAX_CHAT_MESSAGE_CHARS)
      .openapi({
        description: `The message to the assistant (1–${MAX_CHAT_MESSAGE_CHARS} characters).`,
        example: "Which harnesses do we have?",
      }),
    conversationId: z.string().min(1).max(MAX_CONVERSATION_ID_CHARS).optional().openapi({
      description: "Continue this conversation (a `conversationId` an earlier answer returned to you); omit to start a new one.",
      example: "sess_0193…",
    }),
  })
  .strict()
  .openapi("ChatRequest");

export const ChatResponse = z
  .object({
    answer: z.string().openapi({ description: "The assistant's complete answer." }),
    conversationId: z.string().openapi({ description: "Pass it back to continue the conversation." }),
    toolsUsed: z.array(z.string()).openapi({ description: "The tools the assistant used for this answer.", example: ["list_harnesses"] }),
  })
  .openapi("ChatResponse");
