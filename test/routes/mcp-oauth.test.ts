/**
 * The MCP SDK client (`@modelcontextprotocol/sdk` 1.x) with its OAuth client provider, from a 401 to a
 * tool call, against the Worker's real HTTP surface: the SDK reads the challenge, follows RFC 9728 to
 * the protected-resource metadata, reads the RFC 8414 metadata, registers itself (RFC 7591), sends a
 * person to the authorization endpoint (PKCE S256, RFC 8707 `resource`), exchanges the code, reconnects
 * and calls tools. The person is the Browser helper (sign-in + consent pages); everything else is the
 * SDK's own code. Then an expired access token makes the SDK refresh, which rotates the refresh token.
 */
import { auth, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { env, SELF } from "cloudflare:test";
import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signingKey } from "../../src/auth/signing-keys.ts";
import { getConfig } from "../../src/config.ts";
import { createDb } from "../../src/db/index.ts";
import { ORIGIN } from "../helpers/api.ts";
import { Browser } from "../helpers/browser.ts";
import { newUser, type TestUser } from "../helpers/identity.ts";

const MCP_URL = `${ORIGIN}/api/mcp`;
const METADATA_PATH = "/.well-known/oauth-protected-resource/api/mcp";
/** A native client's loopback callback (RFC 8252 §7.3), as desktop MCP clients register. */
const REDIRECT_URI = "http://127.0.0.1:33418/callback";
const CHALLENGE_SCOPE = "openid profile email offline_access assistant";

/** One HTTP exchange the SDK made (the Browser's requests are not recorded: they are the person's). */
interface Exchange {
  method: string;
  path: string;
  status: number;
  /** The JSON-RPC method of a POST to /api/mcp. */
  rpc?: string;
  /** The request body of a POST (form or JSON). */
  body?: string;
  authorization: string | null;
}

/** The SDK's `fetch`: routed to the Worker, every exchange recorded. */
function recordingFetch(log: Exchange[]) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const body = request.method === "POST" ? new TextDecoder().decode(await request.clone().arrayBuffer()) : undefined;
    const response = await SELF.fetch(request);
    const path = new URL(request.url).pathname;
    let rpc: string | undefined;
    if (path === "/api/mcp" && body) rpc = (JSON.parse(body) as { method?: string }).method;
    log.push({
      method: request.method,
      path,
      status: response.status,
      authorization: request.headers.get("authorization"),
      ...(rpc ? { rpc } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    return response;
  };
}

/**
 * An in-memory OAuth client provider: what a desktop MCP client keeps per server (its registration,
 * tokens, the PKCE verifier). `redirectToAuthorization` hands the URL to a person (the Browser helper),
 * who signs in and approves; the callback URL they end on is kept for the test to finish the flow.
 */
class InMemoryOAuthProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier: string | undefined;
  readonly stateValue = crypto.randomUUID();
  readonly authorizationUrls: URL[] = [];
  readonly callbacks: URL[] = [];
  readonly invalidated: string[] = [];

  constructor(private readonly person: TestUser) {}

  get redirectUrl(): string {
    return REDIRECT_URI;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "MCP SDK test client",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  state(): string {
    return this.stateValue;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.client = information;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error("no PKCE verifier was saved");
    return this.verifier;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.authorizationUrls.push(authorizationUrl);
    const { location, response } = await new Browser().authorize(authorizationUrl.href, this.person);
    if (!location) throw new Error(`the sign-in and consent pages ended on HTTP ${response.status}, not a redirect`);
    this.callbacks.push(new URL(location));
  }

  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): void {
    this.invalidated.push(scope);
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all" || scope === "client") this.client = undefined;
    if (scope === "all" || scope === "verifier") this.verifier = undefined;
  }
}

/** `"METHOD path → status"` lines, with the JSON-RPC method for MCP posts; the SSE probe (GET /api/mcp) left out. */
function steps(log: Exchange[]): string[] {
  return log
    .filter((e) => !(e.method === "GET" && e.path === "/api/mcp"))
    .map((e) => `${e.method} ${e.path}${e.rpc ? ` ${e.rpc}` : ""} → ${e.status}`);
}

function form(exchange: Exchange | undefined): URLSearchParams {
  return new URLSearchParams(exchange?.body ?? "");
}

/** The same access token, re-signed with the real key but expired an hour ago (as if the client slept). */
async function expiredCopy(accessToken: string): Promise<string> {
  const { kid, privateKey } = await signingKey(createDb(env.DB), getConfig(env));
  const past = Math.floor(Date.now() / 1000) - 7200;
  return new SignJWT({ ...decodeJwt(accessToken), iat: past, exp: past + 3600 })
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
    .sign(privateKey);
}

describe("MCP SDK client with its OAuth client provider", () => {
  it("goes from a 401 to a tool call: discovery, registration, consent, PKCE, token, reconnect; then refreshes with rotation", async () => {
    const person = await newUser("Katherine Johnson");
    const provider = new InMemoryOAuthProvider(person);
    const log: Exchange[] = [];
    const fetch = recordingFetch(log);

    // 1. Connect without a token: 401 → the SDK discovers, registers and sends the person to consent.
    const first = new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider, fetch });
    await expect(new Client({ name: "edgeharness-oauth-test", version: "1.0.0" }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(steps(log)).toEqual([
      "POST /api/mcp initialize → 401",
      `GET ${METADATA_PATH} → 200`,
      "GET /.well-known/oauth-authorization-server → 200",
      "POST /api/auth/oauth2/register → 201",
    ]);
    expect(log[0]!.authorization).toBeNull();

    // What it registered: a public client with our loopback callback, asking for the challenge's scope.
    const registration = JSON.parse(log[3]!.body!) as Record<string, unknown>;
    expect(registration).toMatchObject({
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      scope: CHALLENGE_SCOPE,
    });
    const clientId = provider.client?.client_id;
    expect(clientId).toMatch(/^client_/);

    // Where it sent the person: PKCE S256, resource = the MCP server, the challenge's scope, our state.
    expect(provider.authorizationUrls).toHaveLength(1);
    const authorize = provider.authorizationUrls[0]!;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${ORIGIN}/api/auth/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge_method: "S256",
      resource: MCP_URL,
      scope: CHALLENGE_SCOPE,
      state: provider.stateValue,
    });
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The person signed in and approved; the server came back to the loopback callback with code, state, iss.
    expect(provider.callbacks).toHaveLength(1);
    const callback = provider.callbacks[0]!;
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(provider.stateValue);
    expect(callback.searchParams.get("iss")).toBe(ORIGIN);
    const code = callback.searchParams.get("code")!;
    expect(code).toBeTruthy();

    // 2. Finish: the SDK exchanges the code (with the PKCE verifier and the resource) for tokens.
    log.length = 0;
    await first.finishAuth(code);
    expect(steps(log)).toEqual([
      `GET ${METADATA_PATH} → 200`,
      "GET /.well-known/oauth-authorization-server → 200",
      "POST /api/auth/oauth2/token → 200",
    ]);
    expect(Object.fromEntries(form(log[2]))).toMatchObject({
      grant_type: "authorization_code",
      code,
      code_verifier: provider.verifier,
      redirect_uri: REDIRECT_URI,
      resource: MCP_URL,
      client_id: clientId,
    });
    expect(form(log[2]).has("client_secret")).toBe(false);
    const tokens = provider.saved!;
    expect(tokens).toMatchObject({ token_type: "Bearer", scope: CHALLENGE_SCOPE });
    expect(tokens.refresh_token).toBeTruthy();
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: ORIGIN,
      aud: MCP_URL,
      sub: person.userId,
      client_id: clientId,
      org_id: person.orgId,
      scope: CHALLENGE_SCOPE,
    });

    // 3. Reconnect with the token: initialize, tools/list, get_identity as the person in their organization.
    log.length = 0;
    const client = new Client({ name: "edgeharness-oauth-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider, fetch }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "chat_with_assistant",
      "get_execution",
      "get_identity",
      "list_agents",
      "list_harnesses",
      "run_task",
    ]);
    const identity = await client.callTool({ name: "get_identity", arguments: {} });
    expect(identity.isError).toBeFalsy();
    expect(identity.structuredContent).toMatchObject({
      principal: { kind: "user", subject: person.userId, via: "oauth" },
      user: { id: person.userId, email: person.email, name: "Katherine Johnson" },
      organization: { id: person.orgId, name: "Katherine Johnson's organization" },
      client_id: clientId,
    });
    expect((identity.structuredContent as { scopes: string[] }).scopes).toContain("assistant");
    expect(steps(log)).toEqual([
      "POST /api/mcp initialize → 200",
      "POST /api/mcp notifications/initialized → 202",
      "POST /api/mcp tools/list → 200",
      "POST /api/mcp tools/call → 200",
    ]);
    for (const exchange of log) expect(exchange.authorization).toBe(`Bearer ${tokens.access_token}`);

    // 4. The access token expires: the next call gets 401 invalid_token, the SDK refreshes (rotating the
    //    refresh token) and retries the call with the new access token.
    const expired = await expiredCopy(tokens.access_token);
    provider.saved = { ...tokens, access_token: expired };
    log.length = 0;
    const again = await client.callTool({ name: "get_identity", arguments: {} });
    expect(again.isError).toBeFalsy();
    expect((again.structuredContent as { user: { id: string } }).user.id).toBe(person.userId);
    expect(steps(log)).toEqual([
      "POST /api/mcp tools/call → 401",
      `GET ${METADATA_PATH} → 200`,
      "GET /.well-known/oauth-authorization-server → 200",
      "POST /api/auth/oauth2/token → 200",
      "POST /api/mcp tools/call → 200",
    ]);
    expect(log[0]!.authorization).toBe(`Bearer ${expired}`);
    expect(Object.fromEntries(form(log[3]))).toEqual({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      resource: MCP_URL,
      client_id: clientId,
    });
    const refreshed = provider.saved!;
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(log[4]!.authorization).toBe(`Bearer ${refreshed.access_token}`);
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ aud: MCP_URL, sub: person.userId, org_id: person.orgId });

    // 5. The rotated-out refresh token is spent: presenting it again is refused and revokes the family, so
    //    the SDK's own refresh path (`auth()`) fails with invalid_grant, drops the tokens and starts over
    //    with a new authorization request.
    const reuse = await SELF.fetch(`${ORIGIN}/api/auth/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: clientId! }).toString(),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
    log.length = 0;
    expect(await auth(provider, { serverUrl: MCP_URL, fetchFn: fetch })).toBe("REDIRECT");
    expect(steps(log)).toContain("POST /api/auth/oauth2/token → 400");
    expect(form(log.find((e) => e.path === "/api/auth/oauth2/token")).get("refresh_token")).toBe(refreshed.refresh_token);
    expect(provider.invalidated).toEqual(["tokens"]);
    expect(provider.saved).toBeUndefined();
    expect(provider.authorizationUrls).toHaveLength(2);
    await client.close();
  });
});
