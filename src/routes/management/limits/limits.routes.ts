import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { OrganizationLimitsSchema, UpdateLimitsBody } from "./limits.schemas.ts";

const tags = ["Usage and limits"];

export const get = createRoute({
  operationId: "organization.limits.get",
  method: "get",
  path: "/organization/limits",
  tags,
  summary: "The organization's daily limits",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationRead),
  responses: { 200: jsonContent(OrganizationLimitsSchema, "The limits in force"), ...problemResponses(...AUTH_ERRORS) },
});

export const update = createRoute({
  operationId: "organization.limits.update",
  method: "patch",
  path: "/organization/limits",
  tags,
  summary: "Change the organization's daily limits",
  description:
    "Allowed for organization API keys and for users whose role in the organization is owner or admin (a member gets 403). `null` restores the deployment default.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { body: { required: true, content: { "application/json": { schema: UpdateLimitsBody } } } },
  responses: { 200: jsonContent(OrganizationLimitsSchema, "The limits now in force"), ...problemResponses(...AUTH_ERRORS, "invalid_json") },
});
