import { auth } from "@modelcontextprotocol/client";
import { eq } from "drizzle-orm";
import { harnesses, mcpConnections } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { OutboundRefusedError } from "../../lib/outbound-fetch.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, ServiceContext, VerbArgs } from "../context.ts";
import { networkPolicyLayers, policyFetch } from "../network/policy.ts";
import { connectionCatalog } from "./catalog.ts";
import { ConnectionOAuthProvider, readOauthState } from "./oauth-provider.ts";
import type { McpConnectionRow } from "./rows.ts";
import { McpExchangeError } from "./session.ts";

/** Input of {@link completeMcpAuthorization}: the query of the authorization server's redirect. */
export interface OauthCallbackInput {
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  error_description?: string;
}

/** What the person sees after consenting: the connection now, and what was learnt. */
export interface OauthCallbackResult {
  row: McpConnectionRow;
  harnessSlug: string;
  tools: number;
}

function invalid(detail: string): ApiError {
  return new ApiError("mcp_oauth_callback_invalid", detail, {
    domain: "mcp",
    actions: [{ rel: "retry", hint: "Start again: mcp.health on the server gives a fresh authorization URL." }],
  });
}

/**
 * `GET /api/mcp-client/oauth/callback` — the redirect URI of every MCP OAuth client of this deployment.
 * The `state` (random, single use; only its SHA-256 is stored) finds the connection; the code is
 * exchanged with the PKCE verifier (RFC 9207 `iss` checked by the SDK), the tokens sealed, and the
 * server listed with them, so the connection is `connected` when this returns.
 * @throws ApiError `mcp_oauth_callback_invalid` (400): unknown or used state, consent refused, failed exchange
 */
export async function completeMcpAuthorization({ ctx, input }: VerbArgs<ServiceContext, OauthCallbackInput>): Promise<OauthCallbackResult> {
  if (!input.state) throw invalid("The callback has no state parameter.");
  const row = await ctx.db
    .select()
    .from(mcpConnections)
    .where(eq(mcpConnections.oauthStateHash, await sha256Hex(input.state)))
    .get();
  if (!row) throw invalid("This authorization request is unknown or was already used.");
  const harness = await ctx.db.select().from(harnesses).where(eq(harnesses.id, row.harnessId)).get();
  if (!harness) throw invalid("The harness of this MCP server no longer exists.");
  // Single use: the state is spent whatever happens next.
  await ctx.db.update(mcpConnections).set({ oauthStateHash: null, updatedAt: nowIso() }).where(eq(mcpConnections.id, row.id));
  if (input.error || !input.code) {
    const reason = input.error ? `${input.error}${input.error_description ? `: ${input.error_description}` : ""}` : "no code";
    await ctx.db
      .update(mcpConnections)
      .set({ status: "error", lastError: `Authorization was not granted (${reason}).`, authorizationUrl: null })
      .where(eq(mcpConnections.id, row.id));
    throw invalid(`The authorization server did not grant access (${reason}).`);
  }
  const acting: AuthedContext = {
    ...ctx,
    principal: { kind: "service", orgId: row.orgId, subject: "mcp-oauth-callback", scopes: [], via: "internal" },
  };
  const layers = await networkPolicyLayers(acting, { harness, agentId: row.agentId });
  const provider = new ConnectionOAuthProvider(acting, row, await readOauthState(acting, row), `EdgeHarness (${row.name})`);
  try {
    const result = await auth(provider, {
      serverUrl: row.url,
      authorizationCode: input.code,
      ...(input.iss ? { iss: input.iss } : {}),
      fetchFn: policyFetch(acting, layers),
    });
    if (result !== "AUTHORIZED") throw new Error("the authorization server asked for another authorization");
  } catch (error) {
    const cause =
      error instanceof OutboundRefusedError ? `${error.message} (${error.rule})` : error instanceof Error ? error.message : String(error);
    await ctx.db
      .update(mcpConnections)
      .set({ status: "error", lastError: `The authorization code could not be exchanged: ${cause}`, authorizationUrl: null })
      .where(eq(mcpConnections.id, row.id));
    throw invalid(`The authorization code could not be exchanged: ${cause}`);
  }
  const fresh = (await ctx.db.select().from(mcpConnections).where(eq(mcpConnections.id, row.id)).get())!;
  try {
    const listed = await connectionCatalog(acting, fresh, layers, { refresh: true });
    return { row: listed.row, harnessSlug: harness.slug, tools: listed.catalog.tools.length };
  } catch (error) {
    if (!(error instanceof McpExchangeError)) throw error;
    const after = (await ctx.db.select().from(mcpConnections).where(eq(mcpConnections.id, row.id)).get())!;
    return { row: after, harnessSlug: harness.slug, tools: 0 };
  }
}
