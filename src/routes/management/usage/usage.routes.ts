import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { ListUsageQuery, UsagePage } from "./usage.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

export const list = operationRoute("usage.list", {
  tags: ["Usage and limits"],
  summary: "The organization's usage ledger",
  description:
    "One row per metered run (chat turns, MCP-started work, executions, tasks the assistant delegated), newest first, plus today's totals against the organization's limits.",
  request: { query: ListUsageQuery },
  responses: { 200: jsonContent(UsagePage, "A page of ledger rows and today's totals"), ...problemResponses(...AUTH_ERRORS) },
});
