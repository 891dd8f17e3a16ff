/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) of the MCP server, as the MCP authorization spec
 * requires: a client that meets a 401 at `/api/mcp` follows `resource_metadata` from the challenge
 * (RFC 9728 §5.1) to this document, which names the authorization server (this deployment's origin,
 * whose RFC 8414 metadata it then reads) and the resource identifier to request tokens for (RFC 8707).
 */
import type { Context } from "hono";
import { resources } from "../../auth/resources.ts";
import type { AppEnv } from "../../context.ts";

/** Path of the MCP server. */
export const MCP_PATH = "/api/mcp";

/** RFC 9728 §3: the well-known suffix, inserted between the host and the resource's path. */
const WELL_KNOWN_PROTECTED_RESOURCE = "/.well-known/oauth-protected-resource";

/** Path-aware metadata location of the MCP server (RFC 9728 §3.1): `/.well-known/oauth-protected-resource/api/mcp`. */
export const MCP_RESOURCE_METADATA_PATH = `${WELL_KNOWN_PROTECTED_RESOURCE}${MCP_PATH}`;

/** Root metadata location, which clients of the 2025-03-26 era and some others probe first. */
export const ROOT_RESOURCE_METADATA_PATH = WELL_KNOWN_PROTECTED_RESOURCE;

/** The scope every MCP tool needs (see `auth/resources.ts`). */
export const MCP_REQUIRED_SCOPE = "assistant";

/**
 * What a client should ask for to use the MCP server: identity (OIDC), a refresh token so the connection
 * survives token expiry, and `assistant`. Sent as the 401 challenge's `scope` (RFC 6750 §3) and
 * advertised as `scopes_supported`.
 */
export const MCP_CLIENT_SCOPES = ["openid", "profile", "email", "offline_access", MCP_REQUIRED_SCOPE] as const;

/** How long clients and caches may keep the metadata document, in seconds. */
const RESOURCE_METADATA_MAX_AGE_S = 3600;

/** RFC 9728 §2 metadata of the MCP server. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}

/** The absolute URL of the MCP server's metadata document at `origin` (the `resource_metadata` of challenges). */
export function mcpResourceMetadataUrl(origin: string): string {
  return `${origin}${MCP_RESOURCE_METADATA_PATH}`;
}

/**
 * The metadata document for the deployment at `origin`. `resource` is exactly the audience the MCP
 * server accepts (`<origin>/api/mcp`); the authorization server is the deployment itself (its issuer is
 * the bare origin). Tokens are accepted only in the `Authorization` header (RFC 6750 §2.1).
 */
export function mcpResourceMetadata(origin: string): ProtectedResourceMetadata {
  return {
    resource: resources(origin).mcp,
    authorization_servers: [origin],
    scopes_supported: [...MCP_CLIENT_SCOPES],
    bearer_methods_supported: ["header"],
    resource_name: "EdgeHarness MCP server",
  };
}

/**
 * `GET` handler for both metadata locations. The root form also describes the MCP server: it is the one
 * resource here that sends RFC 9728 challenges, and clients that probe the root before the path-aware
 * location (or only the root) must still find `resource = <origin>/api/mcp`. Public, so any origin may
 * read it (browser-based MCP clients do).
 */
export function protectedResourceMetadata(c: Context<AppEnv>): Response {
  return c.json(mcpResourceMetadata(c.var.services.origin), 200, {
    "cache-control": `public, max-age=${RESOURCE_METADATA_MAX_AGE_S}`,
    "access-control-allow-origin": "*",
  });
}
