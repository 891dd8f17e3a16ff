import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  CapabilityCatalog,
  CopyHarnessDefinition,
  CreateHarnessDefinition,
  HarnessDefinition,
  HarnessDefinitionPage,
  HarnessDefinitionParams,
  ListHarnessDefinitionsQuery,
  ResolvedHarnessDefinition,
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
  summary: "Update, archive or unarchive a harness definition",
  description:
    "`status: archived` archives (an archived harness refuses new executions and sessions with 409 `harness_archived`), `status: active` unarchives. Built-in harnesses are read-only: 409 `harness_read_only` pointing at harnessDefinitions.copy.",
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
  description:
    "Soft delete (seeds/002): the record stays with `status: deleted` and `deleted_at`, readable by its typed id; it leaves the lists and its name is free again. Stored provider keys are deleted. Refused while it has open sessions or running executions (409 `harness_busy`) and for built-ins (409 `harness_read_only`).",
  request: { params: HarnessDefinitionParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_busy", "harness_read_only"),
  },
});

export const copy = operationRoute("harnessDefinitions.copy", {
  tags,
  summary: "Copy a harness definition (the way to customise a built-in)",
  description:
    "Creates an editable harness with the source's prompt, capabilities, model, starter files, MCP servers, network policy, parent and tags. Send `{}` for the default name `<source name>-copy`.",
  request: {
    params: HarnessDefinitionParams,
    body: { required: true, content: { "application/json": { schema: CopyHarnessDefinition } } },
  },
  responses: {
    201: jsonContent(HarnessDefinition, "The copy"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "harness_exists"),
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

export const resolved = operationRoute("harnessDefinitions.resolved", {
  tags,
  summary: "Resolve a harness definition's inherited configuration",
  description:
    "The configuration runs see — parent chain, stacked system prompt, capabilities merged by ref, starter files by path, MCP servers by name (header values hidden), network-access layers and the default model along harness > parents > organization > deployment — each value with the layer it came from. What the web console's harness page shows.",
  request: { params: HarnessDefinitionParams },
  responses: {
    200: jsonContent(ResolvedHarnessDefinition, "The resolved configuration"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found"),
  },
});
