import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import { AgentEnvelope, AgentPage, AgentParams, ImportForm, ImportResponse, ListAgentsQuery } from "./agents.schemas.ts";
import { limitRequestBody } from "../../../middleware/body-limit.ts";
import { MAX_AGENT_BUNDLE_BYTES } from "../../../lib/zip.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Agents"];

export const importAgents = operationRoute("agents.import", {
  tags,
  summary: "Import agents from an Open Agent Format package",
  description:
    "Imports every agent the package holds (root AGENTS.md, PACKAGE.yaml agent paths, or one folder per agent), recording skills and MCP configs. Limits: 50 MB bundle, 2000 entries, 64 MB uncompressed (checked before inflating), no unsafe paths. All-or-nothing.",
  middleware: limitRequestBody(MAX_AGENT_BUNDLE_BYTES + 64 * 1024),
  request: { params: HarnessIdParam, body: { required: true, content: { "multipart/form-data": { schema: ImportForm } } } },
  responses: {
    201: jsonContent(ImportResponse, "The imported agents"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "agent_exists",
      "payload_too_large",
      "invalid_package",
      "unsupported_media_type",
      "capability_not_supported",
    ),
  },
});

export const list = operationRoute("agents.list", {
  tags,
  summary: "List agents",
  request: { params: HarnessIdParam, query: ListAgentsQuery },
  responses: { 200: jsonContent(AgentPage, "A page of agents"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const get = operationRoute("agents.get", {
  tags,
  summary: "Get an agent",
  request: { params: AgentParams },
  responses: { 200: jsonContent(AgentEnvelope, "The agent"), ...problemResponses(...AUTH_ERRORS, "harness_not_found", "agent_not_found") },
});
