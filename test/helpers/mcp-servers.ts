/**
 * Real MCP servers for the test suite (started in `global-setup.ts`), built with the official SDKs and
 * speaking the real protocol over HTTP on loopback ports:
 *
 *   /modern/mcp        v2 SDK `createMcpHandler` (Streamable HTTP, stateless): protocol 2026-07-28, and
 *                      the 2025 revisions for older clients. Tools: echo, add, image, resource, fail, slow,
 *                      enable_extra (registers `extra` and sends notifications/tools/list_changed), extra
 *                      (once enabled), crash (calling it drops the connection mid-call);
 *                      a resource `memo://readme`; a prompt `greet`.
 *   /legacy/mcp        v1 SDK Streamable HTTP (stateless, protocol 2025-11-25): the recipe server of the
 *                      recipe-finder package — recipes.search, recipes.get, recipes.random, recipes.create,
 *                      recipes.delete, admin.reset.
 *   /sse, /messages    v1 SDK HTTP+SSE transport (protocol 2024-11-05 style): tools echo, add.
 *   /bearer/mcp        like /legacy/mcp, but only with `Authorization: Bearer test-bearer-token` or
 *                      `X-API-Key: test-api-key` (else 401).
 *   /hang/mcp          accepts the request and never answers (health checks must still answer in time).
 *   /__state           GET: calls seen per tool; DELETE: reset (the `extra` tool disabled again).
 *
 * A second server (`startOAuthMcpServer`) is an OAuth-protected MCP server with its own authorization
 * server (v1 SDK `mcpAuthRouter` + `requireBearerAuth`): RFC 9728 metadata, dynamic client registration,
 * PKCE, the `resource` parameter checked, short-lived access tokens and rotating refresh tokens. Its
 * `authorize` approves at once (the "person" is the test following the redirect).
 */
import { McpServer as ServerV2, createMcpHandler } from "@modelcontextprotocol/server";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from "@modelcontextprotocol/sdk/server/auth/router.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import type { OAuthServerProvider, AuthorizationParams } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import type { OAuthRegisteredClientsStore } from "@modelcontextprotocol/sdk/server/auth/clients.js";
import type { OAuthClientInformationFull, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { InvalidTokenError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import express from "express";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

/** A 1×1 transparent PNG. */
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

export const TEST_BEARER_TOKEN = "test-bearer-token";
export const TEST_API_KEY = "test-api-key";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Shared state of the servers (what was called, whether `extra` is enabled). */
const state = { calls: {} as Record<string, number>, extraEnabled: false };
const count = (tool: string) => (state.calls[tool] = (state.calls[tool] ?? 0) + 1);

/** The v2 server (protocol 2026-07-28 and the 2025 revisions). */
function modernServer(): ServerV2 {
  const server = new ServerV2({ name: "modern-test", version: "2.0.0" }, { capabilities: { tools: { listChanged: true } } });
  server.registerTool("echo", { description: "Echo the text back.", inputSchema: z.object({ text: z.string() }) }, ({ text }) => {
    count("echo");
    return { content: [{ type: "text", text: `echo: ${text}` }] };
  });
  server.registerTool(
    "add",
    {
      description: "Add two numbers.",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
    },
    ({ a, b }) => {
      count("add");
      return { content: [{ type: "text", text: String(a + b) }], structuredContent: { sum: a + b } };
    },
  );
  server.registerTool("image", { description: "A tiny image.", inputSchema: z.object({}) }, () => {
    count("image");
    return { content: [{ type: "image", data: PNG_1X1, mimeType: "image/png" }] };
  });
  server.registerTool("resource", { description: "An embedded resource and a link.", inputSchema: z.object({}) }, () => {
    count("resource");
    return {
      content: [
        { type: "resource", resource: { uri: "memo://readme", mimeType: "text/markdown", text: "# Readme\nHello from a resource." } },
        { type: "resource_link", uri: "memo://other", name: "other", mimeType: "text/plain" },
      ],
    };
  });
  server.registerTool("fail", { description: "Always fails (a tool-level error).", inputSchema: z.object({}) }, () => {
    count("fail");
    return { isError: true, content: [{ type: "text", text: "the fail tool failed, as asked" }] };
  });
  server.registerTool("slow", { description: "Waits `ms` milliseconds.", inputSchema: z.object({ ms: z.number() }) }, async ({ ms }) => {
    count("slow");
    await new Promise((r) => setTimeout(r, ms));
    return { content: [{ type: "text", text: `waited ${ms} ms` }] };
  });
  server.registerTool("crash", { description: "The server goes away during this call.", inputSchema: z.object({}) }, () => ({
    content: [{ type: "text", text: "never sent: the HTTP layer drops the connection first" }],
  }));
  server.registerTool("enable_extra", { description: "Adds the `extra` tool.", inputSchema: z.object({}) }, async (_args, ctx) => {
    count("enable_extra");
    state.extraEnabled = true;
    await ctx.mcpReq.notify({ method: "notifications/tools/list_changed" });
    return { content: [{ type: "text", text: "extra enabled" }] };
  });
  if (state.extraEnabled) {
    server.registerTool("extra", { description: "Appears after enable_extra.", inputSchema: z.object({}) }, () => ({
      content: [{ type: "text", text: "extra" }],
    }));
  }
  server.registerResource("readme", "memo://readme", { mimeType: "text/markdown", description: "The readme." }, async () => ({
    contents: [{ uri: "memo://readme", text: "# Readme" }],
  }));
  server.registerPrompt(
    "greet",
    { description: "Greets someone.", argsSchema: z.object({ name: z.string().describe("Who to greet") }) },
    ({ name }) => ({ messages: [{ role: "user", content: { type: "text", text: `Say hello to ${name}` } }] }),
  );
  return server;
}

/** The v1 recipe server (protocol 2025-11-25), as the recipe-finder package describes it. */
function recipeServer(): McpServer {
  const server = new McpServer({ name: "recipe-api", version: "1.0.0" });
  const recipes = [
    { id: "r1", title: "Vegetable curry", vegetarian: true },
    { id: "r2", title: "Lentil soup", vegetarian: true },
    { id: "r3", title: "Roast chicken", vegetarian: false },
  ];
  server.registerTool("recipes.search", { description: "Search recipes.", inputSchema: { query: z.string() } }, ({ query }) => {
    count("recipes.search");
    const found = recipes.filter((r) => r.title.toLowerCase().includes(query.toLowerCase()) || (query === "vegetarian" && r.vegetarian));
    return { content: [{ type: "text", text: JSON.stringify(found) }] };
  });
  server.registerTool("recipes.get", { description: "Get a recipe.", inputSchema: { id: z.string() } }, ({ id }) => {
    count("recipes.get");
    return { content: [{ type: "text", text: JSON.stringify(recipes.find((r) => r.id === id) ?? null) }] };
  });
  server.registerTool("recipes.random", { description: "A random recipe.", inputSchema: {} }, () => {
    count("recipes.random");
    return { content: [{ type: "text", text: JSON.stringify(recipes[0]) }] };
  });
  for (const name of ["recipes.create", "recipes.delete", "admin.reset"]) {
    server.registerTool(name, { description: `${name} (disabled by the package).`, inputSchema: {} }, () => {
      count(name);
      return { content: [{ type: "text", text: `${name} ran` }] };
    });
  }
  return server;
}

/** The v1 server behind the HTTP+SSE transport. */
function sseServer(): McpServer {
  const server = new McpServer({ name: "sse-test", version: "1.0.0" });
  server.registerTool("echo", { description: "Echo over SSE.", inputSchema: { text: z.string() } }, ({ text }) => {
    count("sse.echo");
    return { content: [{ type: "text", text: `sse echo: ${text}` }] };
  });
  server.registerTool("add", { description: "Add over SSE.", inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
  }));
  return server;
}

/** Serves a v1 server statelessly over Streamable HTTP for one request. */
async function serveStateless(build: () => McpServer, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST" }).end();
    return;
  }
  const server = build();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body.length ? JSON.parse(body.toString("utf8")) : undefined);
}

/** Serves the v2 handler (Web Request/Response) from Node. */
async function serveModern(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const handler = createMcpHandler(() => modernServer());
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers,
    ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
  });
  const response = await handler.fetch(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

/** Starts the plain MCP test servers on one loopback port. */
export async function startMcpServers(): Promise<{ port: number; close: () => Promise<void> }> {
  const sseTransports = new Map<string, SSEServerTransport>();
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/__state") {
        if (req.method === "DELETE") {
          state.calls = {};
          state.extraEnabled = false;
          res.writeHead(204).end();
        } else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state));
        return;
      }
      if (url.pathname === "/sse" && req.method === "GET") {
        const transport = new SSEServerTransport("/messages", res);
        sseTransports.set(transport.sessionId, transport);
        res.on("close", () => sseTransports.delete(transport.sessionId));
        await sseServer().connect(transport);
        return;
      }
      if (url.pathname === "/messages" && req.method === "POST") {
        const transport = sseTransports.get(url.searchParams.get("sessionId") ?? "");
        if (!transport) {
          res.writeHead(404).end("unknown session");
          return;
        }
        const body = await readBody(req);
        await transport.handlePostMessage(req, res, JSON.parse(body.toString("utf8")));
        return;
      }
      if (url.pathname === "/hang/mcp") {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return; // never answers
      }
      const body = await readBody(req);
      if (url.pathname === "/modern/mcp") {
        // `crash`: the server goes away in the middle of the call (the socket is destroyed unanswered).
        if (body.includes('"crash"') && /"tools\/call"/.test(body.toString("utf8"))) {
          count("crash");
          req.socket.destroy();
          return;
        }
        return await serveModern(req, res, body);
      }
      if (url.pathname === "/legacy/mcp") return await serveStateless(recipeServer, req, res, body);
      if (url.pathname === "/bearer/mcp") {
        const ok = req.headers.authorization === `Bearer ${TEST_BEARER_TOKEN}` || req.headers["x-api-key"] === TEST_API_KEY;
        if (!ok) {
          res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "unauthorized" }));
          return;
        }
        return await serveStateless(recipeServer, req, res, body);
      }
      res.writeHead(404).end();
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const r of hanging) r.destroy();
        for (const t of sseTransports.values()) void t.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// OAuth-protected MCP server

/** Lifetime of the test authorization server's access tokens, in seconds (short, so refresh is exercised). */
export const OAUTH_ACCESS_TOKEN_SECONDS = 3600;

/** What the OAuth test server saw (read by tests at `GET /__oauth`). */
interface OauthStats {
  registrations: number;
  authorizations: { resource?: string; codeChallengeMethod?: string; redirectUri: string }[];
  tokenExchanges: number;
  refreshes: number;
}

class MemoryClients implements OAuthRegisteredClientsStore {
  readonly clients = new Map<string, OAuthClientInformationFull>();
  constructor(private readonly stats: OauthStats) {}
  getClient(id: string) {
    return this.clients.get(id);
  }
  registerClient(client: OAuthClientInformationFull) {
    this.stats.registrations++;
    this.clients.set(client.client_id, client);
    return client;
  }
}

/** An authorization server that approves every authorization request at once. */
class AutoApproveProvider implements OAuthServerProvider {
  readonly clientsStore: MemoryClients;
  private readonly codes = new Map<string, { clientId: string; params: AuthorizationParams }>();
  private readonly access = new Map<string, { clientId: string; scopes: string[]; expiresAt: number; resource?: URL }>();
  private readonly refresh = new Map<string, { clientId: string; scopes: string[]; resource?: URL }>();

  constructor(
    private readonly stats: OauthStats,
    private readonly resource: URL,
  ) {
    this.clientsStore = new MemoryClients(stats);
  }

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: any): Promise<void> {
    this.stats.authorizations.push({
      ...(params.resource ? { resource: params.resource.href } : {}),
      codeChallengeMethod: "S256",
      redirectUri: params.redirectUri,
    });
    const code = randomUUID();
    this.codes.set(code, { clientId: client.client_id, params });
    const target = new URL(params.redirectUri);
    target.searchParams.set("code", code);
    if (params.state) target.searchParams.set("state", params.state);
    res.redirect(target.href);
  }

  async challengeForAuthorizationCode(_client: OAuthClientInformationFull, code: string): Promise<string> {
    const entry = this.codes.get(code);
    if (!entry) throw new Error("unknown code");
    return entry.params.codeChallenge;
  }

  private issue(clientId: string, scopes: string[], resource?: URL): OAuthTokens {
    const accessToken = randomUUID();
    const refreshToken = randomUUID();
    this.access.set(accessToken, {
      clientId,
      scopes,
      expiresAt: Date.now() + OAUTH_ACCESS_TOKEN_SECONDS * 1000,
      ...(resource ? { resource } : {}),
    });
    this.refresh.set(refreshToken, { clientId, scopes, ...(resource ? { resource } : {}) });
    return {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: OAUTH_ACCESS_TOKEN_SECONDS,
      refresh_token: refreshToken,
      scope: scopes.join(" "),
    };
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
    _verifier?: string,
    _redirect?: string,
    resource?: URL,
  ) {
    const entry = this.codes.get(code);
    if (!entry || entry.clientId !== client.client_id) throw new Error("invalid code");
    this.codes.delete(code);
    if ((resource ?? entry.params.resource)?.href !== this.resource.href) throw new Error(`invalid resource ${resource?.href}`);
    this.stats.tokenExchanges++;
    return this.issue(client.client_id, entry.params.scopes ?? [], this.resource);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string) {
    const entry = this.refresh.get(refreshToken);
    if (!entry || entry.clientId !== client.client_id) throw new Error("invalid refresh token");
    this.refresh.delete(refreshToken); // rotation
    this.stats.refreshes++;
    return this.issue(client.client_id, entry.scopes, entry.resource);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const entry = this.access.get(token);
    if (!entry || entry.expiresAt < Date.now()) throw new InvalidTokenError("invalid or expired token");
    return {
      token,
      clientId: entry.clientId,
      scopes: entry.scopes,
      expiresAt: Math.floor(entry.expiresAt / 1000),
      ...(entry.resource ? { resource: entry.resource } : {}),
    };
  }

  /** Expires every access token (as if time had passed): the next call must refresh. */
  expireAll(): void {
    for (const entry of this.access.values()) entry.expiresAt = 0;
  }
}

/** Starts the OAuth-protected MCP server: its authorization server and `/mcp` on one loopback port. */
export async function startOAuthMcpServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = express();
  const http = createServer(app);
  const port = await listen(http);
  const base = new URL(`http://127.0.0.1:${port}`);
  const mcpUrl = new URL("/mcp", base);
  const stats: OauthStats = { registrations: 0, authorizations: [], tokenExchanges: 0, refreshes: 0 };
  const provider = new AutoApproveProvider(stats, mcpUrl);
  app.get("/__oauth", (_req: any, res: any) => void res.json(stats));
  app.post("/__oauth/expire", (_req: any, res: any) => {
    provider.expireAll();
    res.status(204).end();
  });
  app.use(mcpAuthRouter({ provider, issuerUrl: base, resourceServerUrl: mcpUrl, scopesSupported: ["mcp:tools"] }));
  app.post(
    "/mcp",
    requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) }),
    express.json(),
    (req: any, res: any, next: (error: unknown) => void) => void serveOauthMcp(req, res).catch(next),
  );
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** The OAuth-protected server's MCP endpoint (behind `requireBearerAuth`): one tool, `whoami`. */
async function serveOauthMcp(req: any, res: any): Promise<void> {
  const server = new McpServer({ name: "oauth-test", version: "1.0.0" });
  server.registerTool("whoami", { description: "Who the token belongs to.", inputSchema: {} }, (_args, extra) => ({
    content: [{ type: "text", text: `client ${extra.authInfo?.clientId}` }],
  }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
}
