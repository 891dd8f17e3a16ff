import type { ErrorCode } from "../../../errors/table.ts";
import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { operationRoute } from "../../operation-route.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import {
  ConnectMcpBody,
  ListMcpQuery,
  McpHealthResponse,
  McpPromptsResponse,
  McpResourcesResponse,
  McpServerEnvelope,
  McpServerPage,
  McpToolsResponse,
  RefreshQuery,
  ServerParams,
  UpdateMcpBody,
} from "./mcp-servers.schemas.ts";

const tags = ["MCP Servers"];
const listErrors = problemResponses(
  ...AUTH_ERRORS,
  "harness_not_found",
  "mcp_server_not_found",
  "mcp_server_unavailable",
  "mcp_authorization_required",
  "network_blocked",
);
/** Every change to the harness's servers: the caller may write on the harness. */
const changeErrors: ErrorCode[] = [...AUTH_ERRORS, "harness_not_found", "harness_read_only"];
/** A change to one recorded server: it must be this harness's own, made through the API. */
const ownedServerErrors: ErrorCode[] = ["mcp_server_not_found", "mcp_server_inherited", "mcp_server_managed"];
/** A server name and address to (re)connect: unique name, supported transport, allowed URL, sealable credentials. */
const reachErrors: ErrorCode[] = ["mcp_server_exists", "mcp_transport_unsupported", "network_blocked", "secrets_unavailable"];

export const list = operationRoute("mcp.list", {
  tags,
  summary: "List MCP servers",
  description:
    "The harness's MCP servers as recorded (no server is contacted): its own, its agents' (from imported packages or mcp.connect with agent_id) and those inherited from parent harnesses. `servers` repeats the page for the reference client.",
  request: { params: HarnessIdParam, query: ListMcpQuery },
  responses: { 200: jsonContent(McpServerPage, "A page of MCP servers"), ...problemResponses(...AUTH_ERRORS, "harness_not_found") },
});

export const connect = operationRoute("mcp.connect", {
  tags,
  summary: "Connect an MCP server",
  description:
    "Records the server and connects once: the answer is `connected` (with its tools, resources and prompts), `error` (with `last_error`; the server stays recorded), or `authenticating` with the `auth.authorization_url` a person opens to consent (OAuth). `stdio` is refused with 422. The URL must pass the private-address rule and the harness's network_access (422 `network_blocked` naming the rule).",
  request: { params: HarnessIdParam, body: { required: true, content: { "application/json": { schema: ConnectMcpBody } } } },
  responses: {
    201: jsonContent(McpServerEnvelope, "The server"),
    ...problemResponses(...changeErrors, "agent_not_found", ...reachErrors),
  },
});

export const get = operationRoute("mcp.get", {
  tags,
  summary: "Get an MCP server",
  request: { params: ServerParams },
  responses: {
    200: jsonContent(McpServerEnvelope, "The server"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "mcp_server_not_found"),
  },
});

export const update = operationRoute("mcp.update", {
  tags,
  summary: "Update an MCP server",
  description:
    "Name, transport, headers/auth, auto_reconnect. A new URL or new credentials reconnect at once. Servers inherited from a parent harness, or defined by the harness's mcpServers, are changed where they are defined (409).",
  request: { params: ServerParams, body: { required: true, content: { "application/json": { schema: UpdateMcpBody } } } },
  responses: {
    200: jsonContent(McpServerEnvelope, "The server"),
    ...problemResponses(...changeErrors, ...ownedServerErrors, ...reachErrors),
  },
});

export const disconnect = operationRoute("mcp.disconnect", {
  tags,
  summary: "Disconnect an MCP server",
  request: { params: ServerParams },
  responses: {
    204: { description: "Disconnected" },
    ...problemResponses(...changeErrors, ...ownedServerErrors),
  },
});

export const listTools = operationRoute("mcp.listTools", {
  tags,
  summary: "List an MCP server's tools",
  description:
    "Read live through a short cache (60 s; dropped when the server sends notifications/tools/list_changed). `?refresh=true` skips it.",
  request: { params: ServerParams, query: RefreshQuery },
  responses: { 200: jsonContent(McpToolsResponse, "The server's tools"), ...listErrors },
});

export const listResources = operationRoute("mcp.listResources", {
  tags,
  summary: "List an MCP server's resources",
  request: { params: ServerParams, query: RefreshQuery },
  responses: { 200: jsonContent(McpResourcesResponse, "The server's resources"), ...listErrors },
});

export const listPrompts = operationRoute("mcp.listPrompts", {
  tags,
  summary: "List an MCP server's prompts",
  request: { params: ServerParams, query: RefreshQuery },
  responses: { 200: jsonContent(McpPromptsResponse, "The server's prompts"), ...listErrors },
});

export const health = operationRoute("mcp.health", {
  tags,
  summary: "Check an MCP server now",
  description:
    "Connects and pings within 1.5 s: `healthy`, `degraded` (answers but needs a person's consent: `authorization_url`), or `unhealthy` with `last_error` — also when the server is down or hangs; never a 5xx. The outcome is recorded on the server's status.",
  request: { params: ServerParams },
  responses: {
    200: jsonContent(McpHealthResponse, "Health"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "mcp_server_not_found"),
  },
});
