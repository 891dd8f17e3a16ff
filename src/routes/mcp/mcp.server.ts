/**
 * The MCP server, on the official v2 TypeScript SDK (`@modelcontextprotocol/server`).
 *
 * Serving: `createMcpHandler` (Streamable HTTP, stateless) answers the 2026-07-28 revision and, for
 * 2025-era clients (initialize handshake, no per-request envelope), falls back to stateless serving of
 * the 2025 revisions. A fresh `McpServer` is built for every request from the request's authenticated
 * service context, so nothing — least of all a principal — is shared between requests of an isolate.
 *
 * No code generation: the SDK's JSON Schema validator is `@cfworker/json-schema` (bundled in the SDK),
 * passed explicitly so Ajv — which compiles schemas with `new Function`, forbidden in workerd — is never
 * selected; tool arguments are validated by zod, which detects that `eval` is unavailable and runs
 * without its JIT.
 */
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";
import type { Context } from "hono";
import type { AppEnv } from "../../context.ts";
import type { AuthedContext } from "../../services/context.ts";
import { authed } from "../authed.ts";
import { registerTools } from "./mcp.tools.ts";

/** Largest JSON-RPC request body the MCP server reads, in bytes. */
export const MAX_MCP_REQUEST_BYTES = 1024 * 1024;

/** What `initialize` / `server/discover` report. */
const SERVER_INFO = { name: "edgeharness", title: "EdgeHarness", version: "0.1.0" };

const INSTRUCTIONS = [
  "EdgeHarness: an agent harness platform. Every tool acts as you, in the one organization your token was granted for.",
  "Ask chat_with_assistant anything about the organization's harnesses, agents, executions and usage.",
  "To run work yourself: list_harnesses → (optionally list_agents) → run_task; if run_task returns before the task finished, call get_execution with the execution id it gave.",
  "get_identity shows who you are acting as.",
].join("\n");

/** Builds the MCP server for one request, its tools bound to `ctx`. */
export function createMcpServer(ctx: AuthedContext): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  registerTools(server, ctx);
  return server;
}

/**
 * The request as the SDK gets it: without `Authorization`, so the client's token cannot reach a tool,
 * a log line or an outbound request (MCP authorization spec: no token passthrough).
 */
function withoutCredentials(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete("authorization");
  return new Request(request, { headers });
}

/**
 * `POST /api/mcp`: hands the JSON-RPC request to the SDK (which reads and size-checks the body itself:
 * no body validator may run before it). Runs behind `mcp.guard.ts`, so a principal is always set.
 */
export async function serveMcp(c: Context<AppEnv>): Promise<Response> {
  const ctx = authed(c);
  const handler = createMcpHandler(() => createMcpServer(ctx), {
    maxRequestBodySize: MAX_MCP_REQUEST_BYTES,
    onerror: (error) => ctx.log.warn("MCP request failed", { mcp: error.message }),
  });
  const response = await handler.fetch(withoutCredentials(c.req.raw));
  const out = new Response(response.body, response);
  out.headers.set("x-request-id", ctx.requestId);
  return out;
}
