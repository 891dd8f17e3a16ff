/**
 * One-request chat with the organization's assistant (`POST /api/external/v1/chat`, MCP
 * `chat_with_assistant`). A conversation is a session on the built-in assistant harness owned by the
 * caller (`sessions.owner_subject`); its turns are ordinary session turns (`services/sessions/turns.ts`),
 * so the model sees the conversation's history and every turn is an execution of the organization.
 */
import { ApiError } from "../../errors/api-error.ts";
import { ensureAssistant } from "../assistant/provision.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { chargeRequest } from "../limits/quota.ts";
import { findSession } from "../sessions/find.ts";
import { createSession } from "../sessions/lifecycle.ts";
import { sendSessionMessage } from "../sessions/turns.ts";

/** Longest message, in characters. */
export const MAX_CHAT_MESSAGE_CHARS = 20_000;
/** Characters of the first message used to name a new conversation. */
const CONVERSATION_NAME_CHARS = 80;

/** Input of {@link chatWithAssistant}. `message` is 1–{@link MAX_CHAT_MESSAGE_CHARS} characters. */
export interface ChatInput {
  message: string;
  /** A `conversationId` this verb returned to the same caller; absent = start a new conversation. */
  conversationId?: string;
}

/** The assistant's complete reply. */
export interface ChatReply {
  /** The assistant's answer (the turn's full text output). */
  answer: string;
  /** Pass it back to continue the conversation (a session id, `sess_…`). */
  conversationId: string;
  /** Names of the tools the assistant called for this answer, first use first, each once. */
  toolsUsed: string[];
}

/** The 404 for a conversation that is not the caller's (unknown, another user's, another organization's). */
function conversationNotFound(conversationId: string): ApiError {
  return new ApiError("session_not_found", `No conversation ${conversationId} of yours in this organization.`, {
    details: { conversation_id: conversationId, field: "body.conversationId" },
    actions: [{ rel: "fix-input", hint: "Omit conversationId to start a new conversation, or pass one this API returned to you." }],
  });
}

/**
 * Sends `message` to the caller's organization's assistant and returns its complete answer. Without
 * `conversationId` a new conversation starts (owned by the caller); with it, the conversation continues
 * and the assistant sees its history. The request is charged (surface `chat`) before the assistant runs —
 * unless this request was charged already (an MCP tool call charges `mcp` before calling this).
 * The assistant's model is the organization's default model, else the deployment default.
 *
 * @throws ApiError `session_not_found` (404) for a conversation that is not the caller's,
 *   `session_ended` / `session_paused` (409), `rate_limited` (429, with `retryAfterSeconds`),
 *   `model_not_available` (400), `upstream_unavailable` (503) when the assistant's turn failed,
 *   `harness_exists` (409) when the organization registered its own harness as `assistant`.
 */
export async function chatWithAssistant({ ctx: given, input }: VerbArgs<AuthedContext, ChatInput>): Promise<ChatReply> {
  // One charge for the whole request, whichever verb below charges first.
  const ctx: AuthedContext = given.meter ? given : { ...given, meter: {} };
  const owner = ctx.principal.subject;
  const assistant = await ensureAssistant({ ctx, input: {} });
  let conversationId = input.conversationId;
  if (conversationId !== undefined) {
    const id = conversationId;
    await findSession({ ctx, input: { ref: assistant.id, sessionId: id, ownerSubject: owner } }).catch((error: unknown) => {
      throw error instanceof ApiError && error.code === "session_not_found" ? conversationNotFound(id) : error;
    });
  }
  await chargeRequest({ ctx, input: { surface: "chat" } });
  if (conversationId === undefined) {
    const name = `Chat: ${input.message.replace(/\s+/g, " ").trim().slice(0, CONVERSATION_NAME_CHARS)}`;
    conversationId = (await createSession({ ctx, input: { ref: assistant.id, name } })).session.id;
  }
  const { executionId, response } = await sendSessionMessage({
    ctx,
    input: { ref: assistant.id, sessionId: conversationId, content: input.message, ownerSubject: owner },
  });
  if (response.status !== "completed") {
    throw new ApiError("upstream_unavailable", "The assistant could not finish its answer; send the message again.", {
      details: { conversation_id: conversationId, execution_id: executionId, status: response.status ?? null },
      actions: [
        { rel: "retry", hint: "Send the message again with the same conversationId." },
        {
          rel: "inspect",
          hint: "The failed turn is an execution of the assistant harness.",
          operation_id: "execution.get",
          href: `/v1/harnesses/${assistant.slug}/executions/${executionId}`,
        },
      ],
    });
  }
  const toolsUsed = [...new Set((response.tool_calls ?? []).map((t) => t.name))];
  return { answer: response.content, conversationId, toolsUsed };
}
