import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { OrganizationSchema, UpdateOrganizationBody } from "./organization.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Organization"];

export const get = operationRoute("organization.get", {
  tags,
  summary: "The caller's organization",
  responses: { 200: jsonContent(OrganizationSchema, "The organization's settings"), ...problemResponses(...AUTH_ERRORS) },
});

export const update = operationRoute("organization.update", {
  tags,
  summary: "Rename the organization or set its default model",
  description: "Owners, admins and API keys (a member gets 403). Absent fields stay unchanged.",
  request: { body: { required: true, content: { "application/json": { schema: UpdateOrganizationBody } } } },
  responses: {
    200: jsonContent(OrganizationSchema, "The organization's settings now"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json"),
  },
});
