/**
 * `GET /api/mcp-client/oauth/callback` — where a person lands after consenting (or not) at an MCP
 * server's authorization server: the redirect URI every MCP OAuth client of this deployment registers.
 * No credentials: the single-use `state` names the connection. Answers a small page saying what
 * happened (the person is in a browser), with the status for programs that follow the redirect.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { ApiError } from "../../errors/api-error.ts";
import { completeMcpAuthorization } from "../../services/mcp/oauth-callback.ts";
import { MCP_OAUTH_CALLBACK_PATH } from "../../services/mcp/oauth-provider.ts";

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function page(title: string, body: string, status: 200 | 400): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": PAGE_CSP,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
}

/** The callback route (front door, outside the OpenAPI document). */
export const mcpClientRouter = new Hono<AppEnv>().get(MCP_OAUTH_CALLBACK_PATH, async (c) => {
  const q = c.req.query();
  try {
    const result = await completeMcpAuthorization({
      ctx: c.get("services"),
      input: {
        ...(q.code ? { code: q.code } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.iss ? { iss: q.iss } : {}),
        ...(q.error ? { error: q.error } : {}),
        ...(q.error_description ? { error_description: q.error_description } : {}),
      },
    });
    const { row } = result;
    return row.status === "connected"
      ? page(
          "MCP server connected",
          `${row.name} is connected to harness ${result.harnessSlug} (${result.tools} tools). You can close this window.`,
          200,
        )
      : page(
          "MCP server authorized",
          `${row.name} was authorized, but listing it failed: ${row.lastError ?? "unknown error"}. Check it with mcp.health.`,
          200,
        );
  } catch (error) {
    if (error instanceof ApiError) return page("Authorization failed", error.message, 400);
    throw error;
  }
});
