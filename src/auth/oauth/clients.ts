/**
 * OAuth clients: dynamic registration (RFC 7591), Client ID Metadata Documents (a URL `client_id`, per
 * the MCP authorization spec / draft-ietf-oauth-client-id-metadata-document), organization machine
 * clients (client_credentials), and client authentication at the token endpoint (RFC 6749 §2.3.1).
 */
import { eq } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/index.ts";
import { oauthClients } from "../../db/schema.ts";
import { randomToken, sha256Hex, timingSafeEqualString } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { checkOutboundUrl } from "../../lib/outbound-url.ts";
import { nowIso } from "../../lib/time.ts";
import { SUPPORTED_SCOPES } from "../resources.ts";
import { OAuthError } from "./errors.ts";

export type ClientRow = typeof oauthClients.$inferSelect;

/** Largest Client ID Metadata Document accepted, bytes. */
export const MAX_CIMD_BYTES = 64 * 1024;
/** Time allowed to fetch a Client ID Metadata Document, ms. */
export const CIMD_TIMEOUT_MS = 5_000;
/** Cache bounds for Client ID Metadata Documents, seconds (from `Cache-Control: max-age`). */
export const CIMD_MIN_CACHE_S = 60;
export const CIMD_MAX_CACHE_S = 24 * 60 * 60;
/** Most redirect URIs one client may register. */
export const MAX_REDIRECT_URIS = 10;

const AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"] as const;
const DCR_GRANT_TYPES = ["authorization_code", "refresh_token"];

function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "[::1]" || host === "localhost";
}

/**
 * A redirect URI is acceptable when it is absolute, has no fragment, and is https — or http on a
 * loopback host for native apps (RFC 8252 §7.3). Returns the reason when not.
 */
export function redirectUriProblem(uri: unknown): string | undefined {
  if (typeof uri !== "string" || uri.length > 2000) return "must be a string of at most 2000 characters";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "must be an absolute URL";
  }
  if (url.hash) return "must not contain a fragment";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return undefined;
  return "must use https, or http on a loopback address (127.0.0.1, [::1], localhost) for native apps";
}

/** True when the redirect URI points at the user's own machine (shown as a warning on the consent page). */
export function isLoopbackRedirect(uri: string): boolean {
  return isLoopbackHost(new URL(uri).hostname);
}

/** Registration result: what RFC 7591 §3.2.1 returns (the secret only once). */
export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  [key: string]: unknown;
}

/**
 * RFC 7591 §3: registers a client from its metadata. Public clients use `token_endpoint_auth_method:
 * none` (and must use PKCE); confidential clients get a secret (stored as SHA-256).
 * @throws OAuthError `invalid_redirect_uri` / `invalid_client_metadata` (400).
 */
export async function registerClient(db: Db, metadata: Record<string, unknown>): Promise<RegisteredClient> {
  const redirectUris = metadata.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0 || redirectUris.length > MAX_REDIRECT_URIS) {
    throw new OAuthError("invalid_redirect_uri", `redirect_uris must be a list of 1–${MAX_REDIRECT_URIS} URIs.`);
  }
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthError("invalid_redirect_uri", `redirect_uri ${String(uri).slice(0, 200)} ${problem}.`);
  }
  const method = (metadata.token_endpoint_auth_method ?? "client_secret_basic") as string;
  if (!(AUTH_METHODS as readonly string[]).includes(method)) {
    throw new OAuthError("invalid_client_metadata", `token_endpoint_auth_method must be one of ${AUTH_METHODS.join(", ")}.`);
  }
  // Default to both grants: refresh tokens are still issued only when offline_access is granted.
  const grantTypes = (metadata.grant_types ?? ["authorization_code", "refresh_token"]) as unknown;
  if (!Array.isArray(grantTypes) || grantTypes.some((g) => !DCR_GRANT_TYPES.includes(g as string))) {
    throw new OAuthError(
      "invalid_client_metadata",
      "grant_types may contain authorization_code and refresh_token; machine clients (client_credentials) are created by organization admins.",
    );
  }
  const responseTypes = (metadata.response_types ?? ["code"]) as unknown;
  if (!Array.isArray(responseTypes) || responseTypes.some((r) => r !== "code")) {
    throw new OAuthError("invalid_client_metadata", "response_types may only contain code.");
  }
  const scope = typeof metadata.scope === "string" ? metadata.scope : undefined;
  if (scope && scope.split(" ").some((s) => !SUPPORTED_SCOPES.includes(s))) {
    throw new OAuthError("invalid_client_metadata", `scope may contain: ${SUPPORTED_SCOPES.join(" ")}.`);
  }
  const name =
    typeof metadata.client_name === "string" && metadata.client_name.trim() ? metadata.client_name.trim().slice(0, 100) : "Unnamed client";
  for (const field of ["client_uri", "logo_uri", "tos_uri", "policy_uri"]) {
    const value = metadata[field];
    if (value !== undefined && (typeof value !== "string" || !value.startsWith("https://"))) {
      throw new OAuthError("invalid_client_metadata", `${field} must be an https URL.`);
    }
  }
  const clientId = newId("client");
  const secret = method === "none" ? undefined : randomToken(32);
  const issuedAt = Math.floor(Date.now() / 1000);
  const registered: Record<string, unknown> = {
    client_name: name,
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    response_types: ["code"],
    token_endpoint_auth_method: method,
    ...(scope ? { scope } : {}),
    ...Object.fromEntries(
      ["client_uri", "logo_uri", "tos_uri", "policy_uri", "contacts", "software_id", "software_version"]
        .filter((k) => metadata[k] !== undefined)
        .map((k) => [k, metadata[k]]),
    ),
  };
  await db.insert(oauthClients).values({
    id: clientId,
    kind: "dcr",
    secretHash: secret ? await sha256Hex(secret) : null,
    name,
    redirectUris: redirectUris as string[],
    grantTypes: grantTypes as string[],
    tokenEndpointAuthMethod: method,
    authMethodChosen: metadata.token_endpoint_auth_method !== undefined,
    scope: scope ?? null,
    metadata: registered,
    orgId: null,
    createdAt: nowIso(),
    expiresAt: null,
    revokedAt: null,
  });
  return {
    client_id: clientId,
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: issuedAt,
    ...registered,
  };
}

/** Creates a confidential machine client acting as `orgId`'s service principal (client_credentials). */
export async function createMachineClient(
  db: Db,
  orgId: string,
  name: string,
  scope = "api assistant",
): Promise<{ clientId: string; clientSecret: string }> {
  const clientId = newId("client");
  const clientSecret = randomToken(32);
  await db.insert(oauthClients).values({
    id: clientId,
    kind: "machine",
    secretHash: await sha256Hex(clientSecret),
    name,
    redirectUris: [],
    grantTypes: ["client_credentials"],
    tokenEndpointAuthMethod: "client_secret_basic",
    scope,
    metadata: { client_name: name, grant_types: ["client_credentials"] },
    orgId,
    createdAt: nowIso(),
    expiresAt: null,
    revokedAt: null,
  });
  return { clientId, clientSecret };
}

/** True when `clientId` is a Client ID Metadata Document URL (https with a path). */
export function isCimdClientId(clientId: string): boolean {
  try {
    const url = new URL(clientId);
    return url.protocol === "https:" && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/**
 * Resolves a client: a registered id, or a Client ID Metadata Document URL — fetched with SSRF
 * protection, a size cap and a timeout, then cached as long as its `Cache-Control` allows (bounded).
 * @throws OAuthError `invalid_client` when unknown, revoked, or the document is unusable.
 */
export async function resolveClient(db: Db, config: Config, clientId: string): Promise<ClientRow> {
  const row = await db.select().from(oauthClients).where(eq(oauthClients.id, clientId)).get();
  if (row && !row.revokedAt && (row.kind !== "cimd" || (row.expiresAt && Date.parse(row.expiresAt) > Date.now()))) return row;
  if (row?.revokedAt) throw new OAuthError("invalid_client", "This client was revoked.", 401);
  const localDocument = clientId.startsWith("http://") && config.privateHostAllowlist.has(new URL(clientId).hostname);
  if (!isCimdClientId(clientId) && !localDocument)
    throw new OAuthError("invalid_client", "Unknown client_id; register the client first.", 401);
  return fetchCimd(db, config, clientId);
}

async function fetchCimd(db: Db, config: Config, clientId: string): Promise<ClientRow> {
  const verdict = checkOutboundUrl(clientId, config.privateHostAllowlist);
  if (!verdict.ok || (verdict.url.protocol !== "https:" && !config.privateHostAllowlist.has(verdict.url.hostname))) {
    throw new OAuthError("invalid_client", `The client_id metadata URL ${verdict.ok ? "must use https" : verdict.reason}.`, 401);
  }
  let response: Response;
  try {
    response = await fetch(verdict.url, {
      headers: { accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(CIMD_TIMEOUT_MS),
    });
  } catch {
    throw new OAuthError("invalid_client", "The client_id metadata document could not be fetched.", 401);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new OAuthError("invalid_client", `The client_id metadata document answered HTTP ${response.status}.`, 401);
  }
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_CIMD_BYTES) {
    await response.body?.cancel();
    throw new OAuthError("invalid_client", "The client_id metadata document is too large.", 401);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_CIMD_BYTES) throw new OAuthError("invalid_client", "The client_id metadata document is too large.", 401);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new OAuthError("invalid_client", "The client_id metadata document is not JSON.", 401);
  }
  if (doc.client_id !== clientId) throw new OAuthError("invalid_client", "The metadata document's client_id does not match its URL.", 401);
  const method = (doc.token_endpoint_auth_method ?? "none") as string;
  if (method !== "none")
    throw new OAuthError(
      "invalid_client",
      "Client ID Metadata Document clients must use token_endpoint_auth_method none (with PKCE).",
      401,
    );
  const redirectUris = doc.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0 || redirectUris.some((u) => redirectUriProblem(u))) {
    throw new OAuthError("invalid_client", "The metadata document needs valid redirect_uris.", 401);
  }
  const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get("cache-control") ?? "")?.[1] ?? CIMD_MIN_CACHE_S);
  const ttl = Math.min(
    CIMD_MAX_CACHE_S,
    Math.max(CIMD_MIN_CACHE_S, /no-store|no-cache/.test(response.headers.get("cache-control") ?? "") ? CIMD_MIN_CACHE_S : maxAge),
  );
  const name =
    typeof doc.client_name === "string" && doc.client_name.trim() ? doc.client_name.trim().slice(0, 100) : new URL(clientId).host;
  const row: ClientRow = {
    id: clientId,
    kind: "cimd",
    secretHash: null,
    name,
    redirectUris: redirectUris as string[],
    grantTypes: ["authorization_code", "refresh_token"],
    tokenEndpointAuthMethod: "none",
    authMethodChosen: true,
    scope: typeof doc.scope === "string" ? doc.scope : null,
    metadata: doc,
    orgId: null,
    createdAt: nowIso(),
    expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
    revokedAt: null,
  };
  await db
    .insert(oauthClients)
    .values(row)
    .onConflictDoUpdate({ target: oauthClients.id, set: { ...row, id: undefined } });
  return row;
}

/** Client credentials as presented at the token, revocation or introspection endpoint. */
export interface PresentedClient {
  clientId: string | undefined;
  clientSecret: string | undefined;
  method: "client_secret_basic" | "client_secret_post" | "none";
}

/** Reads client credentials from `Authorization: Basic` (RFC 6749 §2.3.1, form-urlencoded parts) or the form. */
export function presentedClient(authorization: string | undefined, form: URLSearchParams): PresentedClient {
  if (authorization?.startsWith("Basic ")) {
    try {
      const decoded = atob(authorization.slice(6).trim());
      const sep = decoded.indexOf(":");
      return {
        clientId: decodeURIComponent(decoded.slice(0, sep).replace(/\+/g, " ")),
        clientSecret: decodeURIComponent(decoded.slice(sep + 1).replace(/\+/g, " ")),
        method: "client_secret_basic",
      };
    } catch {
      return { clientId: undefined, clientSecret: undefined, method: "client_secret_basic" };
    }
  }
  const clientSecret = form.get("client_secret") ?? undefined;
  return { clientId: form.get("client_id") ?? undefined, clientSecret, method: clientSecret ? "client_secret_post" : "none" };
}

/**
 * Authenticates the client at the token endpoint with its registered method — or, for a confidential
 * client that registered without choosing one (and machine clients), either `client_secret_basic` or
 * `client_secret_post`; secrets compared in constant time. Public clients (`none`) are identified, not
 * authenticated (PKCE protects them).
 * @throws OAuthError `invalid_client` (401).
 */
export async function authenticateClient(db: Db, config: Config, presented: PresentedClient): Promise<ClientRow> {
  if (!presented.clientId) throw new OAuthError("invalid_client", "Client authentication is required (client_id).", 401);
  const client = await resolveClient(db, config, presented.clientId);
  const registered = client.tokenEndpointAuthMethod;
  if (registered === "none") {
    if (presented.method !== "none") throw new OAuthError("invalid_client", "This public client must not send a secret.", 401);
    return client;
  }
  if (!presented.clientSecret || !client.secretHash)
    throw new OAuthError("invalid_client", "This client must authenticate with its secret.", 401);
  // A secret may travel in either place (RFC 6749 §2.3.1) for machine clients and for clients that did
  // not choose a method at registration (discovery advertises both); a chosen method is kept.
  const eitherSecretMethod = client.kind === "machine" || !client.authMethodChosen;
  const secretMethods = ["client_secret_basic", "client_secret_post"];
  if (presented.method !== registered && !(eitherSecretMethod && secretMethods.includes(presented.method))) {
    throw new OAuthError("invalid_client", `This client must authenticate with ${registered}.`, 401);
  }
  if (!timingSafeEqualString(await sha256Hex(presented.clientSecret), client.secretHash))
    throw new OAuthError("invalid_client", "Client authentication failed.", 401);
  return client;
}
