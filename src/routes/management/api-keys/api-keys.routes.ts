import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { ApiKeyIdParam, ApiKeyPage, CreateApiKeyBody, CreatedApiKey, ListApiKeysQuery } from "./api-keys.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["API keys"];

export const list = operationRoute("apiKeys.list", {
  tags,
  summary: "The organization's API keys",
  description: "Live (unrevoked) keys, newest first: metadata only, never the secret or its digest.",
  request: { query: ListApiKeysQuery },
  responses: { 200: jsonContent(ApiKeyPage, "A page of keys"), ...problemResponses(...AUTH_ERRORS) },
});

export const create = operationRoute("apiKeys.create", {
  tags,
  summary: "Create an API key",
  description:
    "Owners, admins and API keys / machine clients of the organization (a member gets 403). The token is in this response only. A credential cannot create a key with scopes it does not hold itself (403 with `details.missing_scopes`).",
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyBody } } } },
  responses: { 201: jsonContent(CreatedApiKey, "The key and its token (shown once)"), ...problemResponses(...AUTH_ERRORS, "invalid_json") },
});

export const revoke = operationRoute("apiKeys.revoke", {
  tags,
  summary: "Revoke an API key",
  description:
    "The key stops authenticating at once. A key may revoke itself (an emergency stop for a leaked key). Another organization's, an unknown or an already revoked key is 404.",
  request: { params: ApiKeyIdParam },
  responses: { 204: { description: "Revoked" }, ...problemResponses(...AUTH_ERRORS, "api_key_not_found") },
});
