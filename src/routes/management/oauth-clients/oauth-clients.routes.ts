import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  ClientIdParam,
  CreatedMachineClient,
  CreateMachineClientBody,
  ListMachineClientsQuery,
  MachineClientPage,
} from "./oauth-clients.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Machine clients"];

export const list = operationRoute("oauthClients.list", {
  tags,
  summary: "The organization's machine OAuth clients",
  description: "Live (unrevoked) client_credentials clients of this organization, newest first; never their secrets.",
  request: { query: ListMachineClientsQuery },
  responses: { 200: jsonContent(MachineClientPage, "A page of machine clients"), ...problemResponses(...AUTH_ERRORS) },
});

export const create = operationRoute("oauthClients.create", {
  tags,
  summary: "Create a machine OAuth client",
  description:
    "A confidential client for `grant_type=client_credentials` that acts as this organization's service principal. Owners, admins and API keys (a member gets 403); the secret is in this response only; a credential cannot create a client whose scope grants more than it holds.",
  request: { body: { required: true, content: { "application/json": { schema: CreateMachineClientBody } } } },
  responses: {
    201: jsonContent(CreatedMachineClient, "The client and its secret (shown once)"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json"),
  },
});

export const revoke = operationRoute("oauthClients.revoke", {
  tags,
  summary: "Revoke a machine OAuth client",
  description:
    "The token endpoint refuses it from now on (`invalid_client`); access tokens it already holds expire within the hour. Another organization's, an unknown or an already revoked client is 404.",
  request: { params: ClientIdParam },
  responses: { 204: { description: "Revoked" }, ...problemResponses(...AUTH_ERRORS, "oauth_client_not_found") },
});
