/**
 * What callers may say about an MCP server (mcp.connect / mcp.update bodies, a harness's `mcpServers`,
 * a package's `mcp-configs/`), normalised into the columns of a connection row.
 */
import { ApiError } from "../../errors/api-error.ts";

/** Open Harness `McpTransport` (plus `streamable-http`, as common client configs spell `http`). */
export interface McpTransportInput {
  type: "http" | "streamable-http" | "sse" | "stdio";
  url?: string;
  command?: string;
  args?: string[];
}

/** How the harness authenticates to the server. `bearer` and `api_key` become sealed headers. */
export type McpAuthInput =
  | { type: "none" }
  | { type: "bearer"; token: string }
  | { type: "api_key"; key: string; header?: string }
  | { type: "headers"; headers: Record<string, string> }
  | { type: "oauth" };

/** The row columns a spec decides. */
export interface ConnectionSpec {
  transport: "http" | "sse";
  url: string;
  authMode: "none" | "headers" | "oauth";
  headers: Record<string, string>;
}

/** Header an `api_key` is sent in when the caller names none. */
export const DEFAULT_API_KEY_HEADER = "X-API-Key";

/** Most static headers on one connection. */
export const MAX_MCP_HEADERS = 20;

/** Headers the client sets itself; a static header must not replace them. */
const RESERVED_HEADERS = new Set(["content-type", "accept", "content-length", "host", "mcp-session-id", "mcp-protocol-version"]);

/**
 * The 422 for a stdio server: Workers start no processes.
 * @param field where the transport was given (`body.transport.type`, `mcp-configs/x/config.yaml`)
 */
export function stdioRefused(field: string, operation: string): ApiError {
  return new ApiError(
    "mcp_transport_unsupported",
    `${field}: stdio MCP servers cannot run here — EdgeHarness runs on Cloudflare Workers, which start no processes. Serve the server over HTTP (Streamable HTTP, or HTTP+SSE) and connect to its URL.`,
    {
      domain: "mcp",
      operation,
      details: { field, transport: "stdio" },
      actions: [
        {
          rel: "fix-input",
          hint: 'Run the server behind an HTTP endpoint (most SDKs ship a Streamable HTTP transport; mcp-proxy wraps a stdio server) and send {"type": "http", "url": "https://…/mcp"}.',
        },
      ],
    },
  );
}

function invalid(field: string, detail: string): ApiError {
  return new ApiError("validation_error", `${field}: ${detail}`, { details: { field }, actions: [{ rel: "fix-input", hint: detail }] });
}

/** Checks static header names and values (RFC 9110 tokens; no client-owned headers). */
export function checkHeaders(headers: Record<string, string>, field: string): Record<string, string> {
  const entries = Object.entries(headers);
  if (entries.length > MAX_MCP_HEADERS) throw invalid(field, `at most ${MAX_MCP_HEADERS} headers`);
  for (const [name, value] of entries) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name)) throw invalid(`${field}.${name}`, "not a valid header name");
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid(`${field}.${name}`, "this header is set by the MCP client itself");
    if (value.length > 8192 || /[\r\n\0]/.test(value))
      throw invalid(`${field}.${name}`, "header values are one line of at most 8192 characters");
  }
  return headers;
}

/**
 * Normalises a transport and an auth choice (plus plain `headers`) into the row's columns.
 * @throws ApiError `mcp_transport_unsupported` (stdio), `validation_error`
 */
export function connectionSpec(
  input: { transport: McpTransportInput; auth?: McpAuthInput; headers?: Record<string, string> },
  operation: string,
): ConnectionSpec {
  const { transport } = input;
  if (transport.type === "stdio") throw stdioRefused("body.transport.type", operation);
  if (!transport.url) throw invalid("body.transport.url", `a ${transport.type} transport needs a url`);
  const headers = checkHeaders({ ...input.headers }, "body.headers");
  const auth = input.auth ?? { type: "none" };
  let authMode: ConnectionSpec["authMode"] = Object.keys(headers).length > 0 ? "headers" : "none";
  switch (auth.type) {
    case "bearer":
      headers.Authorization = `Bearer ${auth.token}`;
      authMode = "headers";
      break;
    case "api_key": {
      const header = auth.header ?? DEFAULT_API_KEY_HEADER;
      checkHeaders({ [header]: auth.key }, "body.auth");
      headers[header] = auth.key;
      authMode = "headers";
      break;
    }
    case "headers":
      Object.assign(headers, checkHeaders(auth.headers, "body.auth.headers"));
      authMode = "headers";
      break;
    case "oauth":
      authMode = "oauth";
      break;
    case "none":
      break;
  }
  return { transport: transport.type === "sse" ? "sse" : "http", url: transport.url, authMode, headers };
}
