/**
 * The OAuth client side of one MCP connection (MCP authorization spec, 2025-06-18 and later): the
 * official SDK's `auth()` drives the flow — discovery from the 401's `WWW-Authenticate`
 * (RFC 9728 protected-resource metadata, RFC 8414 / OIDC authorization-server metadata), dynamic client
 * registration (RFC 7591), PKCE S256, the `resource` indicator (RFC 8707), token refresh — and this
 * provider keeps what it learns in the connection's D1 row, sealed (AES-GCM, associated data
 * `mcp:<id>:oauth`). It never opens a browser: `redirectToAuthorization` records the URL a person opens;
 * the product's callback (`GET /api/mcp-client/oauth/callback`) finishes the exchange.
 */
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";
import { eq } from "drizzle-orm";
import { mcpConnections } from "../../db/schema.ts";
import { importAesKey, openString, randomToken, sealString, sha256Hex } from "../../lib/crypto.ts";
import { nowIso } from "../../lib/time.ts";
import type { ServiceContext } from "../context.ts";
import type { McpConnectionRow } from "./rows.ts";

/** Path of the redirect URI every MCP OAuth client of this deployment registers. */
export const MCP_OAUTH_CALLBACK_PATH = "/api/mcp-client/oauth/callback";

/** What is sealed in `sealed_oauth`. */
export interface OauthStateJson {
  client?: StoredOAuthClientInformation;
  tokens?: StoredOAuthTokens;
  verifier?: string;
  discovery?: OAuthDiscoveryState;
  /** The redirect URI the client registered with (the deployment's origin at the time). */
  redirectUri?: string;
}

/** Associated data of a connection's sealed OAuth state (binds it to the row). */
export function oauthAad(connectionId: string): string {
  return `mcp:${connectionId}:oauth`;
}

/** Reads a connection's sealed OAuth state (empty when none). */
export async function readOauthState(ctx: ServiceContext, row: McpConnectionRow): Promise<OauthStateJson> {
  if (!row.sealedOauth || !ctx.config.credentialsEncryptionKey) return {};
  const key = await importAesKey(ctx.config.credentialsEncryptionKey);
  return JSON.parse(await openString(key, row.sealedOauth, oauthAad(row.id))) as OauthStateJson;
}

/**
 * An {@link OAuthClientProvider} over a connection row. Every save is written through at once (a
 * refresh token rotates: losing the new one would mean asking the person again).
 */
export class ConnectionOAuthProvider implements OAuthClientProvider {
  /** The authorization URL the SDK asked to send a person to, if it did. */
  authorizationUrl: URL | undefined;
  private pendingState: string | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly row: McpConnectionRow,
    private readonly stored: OauthStateJson,
    private readonly clientName: string,
  ) {
    this.stored.redirectUri ??= `${ctx.origin}${MCP_OAUTH_CALLBACK_PATH}`;
  }

  get redirectUrl(): string {
    return this.stored.redirectUri!;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  state(): string {
    this.pendingState = randomToken(24);
    return this.pendingState;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.stored.client;
  }

  async saveClientInformation(client: StoredOAuthClientInformation): Promise<void> {
    this.stored.client = client;
    await this.persist();
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.stored.tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    this.stored.tokens = tokens;
    delete this.stored.verifier;
    await this.persist({ authorizationUrl: null, oauthStateHash: null });
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrl = url;
    const stateHash = this.pendingState ? await sha256Hex(this.pendingState) : null;
    await this.persist({ authorizationUrl: url.href, oauthStateHash: stateHash, status: "authenticating", lastError: null });
  }

  async saveCodeVerifier(verifier: string): Promise<void> {
    this.stored.verifier = verifier;
    await this.persist();
  }

  codeVerifier(): string {
    if (!this.stored.verifier) throw new Error("no authorization is in progress for this connection (no PKCE verifier)");
    return this.stored.verifier;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.stored.discovery;
  }

  async saveDiscoveryState(discovery: OAuthDiscoveryState): Promise<void> {
    this.stored.discovery = discovery;
    await this.persist();
  }

  async invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): Promise<void> {
    if (scope === "all" || scope === "client") delete this.stored.client;
    if (scope === "all" || scope === "tokens") delete this.stored.tokens;
    if (scope === "all" || scope === "verifier") delete this.stored.verifier;
    if (scope === "all" || scope === "discovery") delete this.stored.discovery;
    await this.persist();
  }

  /** Seals the state into the row, with any column updates that go with it. */
  private async persist(columns: Partial<McpConnectionRow> = {}): Promise<void> {
    const key = await importAesKey(this.ctx.config.credentialsEncryptionKey!);
    const sealed = await sealString(key, JSON.stringify(this.stored), oauthAad(this.row.id));
    await this.ctx.db
      .update(mcpConnections)
      .set({ ...columns, sealedOauth: sealed, updatedAt: nowIso() })
      .where(eq(mcpConnections.id, this.row.id));
  }
}
