/**
 * The MCP surface: the server at `/api/mcp` and its RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource/api/mcp` (and the root form). A plain hono router: MCP is
 * JSON-RPC, not part of the OpenAPI document.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { ApiError } from "../../errors/api-error.ts";
import { problemResponse } from "../../errors/problem.ts";
import { requireMcpPrincipal, validateHostAndOrigin } from "./mcp.guard.ts";
import { serveMcp } from "./mcp.server.ts";
import { MCP_PATH, MCP_RESOURCE_METADATA_PATH, protectedResourceMetadata, ROOT_RESOURCE_METADATA_PATH } from "./protected-resource.ts";

/** Routes of the MCP surface, mounted at the root. */
export const mcpRouter = new Hono<AppEnv>();

mcpRouter.get(MCP_RESOURCE_METADATA_PATH, protectedResourceMetadata);
mcpRouter.get(ROOT_RESOURCE_METADATA_PATH, protectedResourceMetadata);

mcpRouter.use(MCP_PATH, validateHostAndOrigin, requireMcpPrincipal);
mcpRouter.all(MCP_PATH, (c) => {
  if (c.req.method === "POST") return serveMcp(c);
  // Streamable HTTP, stateless: no server-initiated SSE stream (GET) and no session to end (DELETE).
  const error = new ApiError(
    "method_not_allowed",
    `${c.req.method} is not allowed on ${MCP_PATH}; this stateless MCP server answers POST only.`,
    {
      details: { allowed_methods: ["POST"] },
      actions: [
        { rel: "fix-input", hint: "Send JSON-RPC messages with POST; there is no standalone SSE stream and no session to delete." },
      ],
    },
  );
  const response = problemResponse(error, MCP_PATH, c.get("requestId"));
  response.headers.set("allow", "POST");
  return response;
});
