import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { ChatRequest, ChatResponse } from "./chat.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

export const chat = operationRoute("assistant.chat", {
  tags: ["Assistant"],
  summary: "One request, one answer from the assistant",
  description:
    "Sends a message to the organization's built-in assistant and returns its complete answer (non-streaming). The assistant answers about the organization's harnesses, agents, executions and usage, and can hand a task to one of its agents. Pass the returned `conversationId` back to continue; a conversation belongs to the user (or API key) that started it. Each call is charged to the caller's daily request quota and the organization's token budget (429 with `Retry-After` when exhausted). Credentials: an organization API key, or an OAuth access token for this API (`resource=<origin>/api/external/v1`) with scope `assistant`.",
  request: { body: { required: true, content: { "application/json": { schema: ChatRequest } } } },
  responses: {
    200: jsonContent(ChatResponse, "The assistant's answer"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "invalid_json",
      "model_not_available",
      "session_not_found",
      "session_ended",
      "session_paused",
      "harness_exists",
      "upstream_unavailable",
    ),
  },
});
