import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  CapabilityCatalog,
  CopyHarnessDefinition,
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
  summary: "Update, archive or unarchive a harness definition",
  description:
    "`status: archived` archives (an archived harness refuses new executions and sessions with 409 `harness_archived`), `status: active` unarchives. Built-in harnesses are read-only: 409 `harness_read_only` pointing at harnessDefinitions.copy.",
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
  description:
    "Soft delete (seeds/002): the record stays with `status: deleted` and `deleted_at`, readable by its typed id; it leaves the lists and its name is free again. Stored provider keys are deleted. Refused while it has open sessions or running executions (409 `harness_busy`) and for built-ins (409 `harness_read_only`).",
  security: BEARER_SECURITY,
  middleware: write,
  request: { params: HarnessDefinitionParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "harness_busy", "harness_read_only"),
  },
});

export const copy = createRoute({
  operationId: "harnessDefinitions.copy",
  method: "post",
  path: "/harnesses/{harnessId}/copy",
  tags,
  summary: "Copy a harness definition (the way to customise a built-in)",
  description:
    "Creates an editable harness with the source's prompt, capabilities, model, starter files, MCP servers, network policy, parent and tags. Send `{}` for the default name `<source name>-copy`.",
  security: BEARER_SECURITY,
  middleware: write,
  request: {
    params: HarnessDefinitionParams,
    body: { required: true, content: { "application/json": { schema: CopyHarnessDefinition } } },
  },
  responses: {
    201: jsonContent(HarnessDefinition, "The copy"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "harness_not_found", "harness_exists"),
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
