/**
 * The protected resources of this deployment (RFC 8707 resource indicators, RFC 9728 resource
 * metadata) and the scopes tokens may carry.
 *
 * Resources (absolute URIs, the `aud` of access tokens):
 *   <origin>/v1               the Open Harness API
 *   <origin>/api/v1           the management API (organizations, keys, harness definitions)
 *   <origin>/api/external/v1  the one-request chat API
 *   <origin>/api/mcp          the MCP server
 *
 * Scopes: OpenID Connect `openid profile email offline_access`, plus
 *   `api`        act as the user on /v1 and /api/v1 (within their role in the chosen organization)
 *   `assistant`  talk to the assistant: /api/external/v1/chat and the MCP tools
 */
import { SCOPES } from "./scopes.ts";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
export const API_SCOPES = ["api", "assistant"] as const;
export const SUPPORTED_SCOPES: readonly string[] = [...OIDC_SCOPES, ...API_SCOPES];

/** Plain-language descriptions shown on the consent page. */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: "Confirm who you are",
  profile: "See your name",
  email: "See your email address",
  offline_access: "Stay connected when you are not using it (refresh tokens)",
  api: "Manage harnesses, agents, executions and sessions in the organization you pick",
  assistant: "Talk to the assistant and run tasks in the organization you pick",
};

/** The four resource identifiers of a deployment at `origin`. */
export function resources(origin: string) {
  return {
    openHarness: `${origin}/v1`,
    management: `${origin}/api/v1`,
    external: `${origin}/api/external/v1`,
    mcp: `${origin}/api/mcp`,
  };
}

/** True when `resource` is one of this deployment's resources. */
export function isKnownResource(origin: string, resource: string): boolean {
  return Object.values(resources(origin)).includes(resource);
}

/** The resource a request path belongs to (its expected token audience), or undefined outside them. */
export function audienceForPath(origin: string, pathname: string): string | undefined {
  const r = resources(origin);
  if (pathname === "/api/mcp" || pathname.startsWith("/api/mcp/")) return r.mcp;
  if (pathname.startsWith("/api/external/v1/") || pathname === "/api/external/v1") return r.external;
  if (pathname.startsWith("/api/v1/") || pathname === "/api/v1") return r.management;
  if (pathname.startsWith("/v1/") || pathname === "/v1") return r.openHarness;
  return undefined;
}

/** The principal scopes a token's OAuth scopes grant (API scopes expand to the resource scopes). */
export function principalScopes(tokenScope: string): string[] {
  const granted = new Set(tokenScope.split(" ").filter(Boolean));
  const out = new Set<string>(granted);
  if (granted.has("api")) for (const s of Object.values(SCOPES)) if (s !== SCOPES.assistant) out.add(s);
  if (granted.has("assistant")) {
    out.add("assistant");
    out.add(SCOPES.harnessesRead);
    out.add(SCOPES.agentsRead);
    out.add(SCOPES.executionsRead);
    out.add(SCOPES.executionsWrite);
  }
  return [...out];
}
