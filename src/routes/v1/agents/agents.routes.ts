import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import { z } from "@hono/zod-openapi";
import {
  AgentEnvelope,
  AgentPage,
  AgentParams,
  CloneAgentBody,
  CreateAgentForm,
  CreateAgentJson,
  CreateAgentResponse,
  ExportQuery,
  ImportForm,
  ImportResponse,
  ListAgentsQuery,
  UpdateAgentBody,
} from "./agents.schemas.ts";
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

export const create = operationRoute("agents.create", {
  tags,
  summary: "Create an agent",
  description:
    "Multipart: `files` parts named by relative path with AGENTS.md at the root, and a `metadata` JSON part {name, description} overriding the front matter's. The files become the agent's package; its skills are registered like an import's. Or JSON (the reference client's CreateAgentRequest) for an agent without a package. Name and vendorKey/agentKey are unique on the harness; ≤ 50 MB.",
  middleware: limitRequestBody(MAX_AGENT_BUNDLE_BYTES + 64 * 1024),
  request: {
    params: HarnessIdParam,
    body: {
      required: false,
      content: { "multipart/form-data": { schema: CreateAgentForm }, "application/json": { schema: CreateAgentJson } },
    },
  },
  responses: {
    201: jsonContent(CreateAgentResponse, "The created agent"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "agent_exists",
      "payload_too_large",
      "invalid_package",
      "invalid_skill",
      "skill_not_found",
      "harness_read_only",
      "unsupported_media_type",
      "capability_not_supported",
    ),
  },
});

export const update = operationRoute("agents.update", {
  tags,
  summary: "Update an agent's configuration",
  description:
    "Name, description, instructions, version, tags, config (partial; null clears), and — replacing — skills and MCP server references. No new package.",
  request: { params: AgentParams, body: { required: true, content: { "application/json": { schema: UpdateAgentBody } } } },
  responses: {
    200: jsonContent(AgentEnvelope, "The agent"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "agent_not_found",
      "agent_exists",
      "skill_not_found",
      "skill_version_not_found",
      "harness_read_only",
      "capability_not_supported",
    ),
  },
});

export const remove = operationRoute("agents.delete", {
  tags,
  summary: "Delete an agent",
  description:
    "409 agent_busy while it has sessions not ended or executions running. Deletes the skills its package brought, its links to harness skills (not those skills), its memory, and its package unless shared.",
  request: { params: AgentParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "agent_not_found",
      "agent_busy",
      "harness_read_only",
      "capability_not_supported",
    ),
  },
});

export const clone = operationRoute("agents.clone", {
  tags,
  summary: "Clone an agent",
  description:
    "A copy under a new name (agentKey/slug derived from it); its own skills are copied with their history, nothing changeable is shared.",
  request: { params: AgentParams, body: { required: true, content: { "application/json": { schema: CloneAgentBody } } } },
  responses: {
    201: jsonContent(AgentEnvelope, "The clone"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "agent_not_found",
      "agent_exists",
      "harness_read_only",
      "capability_not_supported",
    ),
  },
});

export const exportAgent = operationRoute("agents.export", {
  tags,
  summary: "Export an agent as an Open Agent Format package",
  description:
    "A zip: the agent's folder (AGENTS.md with full front matter, skills/ at their versions in force, mcp-configs/, other files) and PACKAGE.yaml. Original files are exported byte for byte unless the agent changed what they say. `Content-Disposition` filename `{agentKey}.zip`.",
  request: { params: AgentParams, query: ExportQuery },
  responses: {
    200: {
      description: "The package",
      content: { "application/zip": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
    },
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "agent_not_found", "capability_not_supported", "upstream_unavailable"),
  },
});
