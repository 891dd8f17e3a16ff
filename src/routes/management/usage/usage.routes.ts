import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { ListUsageQuery, UsagePage } from "./usage.schemas.ts";

export const list = createRoute({
  operationId: "usage.list",
  method: "get",
  path: "/usage",
  tags: ["Usage and limits"],
  summary: "The organization's usage ledger",
  description:
    "One row per metered run (chat turns, MCP-started work, executions, tasks the assistant delegated), newest first, plus today's totals against the organization's limits.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.usageRead),
  request: { query: ListUsageQuery },
  responses: { 200: jsonContent(UsagePage, "A page of ledger rows and today's totals"), ...problemResponses(...AUTH_ERRORS) },
});
