import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { OrganizationLimitsSchema, UpdateLimitsBody } from "./limits.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Usage and limits"];

export const get = operationRoute("organization.limits.get", {
  tags,
  summary: "The organization's daily limits",
  responses: { 200: jsonContent(OrganizationLimitsSchema, "The limits in force"), ...problemResponses(...AUTH_ERRORS) },
});

export const update = operationRoute("organization.limits.update", {
  tags,
  summary: "Change the organization's daily limits",
  description:
    "Allowed for organization API keys and for users whose role in the organization is owner or admin (a member gets 403). `null` restores the deployment default.",
  request: { body: { required: true, content: { "application/json": { schema: UpdateLimitsBody } } } },
  responses: { 200: jsonContent(OrganizationLimitsSchema, "The limits now in force"), ...problemResponses(...AUTH_ERRORS, "invalid_json") },
});
