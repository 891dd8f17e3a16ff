import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { ApiKeyIdParam, ApiKeyPage, CreateApiKeyBody, CreatedApiKey, ListApiKeysQuery } from "./api-keys.schemas.ts";

const tags = ["API keys"];

export const list = createRoute({
  operationId: "apiKeys.list",
  method: "get",
  path: "/api-keys",
  tags,
  summary: "The organization's API keys",
  description: "Live (unrevoked) keys, newest first: metadata only, never the secret or its digest.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationRead),
  request: { query: ListApiKeysQuery },
  responses: { 200: jsonContent(ApiKeyPage, "A page of keys"), ...problemResponses(...AUTH_ERRORS) },
});

export const create = createRoute({
  operationId: "apiKeys.create",
  method: "post",
  path: "/api-keys",
  tags,
  summary: "Create an API key",
  description:
    "Owners, admins and API keys / machine clients of the organization (a member gets 403). The token is in this response only. A credential cannot create a key with scopes it does not hold itself (403 with `details.missing_scopes`).",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyBody } } } },
  responses: { 201: jsonContent(CreatedApiKey, "The key and its token (shown once)"), ...problemResponses(...AUTH_ERRORS, "invalid_json") },
});

export const revoke = createRoute({
  operationId: "apiKeys.revoke",
  method: "delete",
  path: "/api-keys/{keyId}",
  tags,
  summary: "Revoke an API key",
  description:
    "The key stops authenticating at once. A key may revoke itself (an emergency stop for a leaked key). Another organization's, an unknown or an already revoked key is 404.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { params: ApiKeyIdParam },
  responses: { 204: { description: "Revoked" }, ...problemResponses(...AUTH_ERRORS, "api_key_not_found") },
});
