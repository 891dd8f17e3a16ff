import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { OrganizationSchema, UpdateOrganizationBody } from "./organization.schemas.ts";

const tags = ["Organization"];

export const get = createRoute({
  operationId: "organization.get",
  method: "get",
  path: "/organization",
  tags,
  summary: "The caller's organization",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationRead),
  responses: { 200: jsonContent(OrganizationSchema, "The organization's settings"), ...problemResponses(...AUTH_ERRORS) },
});

export const update = createRoute({
  operationId: "organization.update",
  method: "patch",
  path: "/organization",
  tags,
  summary: "Rename the organization or set its default model",
  description: "Owners, admins and API keys (a member gets 403). Absent fields stay unchanged.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { body: { required: true, content: { "application/json": { schema: UpdateOrganizationBody } } } },
  responses: {
    200: jsonContent(OrganizationSchema, "The organization's settings now"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json"),
  },
});
