/**
 * Domain 4 — the harness as an MCP client, against real MCP servers built with the official SDKs
 * (`test/helpers/mcp-servers.ts`): Streamable HTTP at protocol 2026-07-28 and 2025-11-25, HTTP+SSE,
 * a server that needs a bearer header or an API key, one that hangs, one that is down, and an
 * OAuth-protected one with its own authorization server.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectProblem, newHarness, newOrg } from "../helpers/api.ts";

const MCP = env.MCP_TEST_URL;
const modern = { type: "http", url: `${MCP}/modern/mcp` };
const legacy = { type: "http", url: `${MCP}/legacy/mcp` };

describe("mcp.connect and the recorded server", () => {
  it("connects over Streamable HTTP at 2026-07-28 and lists tools, resources and prompts", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "modern", transport: modern });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const server = res.body.server;
    expect(server).toMatchObject({
      name: "modern",
      status: "connected",
      transport: modern,
      protocol_version: "2026-07-28",
      server_info: { name: "modern-test" },
      auth: { mode: "none", header_names: [] },
      scope: { layer: "harness", agent_id: null, inherited: false },
      origin: "api",
      last_error: null,
    });
    expect(server.id).toMatch(/^mcp_[0-9a-f]{32}$/);
    expect(server.tools.map((t: any) => t.name)).toEqual(expect.arrayContaining(["echo", "add", "image", "fail"]));
    expect(server.tools_count).toBe(server.tools.length);
    expect(server.tools.find((t: any) => t.name === "add").input_schema).toMatchObject({ type: "object", required: ["a", "b"] });
    expect(res.headers.get("location")).toBe(`/v1/harnesses/${h.id}/mcp-servers/${server.id}`);

    const tools = await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/${server.id}/tools`);
    expect(tools.status).toBe(200);
    expect(tools.body.tools.find((t: any) => t.name === "echo")).toEqual({
      name: "echo",
      description: "Echo the text back.",
      input_schema: expect.objectContaining({ type: "object" }),
    });
    const resources = await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/modern/resources`);
    expect(resources.body.resources).toEqual([
      { uri: "memo://readme", name: "readme", mime_type: "text/markdown", description: "The readme." },
    ]);
    const prompts = await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/modern/prompts`);
    expect(prompts.body.prompts).toEqual([
      { name: "greet", description: "Greets someone.", arguments: [{ name: "name", description: "Who to greet", required: true }] },
    ]);

    const list = await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers`);
    expect(list.body).toMatchObject({ total: 1, has_more: false });
    expect(list.body.data[0].id).toBe(server.id);
    expect(list.body.servers).toEqual(list.body.data);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers?status=error`)).body.total).toBe(0);
  });
});

describe("transports, protocol versions and auth modes", () => {
  it("speaks 2025-11-25 to a v1 server and HTTP+SSE to an SSE server", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const v1 = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "recipes", transport: legacy });
    expect(v1.body.server).toMatchObject({ status: "connected", protocol_version: "2025-11-25", server_info: { name: "recipe-api" } });
    expect(v1.body.server.tools.map((t: any) => t.name)).toContain("recipes.search");
    const sse = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "sse", transport: { type: "sse", url: `${MCP}/sse` } });
    expect(sse.status, JSON.stringify(sse.body)).toBe(201);
    expect(sse.body.server).toMatchObject({ status: "connected", transport: { type: "sse" }, server_info: { name: "sse-test" } });
    expect(sse.body.server.tools.map((t: any) => t.name).sort()).toEqual(["add", "echo"]);
    const echoed = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_sse__echo/invoke`, { input: { text: "over sse" } });
    expect(echoed.body).toMatchObject({ success: true, output: { text: "sse echo: over sse" } });
  });

  it("sends a bearer token or an API key sealed at rest and never shown; without one the server is `error`", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const url = `${MCP}/bearer/mcp`;
    const none = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "nokey", transport: { type: "http", url } });
    expect(none.status).toBe(201);
    expect(none.body.server).toMatchObject({ status: "error", last_error: expect.stringContaining("unauthorized") });
    const bearer = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
      name: "bearer",
      transport: { type: "http", url },
      auth: { type: "bearer", token: "test-bearer-token" },
    });
    expect(bearer.body.server).toMatchObject({ status: "connected", auth: { mode: "headers", header_names: ["Authorization"] } });
    const apiKey = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
      name: "apikey",
      transport: { type: "streamable-http", url },
      auth: { type: "api_key", key: "test-api-key" },
    });
    expect(apiKey.body.server).toMatchObject({ status: "connected", auth: { header_names: ["X-API-Key"] } });
    for (const res of [bearer, apiKey, await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers`)]) {
      expect(JSON.stringify(res.body)).not.toMatch(/test-bearer-token|test-api-key/);
    }
    const rows = await env.DB.prepare("SELECT sealed_headers FROM mcp_connections WHERE org_id = ? AND sealed_headers IS NOT NULL")
      .bind(org.orgId)
      .all<{ sealed_headers: string }>();
    expect(rows.results).toHaveLength(2);
    for (const row of rows.results) expect(row.sealed_headers).toMatch(/^v1\./);
    // Giving the key later with mcp.update reconnects at once.
    const fixed = await org.json("PATCH", `/v1/harnesses/${h.id}/mcp-servers/nokey`, { headers: { "X-API-Key": "test-api-key" } });
    expect(fixed.body.server).toMatchObject({ status: "connected", last_error: null, auth: { header_names: ["X-API-Key"] } });
  });

  it("refuses stdio (422, why and what to do), private and policy-blocked URLs, duplicates and other organizations", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const h = await newHarness(org, { network_access: { blocked: ["127.0.0.1"] } });
    const stdio = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
        name: "local",
        transport: { type: "stdio", command: "npx", args: ["server"] },
      }),
      422,
      "mcp_transport_unsupported",
    );
    expect(stdio.detail).toContain("start no processes");
    expect(stdio.allowed_actions[0].hint).toContain("HTTP");
    const blocked = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "m", transport: modern }),
      422,
      "network_blocked",
    );
    expect(blocked.error.details.rule).toBe(`blocked: 127.0.0.1 (harness ${h.id})`);
    const open = await newHarness(org);
    const priv = await expectProblem(
      await org.json("POST", `/v1/harnesses/${open.id}/mcp-servers`, {
        name: "m",
        transport: { type: "http", url: "http://10.1.2.3/mcp" },
      }),
      422,
      "network_blocked",
    );
    expect(priv.error.details.rule).toContain("private addresses");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${open.id}/mcp-servers`, { name: "m", transport: { type: "ftp", url: "x" } }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${open.id}/mcp-servers`, { name: "m", transport: modern, extra: 1 }),
      400,
      "validation_error",
    );
    expect((await org.json("POST", `/v1/harnesses/${open.id}/mcp-servers`, { name: "m", transport: modern })).status).toBe(201);
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${open.id}/mcp-servers`, { name: "m", transport: legacy }),
      409,
      "mcp_server_exists",
    );
    await expectProblem(await other.json("GET", `/v1/harnesses/${open.id}/mcp-servers`), 404, "harness_not_found");
    await expectProblem(await org.json("GET", `/v1/harnesses/${open.id}/mcp-servers/mcp_${"0".repeat(32)}`), 404, "mcp_server_not_found");
  });
});

describe("mcp.health", () => {
  it("is healthy for a live server, and unhealthy (never a 5xx) for one that hangs or is down", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "live", transport: modern });
    const live = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers/live/health`);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: "healthy", latency_ms: expect.any(Number), server: { status: "connected" } });

    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "hangs", transport: { type: "http", url: `${MCP}/hang/mcp` } });
    const hangs = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers/hangs/health`);
    expect(hangs.status).toBe(200);
    expect(hangs.body).toMatchObject({
      status: "unhealthy",
      last_error: "hangs did not answer within 1500 ms.",
      server: { status: "error" },
    });

    const down = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
      name: "down",
      transport: { type: "http", url: "http://127.0.0.1:9/mcp" },
    });
    expect(down.body.server.status).toBe("error");
    const health = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers/down/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "unhealthy", last_error: expect.stringContaining("could not be reached") });
    // Listing a down server's tools is an upstream problem (502), naming the way to check it.
    const tools = await expectProblem(
      await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/down/tools?refresh=true`),
      502,
      "mcp_server_unavailable",
    );
    expect(tools.allowed_actions[0].operation_id).toBe("mcp.health");
  });
});

describe("mcp.update, mcp.disconnect and the tool cache", () => {
  it("serves tools from a short cache that a notifications/tools/list_changed drops", async () => {
    await fetch(`${MCP}/__state`, { method: "DELETE" }).catch(() => {});
    const org = await newOrg();
    const h = await newHarness(org);
    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "m", transport: modern });
    const before = await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/m/tools`);
    expect(before.body.tools.map((t: any) => t.name)).not.toContain("extra");
    const enabled = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__enable_extra/invoke`, { input: {} });
    expect(enabled.body).toMatchObject({ success: true, output: { text: "extra enabled" } });
    const server = (await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/m`)).body.server;
    expect(server.catalog_fresh).toBe(false);
    const after = await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/m/tools`);
    expect(after.body.tools.map((t: any) => t.name)).toContain("extra");
  });

  it("renames, moves and disconnects; other organizations see nothing", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const h = await newHarness(org);
    const created = (await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "a", transport: modern })).body.server;
    const moved = await org.json("PATCH", `/v1/harnesses/${h.id}/mcp-servers/${created.id}`, {
      name: "b",
      transport: legacy,
      auto_reconnect: false,
    });
    expect(moved.body.server).toMatchObject({
      id: created.id,
      name: "b",
      auto_reconnect: false,
      status: "connected",
      server_info: { name: "recipe-api" },
    });
    await expectProblem(
      await other.json("PATCH", `/v1/harnesses/${h.id}/mcp-servers/${created.id}`, { name: "c" }),
      404,
      "harness_not_found",
    );
    await expectProblem(
      await org.json("PATCH", `/v1/harnesses/${h.id}/mcp-servers/${created.id}`, { transport: { type: "stdio", command: "x" } }),
      422,
      "mcp_transport_unsupported",
    );
    expect((await org.json("DELETE", `/v1/harnesses/${h.id}/mcp-servers/${created.id}`)).status).toBe(204);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/${created.id}`), 404, "mcp_server_not_found");
  });

  it("inherits a parent's servers (changed only on the parent) and manages mcpServers-defined ones from the definition", async () => {
    const org = await newOrg();
    const parent = await newHarness(org, { mcpServers: { docs: { url: `${MCP}/modern/mcp` } } });
    const child = await newHarness(org, { parent_harness_id: parent.id });
    const list = await org.json("GET", `/v1/harnesses/${child.id}/mcp-servers`);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        name: "docs",
        origin: "harness",
        scope: expect.objectContaining({ harness_id: parent.id, inherited: true }),
      }),
    ]);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${child.id}/mcp-servers/docs`), 409, "mcp_server_inherited");
    await expectProblem(await org.json("PATCH", `/v1/harnesses/${parent.id}/mcp-servers/docs`, { name: "x" }), 409, "mcp_server_managed");
    const tools = await org.json("GET", `/v1/harnesses/${child.id}/tools?source=mcp`);
    expect(tools.body.data.map((t: any) => t.name)).toContain("mcp_docs__echo");
    // Removing it from the definition removes the connection.
    await org.json("PATCH", `/v1/harnesses/${parent.id}`, { mcpServers: {} });
    expect((await org.json("GET", `/v1/harnesses/${child.id}/mcp-servers`)).body.total).toBe(0);
  });
});

describe("OAuth (MCP authorization spec) against an OAuth-protected server", () => {
  it("discovers, registers, sends a person to consent with PKCE and resource, connects on the callback, refreshes silently", async () => {
    const OAUTH = env.OAUTH_MCP_URL;
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
      name: "secure",
      transport: { type: "http", url: `${OAUTH}/mcp` },
      auth: { type: "oauth" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const server = res.body.server;
    expect(server).toMatchObject({ status: "authenticating", auth: { mode: "oauth" } });
    const authorize = new URL(server.auth.authorization_url);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${OAUTH}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      code_challenge_method: "S256",
      resource: `${OAUTH}/mcp`,
      redirect_uri: "https://edgeharness.test/api/mcp-client/oauth/callback",
    });
    // Until the person consents, runs skip it, and health says so.
    const waiting = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers/secure/health`);
    expect(waiting.body).toMatchObject({ status: "degraded", authorization_url: expect.stringContaining(`${OAUTH}/authorize`) });

    // The person opens the URL; the authorization server sends the browser back to our callback.
    const consent = await fetch(waiting.body.authorization_url, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get("location")!);
    expect(callback.pathname).toBe("/api/mcp-client/oauth/callback");
    const landed = await call(`${callback.pathname}${callback.search}`);
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain("secure is connected");
    const connected = (await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/secure`)).body.server;
    expect(connected).toMatchObject({ status: "connected", auth: { mode: "oauth", authorization_url: null } });
    expect(connected.tools.map((t: any) => t.name)).toEqual(["whoami"]);
    const stats = (await (await fetch(`${OAUTH}/__oauth`)).json()) as any;
    expect(stats).toMatchObject({ registrations: 1, tokenExchanges: 1, refreshes: 0 });
    expect(stats.authorizations[0].resource).toBe(`${OAUTH}/mcp`);
    // The state is single use.
    const replay = await call(`${callback.pathname}${callback.search}`);
    expect(replay.status).toBe(400);

    // Tokens sealed at rest; an expired access token is refreshed without asking anyone again.
    const row = await env.DB.prepare("SELECT sealed_oauth FROM mcp_connections WHERE id = ?")
      .bind(connected.id)
      .first<{ sealed_oauth: string }>();
    expect(row!.sealed_oauth).toMatch(/^v1\./);
    expect(row!.sealed_oauth).not.toContain("refresh_token");
    await fetch(`${OAUTH}/__oauth/expire`, { method: "POST" });
    const whoami = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_secure__whoami/invoke`, { input: {} });
    expect(whoami.body).toMatchObject({ success: true, output: { text: expect.stringMatching(/^client /) } });
    expect(((await (await fetch(`${OAUTH}/__oauth`)).json()) as any).refreshes).toBe(1);
  });

  it("answers a callback with an unknown state with 400", async () => {
    const res = await call("/api/mcp-client/oauth/callback?code=x&state=nope");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("unknown or was already used");
  });
});
