import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  CapabilityCatalog,
  CreateHarnessDefinition,
  HarnessDefinition,
  HarnessDefinitionPage,
  HarnessDefinitionParams,
  ListHarnessDefinitionsQuery,
  UpdateHarnessDefinition,
} from "./harnesses.schemas.ts";

const tags = ["Harness definitions"];
const read = requireScope(SCOPES.harnessesRead);
const write = requireScope(SCOPES.harnessesWrite);

export const list = createRoute({
  operationId: "harnessDefinitions.list",
  method: "get",
  path: "/harnesses",
  tags,
  summary: "List harness definitions",
  security: BEARER_SECURITY,
  middleware: read,
  request: { query: ListHarnessDefinitionsQuery },
  responses: { 200: jsonContent(HarnessDefinitionPage, "A page of harnesses"), ...problemResponses(...AUTH_ERRORS) },
});

export const create = createRoute({
  operationId: "harnessDefinitions.create",
  method: "post",
  path: "/harnesses",
  tags,
  summary: "Create a harness definition",
  description: "The Everruns-style view of the same harness record the Open Harness API serves at /v1 (name = Open Harness id).",
  security: BEARER_SECURITY,
  middleware: write,
  request: { body: { required: true, content: { "application/json": { schema: CreateHarnessDefinition } } } },
  responses: {
    201: jsonContent(HarnessDefinition, "The harness"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_exists", "harness_not_found"),
  },
});

export const get = createRoute({
  operationId: "harnessDefinitions.get",
  method: "get",
  path: "/harnesses/{harnessId}",
  tags,
  summary: "Get a harness definition",
  security: BEARER_SECURITY,
  middleware: read,
  request: { params: HarnessDefinitionParams },
  responses: { 200: jsonContent(HarnessDefinition, "The harness"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const update = createRoute({
  operationId: "harnessDefinitions.update",
  method: "patch",
  path: "/harnesses/{harnessId}",
  tags,
  summary: "Update a harness definition",
  security: BEARER_SECURITY,
  middleware: write,
  request: {
    params: HarnessDefinitionParams,
    body: { required: true, content: { "application/json": { schema: UpdateHarnessDefinition } } },
  },
  responses: {
    200: jsonContent(HarnessDefinition, "The harness"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "harness_read_only"),
  },
});

export const remove = createRoute({
  operationId: "harnessDefinitions.delete",
  method: "delete",
  path: "/harnesses/{harnessId}",
  tags,
  summary: "Delete a harness definition",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: HarnessDefinitionParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_busy", "harness_read_only"),
  },
});

export const catalog = createRoute({
  operationId: "capabilities.list",
  method: "get",
  path: "/capabilities",
  tags,
  summary: "The catalog of capability refs a harness can enable",
  security: BEARER_SECURITY,
  middleware: read,
  responses: {
    200: jsonContent(CapabilityCatalog, "Every capability ref and the tools it contributes"),
    ...problemResponses(...AUTH_ERRORS),
  },
});
