import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  CapabilityCatalog,
  CreateHarnessDefinition,
  HarnessDefinition,
  HarnessDefinitionPage,
  HarnessDefinitionParams,
  ListHarnessDefinitionsQuery,
  UpdateHarnessDefinition,
} from "./harnesses.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Harness definitions"];

export const list = operationRoute("harnessDefinitions.list", {
  tags,
  summary: "List harness definitions",
  request: { query: ListHarnessDefinitionsQuery },
  responses: { 200: jsonContent(HarnessDefinitionPage, "A page of harnesses"), ...problemResponses(...AUTH_ERRORS) },
});

export const create = operationRoute("harnessDefinitions.create", {
  tags,
  summary: "Create a harness definition",
  description: "The Everruns-style view of the same harness record the Open Harness API serves at /v1 (name = Open Harness id).",
  request: { body: { required: true, content: { "application/json": { schema: CreateHarnessDefinition } } } },
  responses: {
    201: jsonContent(HarnessDefinition, "The harness"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_exists", "harness_not_found"),
  },
});

export const get = operationRoute("harnessDefinitions.get", {
  tags,
  summary: "Get a harness definition",
  request: { params: HarnessDefinitionParams },
  responses: { 200: jsonContent(HarnessDefinition, "The harness"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const update = operationRoute("harnessDefinitions.update", {
  tags,
  summary: "Update a harness definition",
  request: {
    params: HarnessDefinitionParams,
    body: { required: true, content: { "application/json": { schema: UpdateHarnessDefinition } } },
  },
  responses: {
    200: jsonContent(HarnessDefinition, "The harness"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "harness_read_only"),
  },
});

export const remove = operationRoute("harnessDefinitions.delete", {
  tags,
  summary: "Delete a harness definition",
  request: { params: HarnessDefinitionParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_busy", "harness_read_only"),
  },
});

export const catalog = operationRoute("capabilities.list", {
  tags,
  summary: "The catalog of capability refs a harness can enable",
  responses: {
    200: jsonContent(CapabilityCatalog, "Every capability ref and the tools it contributes"),
    ...problemResponses(...AUTH_ERRORS),
  },
});
