import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  CapabilitiesResponse,
  HarnessEnvelope,
  HarnessIdParam,
  HarnessPage,
  HealthResponse,
  ListHarnessesQuery,
  RegisterHarnessBody,
  UpdateHarnessBody,
  ValidateCredentialsBody,
  ValidateCredentialsResponse,
} from "./harnesses.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Harness Registry"];

export const list = operationRoute("harnesses.list", {
  tags,
  summary: "List harnesses",
  request: { query: ListHarnessesQuery },
  responses: { 200: jsonContent(HarnessPage, "A page of harnesses"), ...problemResponses(...AUTH_ERRORS) },
});

export const get = operationRoute("harnesses.get", {
  tags,
  summary: "Get a harness",
  request: { params: HarnessIdParam },
  responses: { 200: jsonContent(HarnessEnvelope, "The harness"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const register = operationRoute("harnesses.register", {
  tags,
  summary: "Register a harness",
  request: { body: { required: true, content: { "application/json": { schema: RegisterHarnessBody } } } },
  responses: {
    201: jsonContent(HarnessEnvelope, "The registered harness"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_exists", "harness_not_found"),
  },
});

export const update = operationRoute("harnesses.update", {
  tags,
  summary: "Update a harness",
  request: { params: HarnessIdParam, body: { required: true, content: { "application/json": { schema: UpdateHarnessBody } } } },
  responses: {
    200: jsonContent(HarnessEnvelope, "The updated harness"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "harness_read_only"),
  },
});

export const unregister = operationRoute("harnesses.unregister", {
  tags,
  summary: "Unregister a harness",
  description: "Refused with 409 `harness_busy` while executions run. Deletes the harness's agents, stored credentials and blobs.",
  request: { params: HarnessIdParam },
  responses: {
    204: { description: "Unregistered" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_busy", "harness_read_only"),
  },
});

export const capabilities = operationRoute("harnesses.capabilities", {
  tags,
  summary: "Capability manifest",
  request: { params: HarnessIdParam },
  responses: {
    200: jsonContent(CapabilitiesResponse, "What this harness serves, per domain"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found"),
  },
});

export const health = operationRoute("harnesses.health", {
  tags,
  summary: "Harness health (authentication optional)",
  description:
    "Without credentials the answer is only that the deployment is up: the same body for every id, existing or not. The harness's own checks (registry, database, object storage, model) need credentials of its organization.",
  security: [{}, ...BEARER_SECURITY],
  request: { params: HarnessIdParam },
  responses: { 200: jsonContent(HealthResponse, "Health"), ...problemResponses("unauthorized", "harness_not_found") },
});

export const validateCredentials = operationRoute("harnesses.validateCredentials", {
  tags,
  summary: "Check (and optionally store) a model provider key",
  description:
    "Makes a real, cheap provider call (`GET /models`). An invalid key is `valid: false` in a 200 body. With `store: true` a valid key is stored AES-GCM encrypted.",
  request: { params: HarnessIdParam, body: { required: true, content: { "application/json": { schema: ValidateCredentialsBody } } } },
  responses: {
    200: jsonContent(ValidateCredentialsResponse, "The verdict"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found"),
  },
});
