/**
 * One exchange with an MCP server, start to end inside one invocation: Workers keep no client
 * connection between requests, so every use connects (Streamable HTTP, or the older HTTP+SSE
 * transport), does its work and closes — all under one deadline, so a server that hangs costs at most
 * the deadline. The official SDK client (`@modelcontextprotocol/client`, v2) negotiates the protocol:
 * `server/discover` for the 2026-07-28 revision, falling back to the 2025 `initialize` handshake
 * (2025-11-25 and earlier). JSON Schema validation in the SDK is `@cfworker/json-schema` (no `eval`).
 *
 * Every request the SDK makes goes through the policy `fetch` (`services/network/policy.ts`): the URL,
 * OAuth discovery and token endpoints and every redirect hop pass the SSRF rule and the network policy.
 */
import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type CallToolResult,
  type Transport,
} from "@modelcontextprotocol/client";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/client/validators/cf-worker";
import { eq } from "drizzle-orm";
import { mcpConnections, type McpCatalogJson } from "../../db/schema.ts";
import type { NetworkPolicyLayer } from "../../lib/network-policy.ts";
import { OutboundRefusedError } from "../../lib/outbound-fetch.ts";
import { nowIso } from "../../lib/time.ts";
import type { ServiceContext } from "../context.ts";
import { policyFetch } from "../network/policy.ts";
import { ConnectionOAuthProvider, readOauthState } from "./oauth-provider.ts";
import { openHeaders, type McpConnectionRow } from "./rows.ts";

/** Deadline of one exchange (connect + work + close) unless the caller gives one, in milliseconds. */
export const MCP_EXCHANGE_TIMEOUT_MS = 30_000;
/** Most tools / resources / prompts kept from one server's listing. */
export const MAX_MCP_CATALOG_ITEMS = 200;
/** Longest description kept per listed item, in characters. */
export const MAX_MCP_DESCRIPTION_CHARS = 2_000;

/** What the client calls itself (`initialize` / `server/discover`). */
const CLIENT_INFO = { name: "edgeharness", title: "EdgeHarness", version: "0.1.0" };

/** Why an exchange failed, with a stable code for problems and tool results. */
export type McpFailureCode =
  "network_blocked" | "mcp_auth_required" | "mcp_unauthorized" | "mcp_timeout" | "mcp_unreachable" | "mcp_protocol_error";

/** A failed exchange. `authorizationUrl` is set when a person must consent (OAuth). */
export class McpExchangeError extends Error {
  override readonly name = "McpExchangeError";
  readonly code: McpFailureCode;
  readonly rule?: string;
  readonly authorizationUrl?: string;

  constructor(code: McpFailureCode, message: string, extra: { rule?: string; authorizationUrl?: string } = {}) {
    super(message);
    this.code = code;
    if (extra.rule) this.rule = extra.rule;
    if (extra.authorizationUrl) this.authorizationUrl = extra.authorizationUrl;
  }
}

/** What an exchange learnt about the server besides its work's result. */
export interface ExchangeFacts {
  protocolVersion: string | undefined;
  serverInfo: { name: string; version: string; title?: string } | undefined;
  /** Lists the server said changed during the exchange (`notifications/*\/list_changed`). */
  listChanged: Set<"tools" | "resources" | "prompts">;
}

/** What one exchange needs: the row, the policy layers of the harness (or run), and its deadline. */
export interface ExchangeOptions {
  ctx: ServiceContext;
  row: McpConnectionRow;
  layers: NetworkPolicyLayer[];
  /** Whole-exchange deadline in milliseconds (default {@link MCP_EXCHANGE_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Aborts the exchange (a cancelled run). */
  signal?: AbortSignal;
  /** Client name shown on the authorization server's consent page. */
  clientName?: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Maps whatever the SDK or fetch threw to an {@link McpExchangeError}. */
function classify(error: unknown, row: McpConnectionRow, provider: ConnectionOAuthProvider | undefined): McpExchangeError {
  if (error instanceof McpExchangeError) return error;
  const cause = error instanceof Error && error.cause instanceof OutboundRefusedError ? error.cause : error;
  if (cause instanceof OutboundRefusedError) return new McpExchangeError("network_blocked", cause.message, { rule: cause.rule });
  if (provider?.authorizationUrl) {
    return new McpExchangeError("mcp_auth_required", `${row.name} needs a person to authorize this harness (OAuth).`, {
      authorizationUrl: provider.authorizationUrl.href,
    });
  }
  const text = describe(error);
  if (error instanceof UnauthorizedError || /\b401\b|unauthori[sz]ed/i.test(text)) {
    return new McpExchangeError(
      "mcp_unauthorized",
      row.authMode === "oauth"
        ? `${row.name} refused the authorization (${text}); authorize again with mcp.health.`
        : `${row.name} refused the request as unauthorized (${text}); check its headers or API key.`,
    );
  }
  if (/fetch failed|ECONNREFUSED|network connection|connect(ion)? (refused|lost|error)|Network|SseError|Failed to open SSE/i.test(text)) {
    return new McpExchangeError("mcp_unreachable", `${row.name} at ${row.url} could not be reached: ${text}`);
  }
  return new McpExchangeError("mcp_protocol_error", `${row.name} failed: ${text}`);
}

/**
 * Connects to the server of `options.row`, runs `work` with the connected client and closes, all
 * within the deadline. Records nothing itself (see {@link recordExchange}).
 * @throws McpExchangeError on any failure (refused by the policy, unauthorized, OAuth consent needed,
 *   unreachable, timed out, protocol error).
 */
export async function withMcpClient<T>(
  options: ExchangeOptions,
  work: (client: Client) => Promise<T>,
): Promise<{ value: T; facts: ExchangeFacts }> {
  const { ctx, row } = options;
  if (!URL.canParse(row.url))
    throw new McpExchangeError("mcp_unreachable", `${row.name}: ${JSON.stringify(row.url)} is not an absolute URL; set an http(s) URL.`);
  const timeoutMs = options.timeoutMs ?? MCP_EXCHANGE_TIMEOUT_MS;
  const deadline = new AbortController();
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  const headers = await openHeaders(ctx, row);
  const guarded = policyFetch(ctx, options.layers, { maxRedirects: 0, sensitiveHeaders: Object.keys(headers) });
  const fetchWithDeadline = (input: string | URL | Request, init?: RequestInit) =>
    guarded(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  const provider =
    row.authMode === "oauth"
      ? new ConnectionOAuthProvider(ctx, row, await readOauthState(ctx, row), options.clientName ?? `EdgeHarness (${row.name})`)
      : undefined;
  const url = new URL(row.url);
  const transportOptions = {
    fetch: fetchWithDeadline,
    requestInit: { headers },
    ...(provider ? { authProvider: provider } : {}),
  };
  const transport: Transport =
    row.transport === "sse" ? new SSEClientTransport(url, transportOptions) : new StreamableHTTPClientTransport(url, transportOptions);
  const facts: ExchangeFacts = { protocolVersion: undefined, serverInfo: undefined, listChanged: new Set() };
  const client = new Client(CLIENT_INFO, {
    capabilities: {},
    jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
    versionNegotiation: { mode: row.transport === "sse" ? "legacy" : "auto" },
  });
  client.setNotificationHandler("notifications/tools/list_changed", () => void facts.listChanged.add("tools"));
  client.setNotificationHandler("notifications/resources/list_changed", () => void facts.listChanged.add("resources"));
  client.setNotificationHandler("notifications/prompts/list_changed", () => void facts.listChanged.add("prompts"));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.abort(new Error("deadline"));
      reject(new McpExchangeError("mcp_timeout", `${row.name} did not answer within ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  const aborted = options.signal
    ? new Promise<never>((_, reject) => options.signal!.addEventListener("abort", () => reject(options.signal!.reason), { once: true }))
    : undefined;
  try {
    const run = (async () => {
      await client.connect(transport, { signal, timeout: timeoutMs });
      facts.protocolVersion = client.getNegotiatedProtocolVersion();
      const info = client.getServerVersion();
      if (info) facts.serverInfo = { name: info.name, version: info.version, ...(info.title ? { title: info.title } : {}) };
      return work(client);
    })();
    run.catch(() => {});
    const value = await Promise.race([run, expired, ...(aborted ? [aborted] : [])]);
    return { value, facts };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw classify(error, row, provider);
  } finally {
    clearTimeout(timer);
    // Closing may itself talk to the server (a session DELETE): never let it outlive the deadline.
    void Promise.race([client.close(), new Promise((r) => setTimeout(r, 1_000))]).catch(() => {});
  }
}

function cut(text: string | undefined): string {
  const value = text ?? "";
  return value.length > MAX_MCP_DESCRIPTION_CHARS ? `${value.slice(0, MAX_MCP_DESCRIPTION_CHARS - 1)}…` : value;
}

/** Lists what the server offers (tools always; resources and prompts when it has those capabilities). */
export async function listCatalog(client: Client): Promise<McpCatalogJson> {
  const capabilities = client.getServerCapabilities() ?? {};
  const tools = capabilities.tools ? (await client.listTools()).tools : [];
  const resources = capabilities.resources ? (await client.listResources()).resources : [];
  const prompts = capabilities.prompts ? (await client.listPrompts()).prompts : [];
  return {
    tools: tools.slice(0, MAX_MCP_CATALOG_ITEMS).map((t) => ({
      name: t.name,
      description: cut(t.description ?? t.title),
      input_schema: (t.inputSchema ?? { type: "object" }) as Record<string, unknown>,
    })),
    resources: resources.slice(0, MAX_MCP_CATALOG_ITEMS).map((r) => ({
      uri: r.uri,
      name: r.name,
      ...(r.mimeType ? { mime_type: r.mimeType } : {}),
      ...(r.description ? { description: cut(r.description) } : {}),
    })),
    prompts: prompts.slice(0, MAX_MCP_CATALOG_ITEMS).map((p) => ({
      name: p.name,
      description: cut(p.description),
      ...(p.arguments
        ? { arguments: p.arguments.map((a) => ({ name: a.name, description: cut(a.description), required: a.required ?? false })) }
        : {}),
    })),
  };
}

/**
 * Records the outcome of an exchange on the row: `connected` with what was learnt (and the new catalog,
 * when one was listed; a `list_changed` notification drops the cached one), or the failure.
 */
export async function recordExchange(
  ctx: ServiceContext,
  row: McpConnectionRow,
  outcome: { facts: ExchangeFacts; catalog?: McpCatalogJson } | { error: McpExchangeError },
): Promise<McpConnectionRow> {
  const now = nowIso();
  let patch: Partial<McpConnectionRow>;
  if ("error" in outcome) {
    const { error } = outcome;
    patch =
      error.code === "mcp_auth_required"
        ? { status: "authenticating", lastError: null, lastCheckedAt: now }
        : { status: "error", lastError: error.message, lastCheckedAt: now };
  } else {
    const { facts, catalog } = outcome;
    patch = {
      status: "connected",
      lastError: null,
      lastCheckedAt: now,
      authorizationUrl: null,
      connectedAt: row.status === "connected" && row.connectedAt ? row.connectedAt : now,
      ...(facts.protocolVersion ? { protocolVersion: facts.protocolVersion } : {}),
      ...(facts.serverInfo ? { serverInfo: facts.serverInfo } : {}),
      ...(catalog ? { catalog, catalogAt: now } : {}),
      ...(facts.listChanged.size > 0 && !catalog ? { catalogAt: null } : {}),
    };
  }
  const [updated] = await ctx.db
    .update(mcpConnections)
    .set({ ...patch, updatedAt: now })
    .where(eq(mcpConnections.id, row.id))
    .returning();
  return updated ?? { ...row, ...patch };
}

/** Calls one tool. A tool-level failure (`isError`) is a result, not an exception. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>, timeoutMs: number): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, { timeout: timeoutMs })) as CallToolResult;
}
