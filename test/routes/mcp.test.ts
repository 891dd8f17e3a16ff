/**
 * The MCP server at /api/mcp, driven by the official clients over the Worker's real HTTP surface:
 * the v1 SDK (`@modelcontextprotocol/sdk`, a 2025-era client served by the stateless fallback) and the
 * v2 client (`@modelcontextprotocol/client`, pinned to protocol 2026-07-28). Protection (RFC 9728
 * metadata, challenges, audience, scope, Origin/Host, query tokens) is checked over raw fetch.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { createDb } from "../../src/db/index.ts";
import { call, expectProblem, newHarness, newOrg, ORIGIN, type TestOrg } from "../helpers/api.ts";
import { fixtureBytes } from "../helpers/fixtures.ts";
import { newUser, userToken, type TestUser } from "../helpers/identity.ts";

const MCP_URL = `${ORIGIN}/api/mcp`;
const MCP_AUDIENCE = MCP_URL;
const METADATA_URL = `${ORIGIN}/.well-known/oauth-protected-resource/api/mcp`;
const CHALLENGE_SCOPE = "openid profile email offline_access assistant";

/** Routes the clients' HTTP requests to the Worker under test. */
const workerFetch = (url: string | URL | Request, init?: RequestInit) =>
  SELF.fetch(url instanceof Request ? url : new Request(String(url), init));

/** A 2025-era client (SDK v1) connected with `token`. */
async function connectV1(token: string): Promise<Client> {
  const client = new Client({ name: "edgeharness-test-v1", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    fetch: workerFetch,
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** A 2026-07-28 client (v2 SDK, pinned). */
async function connectModern(token: string): Promise<ModernClient> {
  const client = new ModernClient(
    { name: "edgeharness-test-v2", version: "2.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  const transport = new ModernTransport(new URL(MCP_URL), {
    fetch: workerFetch,
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** A user with an MCP token, and REST access to their personal organization (to set up harnesses). */
async function mcpUser(name = "Ada Lovelace"): Promise<{ user: TestUser; token: string; org: TestOrg }> {
  const user = await newUser(name);
  const token = await userToken(user, { audience: MCP_AUDIENCE });
  const restToken = await userToken(user, { audience: `${ORIGIN}/v1` });
  const fetchAs = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${restToken}`);
    return call(path, { ...init, headers });
  };
  const org: TestOrg = {
    orgId: user.orgId,
    token: restToken,
    fetch: fetchAs,
    json: async (method, path, body, headers = {}) => {
      const res = await fetchAs(path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
  return { user, token, org };
}

/** The text of a tool result's first content block. */
function textOf(result: object): string {
  const first = (result as { content?: { type: string; text?: string }[] }).content?.[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}

/** Raw JSON-RPC POST to /api/mcp (an `initialize`, enough to pass or fail the gate). */
function rawPost(headers: Record<string, string>, path = "/api/mcp"): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });
}

async function problemOf(res: Response) {
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe("MCP over Streamable HTTP with the official clients", () => {
  it("2025-era client: initialize and list tools with precise schemas", async () => {
    const { token } = await mcpUser();
    const client = await connectV1(token);
    expect(client.getServerVersion()).toMatchObject({ name: "edgeharness", version: "0.1.0" });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getInstructions()).toContain("run_task");

    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      "chat_with_assistant",
      "get_execution",
      "get_identity",
      "list_agents",
      "list_harnesses",
      "run_task",
    ]);
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.outputSchema, tool.name).toMatchObject({ type: "object" });
    }

    const run = byName.run_task!.inputSchema as any;
    expect(run.type).toBe("object");
    expect(run.additionalProperties).toBe(false);
    expect([...run.required].sort()).toEqual(["harness", "message"]);
    expect(run.properties.wait_seconds).toMatchObject({ type: "integer", minimum: 0, maximum: 60, default: 20 });
    expect(run.properties.message).toMatchObject({ type: "string", minLength: 1, maxLength: 100000 });
    for (const field of ["harness", "message", "agent_id", "model", "wait_seconds"])
      expect(run.properties[field].description, field).toBeTruthy();
    expect(byName.run_task!.annotations).toMatchObject({ readOnlyHint: false });

    const chat = byName.chat_with_assistant!.inputSchema as any;
    expect(chat.required).toEqual(["message"]);
    expect(Object.keys(chat.properties).sort()).toEqual(["conversationId", "message"]);
    expect(byName.chat_with_assistant!.outputSchema).toMatchObject({
      properties: { answer: { type: "string" }, conversationId: { type: "string" }, toolsUsed: { type: "array" } },
    });

    const lists = byName.list_agents!.inputSchema as any;
    expect(lists.required).toEqual(["harness"]);
    expect(lists.properties.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 20 });
    expect(lists.properties.offset).toMatchObject({ type: "integer", minimum: 0, default: 0 });
    expect((byName.get_execution!.inputSchema as any).required.sort()).toEqual(["execution_id", "harness"]);
    expect(byName.get_identity!.annotations).toMatchObject({ readOnlyHint: true });
    await client.close();
  });

  it("get_identity: the token's user, organization, scopes and client", async () => {
    const { user, token } = await mcpUser("Grace Hopper");
    const client = await connectV1(token);
    const result = await client.callTool({ name: "get_identity", arguments: {} });
    expect(result.isError).toBeFalsy();
    const identity = result.structuredContent as any;
    expect(identity).toMatchObject({
      principal: { kind: "user", subject: user.userId, via: "oauth" },
      user: { id: user.userId, email: user.email, name: "Grace Hopper" },
      organization: { id: user.orgId, name: "Grace Hopper's organization" },
      client_id: "client_test",
    });
    expect(identity.scopes).toContain("assistant");
    expect(JSON.parse(textOf(result))).toEqual(identity);
    await client.close();
  });

  it("an organization API key acts as the organization's service principal", async () => {
    const org = await newOrg("Key Org");
    const client = await connectV1(org.token);
    const identity = (await client.callTool({ name: "get_identity", arguments: {} })).structuredContent as any;
    expect(identity).toMatchObject({
      principal: { kind: "service", via: "api_key" },
      user: null,
      organization: { id: org.orgId, name: "Key Org" },
      scopes: ["*"],
      client_id: null,
    });
    await client.close();
  });

  it("list_harnesses and list_agents page through the caller's organization only", async () => {
    const { token, org } = await mcpUser();
    const a = await newHarness(org, { id: "alpha", name: "Alpha" });
    await newHarness(org, { id: "beta", name: "Beta" });
    const stranger = await newOrg();
    await newHarness(stranger, { id: "foreign" });
    const client = await connectV1(token);

    const all = (await client.callTool({ name: "list_harnesses", arguments: {} })).structuredContent as any;
    // Every organization also has its built-in assistant harness.
    const own = all.harnesses.filter((h: any) => !h.built_in);
    expect(own.map((h: any) => h.id).sort()).toEqual(["alpha", "beta"]);
    expect(all).toMatchObject({ total: own.length + 1, limit: 20, offset: 0, has_more: false });
    expect(all.harnesses.find((h: any) => h.id === "alpha")).toMatchObject({
      name: "Alpha",
      kind: "native",
      can_run_tasks: true,
      built_in: false,
      default_model: "scripted/echo",
    });
    const page = (await client.callTool({ name: "list_harnesses", arguments: { limit: 1, offset: 1 } })).structuredContent as any;
    expect(page).toMatchObject({ total: all.total, limit: 1, offset: 1, has_more: true });
    expect(page.harnesses).toEqual([all.harnesses[1]]);

    const form = new FormData();
    form.append("bundle", new File([fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip")], "p.zip", { type: "application/zip" }));
    expect((await org.fetch(`/v1/harnesses/${a.id}/agents/import`, { method: "POST", body: form })).status).toBe(201);
    const agents = (await client.callTool({ name: "list_agents", arguments: { harness: "alpha" } })).structuredContent as any;
    expect(agents).toMatchObject({ harness: "alpha", total: 1, has_more: false });
    expect(agents.agents[0]).toMatchObject({ slug: "daily-affirmation-agent", name: "Daily Affirmation Agent", model: "haiku" });
    expect(agents.agents[0].id).toMatch(/^agent_/);

    const foreign = await client.callTool({ name: "list_agents", arguments: { harness: "foreign" } });
    expect(foreign.isError).toBe(true);
    expect(textOf(foreign)).toContain("No harness foreign");
    await client.close();
  });

  it("run_task waits for the result; get_execution reads it back", async () => {
    const { token, org } = await mcpUser();
    const h = await newHarness(org);
    const client = await connectV1(token);
    const result = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "hello from MCP" } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const run = result.structuredContent as any;
    expect(run).toMatchObject({
      harness: h.id,
      status: "completed",
      finished: true,
      model: "scripted/echo",
      agent_id: null,
      next_step: null,
      result: { output: "Echo: hello from MCP", error: null, tool_calls: [], artifacts: [] },
    });
    expect(run.execution_id).toMatch(/^exec_/);
    expect(run.result.usage.total_tokens).toBeGreaterThan(0);

    const again = await client.callTool({ name: "get_execution", arguments: { harness: h.id, execution_id: run.execution_id } });
    expect(again.structuredContent).toEqual(run);

    // The same run is visible on the REST API of the same organization.
    const rest = await org.json("GET", `/v1/harnesses/${h.id}/executions/${run.execution_id}/result`);
    expect(rest.body.result.output).toBe("Echo: hello from MCP");
    await client.close();
  });

  it("run_task with wait_seconds 0 returns the execution id to poll; an agent and a model can be chosen", async () => {
    const { token, org } = await mcpUser();
    const h = await newHarness(org);
    const form = new FormData();
    form.append("bundle", new File([fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip")], "p.zip", { type: "application/zip" }));
    const imported = (await (await org.fetch(`/v1/harnesses/${h.id}/agents/import`, { method: "POST", body: form })).json()) as any;
    const client = await connectV1(token);
    const started = await client.callTool({
      name: "run_task",
      arguments: { harness: h.id, message: "affirm me", agent_id: imported.agent.id, model: "scripted/echo", wait_seconds: 0 },
    });
    expect(started.isError, textOf(started)).toBeFalsy();
    const first = started.structuredContent as any;
    expect(first).toMatchObject({ harness: h.id, agent_id: imported.agent.id, model: "scripted/echo" });
    if (!first.finished) {
      expect(first.result).toBeNull();
      expect(first.next_step).toContain(first.execution_id);
      expect(first.next_step).toContain("get_execution");
    }
    let report = first;
    for (let i = 0; i < 50 && !report.finished; i++) {
      await new Promise((r) => setTimeout(r, 100));
      report = (await client.callTool({ name: "get_execution", arguments: { harness: h.id, execution_id: first.execution_id } }))
        .structuredContent;
    }
    expect(report).toMatchObject({ finished: true, status: "completed", result: { output: "Echo: affirm me" } });
    await client.close();
  });

  it("run_task returns at once when the run asks a question, saying how to answer it", async () => {
    const { token, org } = await mcpUser();
    const h = await newHarness(org, { default_model_id: "scripted/ask", capability_refs: [{ ref: "ask_user" }] });
    const client = await connectV1(token);
    const startedMs = Date.now();
    const result = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "go", wait_seconds: 30 } });
    expect(Date.now() - startedMs).toBeLessThan(10_000);
    const report = result.structuredContent as any;
    expect(report).toMatchObject({
      finished: false,
      result: null,
      waiting_for_input: { prompt: "Do you want to continue? [y/n]" },
    });
    expect(report.next_step).toContain(`POST ${ORIGIN}/v1/harnesses/${h.id}/executions/${report.execution_id}/input`);
    const answered = await org.json("POST", `/v1/harnesses/${h.id}/executions/${report.execution_id}/input`, { data: "y" });
    expect(answered.status).toBe(200);
    let done = report;
    for (let i = 0; i < 50 && !done.finished; i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = (await client.callTool({ name: "get_execution", arguments: { harness: h.id, execution_id: report.execution_id } }))
        .structuredContent;
    }
    expect(done).toMatchObject({ finished: true, status: "completed", waiting_for_input: null });
    expect(done.result.tool_calls.map((t: any) => t.name)).toEqual(["ask_user"]);
    await client.close();
  });

  it("2026-07-28 client (v2 SDK): negotiates the modern revision and calls tools", async () => {
    const { user, token, org } = await mcpUser();
    const h = await newHarness(org);
    const client = await connectModern(token);
    expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("run_task");
    const identity = await client.callTool({ name: "get_identity", arguments: {} });
    expect(identity.structuredContent).toMatchObject({ user: { id: user.userId }, organization: { id: user.orgId } });
    const run = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "modern" } });
    expect(run.structuredContent).toMatchObject({ finished: true, result: { output: "Echo: modern" } });
    await client.close();
  });

  it("chat_with_assistant answers and continues a conversation", async () => {
    const { token } = await mcpUser();
    const client = await connectV1(token);
    const first = await client.callTool({ name: "chat_with_assistant", arguments: { message: "Which harnesses do we have?" } });
    expect(first.isError, textOf(first)).toBeFalsy();
    const reply = first.structuredContent as any;
    expect(typeof reply.answer).toBe("string");
    expect(reply.answer.length).toBeGreaterThan(0);
    expect(Array.isArray(reply.toolsUsed)).toBe(true);
    const next = await client.callTool({
      name: "chat_with_assistant",
      arguments: { message: "And how many is that?", conversationId: reply.conversationId },
    });
    expect(next.isError, textOf(next)).toBeFalsy();
    expect((next.structuredContent as any).conversationId).toBe(reply.conversationId);
    await client.close();

    // A conversation belongs to its user: another user cannot continue it.
    const stranger = await connectV1((await mcpUser()).token);
    const foreign = await stranger.callTool({
      name: "chat_with_assistant",
      arguments: { message: "hi", conversationId: reply.conversationId },
    });
    expect(foreign.isError).toBe(true);
    expect(textOf(foreign)).toMatch(/not found/i);
    await stranger.close();
  });
});

describe("MCP tool errors are tool results a model can act on", () => {
  it("run_task on an unknown harness names it and says what to do", async () => {
    const { token } = await mcpUser();
    const client = await connectV1(token);
    const result = await client.callTool({ name: "run_task", arguments: { harness: "no-such-harness", message: "hi" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("no-such-harness");
    expect(textOf(result)).toContain("list_harnesses");
    await client.close();
  });

  it("another organization's harness and execution are not found", async () => {
    const owner = await mcpUser();
    const h = await newHarness(owner.org, { id: "private-harness" });
    const ownerClient = await connectV1(owner.token);
    const run = (await ownerClient.callTool({ name: "run_task", arguments: { harness: h.id, message: "mine" } })).structuredContent as any;
    await ownerClient.close();

    const other = await mcpUser();
    const client = await connectV1(other.token);
    const start = await client.callTool({ name: "run_task", arguments: { harness: "private-harness", message: "theirs" } });
    expect(start.isError).toBe(true);
    expect(textOf(start)).toContain("No harness private-harness in this organization");
    const read = await client.callTool({ name: "get_execution", arguments: { harness: h.id, execution_id: run.execution_id } });
    expect(read.isError).toBe(true);
    expect(textOf(read)).toMatch(/not found/i);
    await client.close();
  });

  it("invalid arguments, an unknown agent and an unknown model are tool errors, not protocol errors", async () => {
    const { token, org } = await mcpUser();
    const h = await newHarness(org);
    const client = await connectV1(token);
    const tooLong = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "x", wait_seconds: 61 } });
    expect(tooLong.isError).toBe(true);
    expect(textOf(tooLong)).toContain("wait_seconds");
    const extra = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "x", harness_id: h.id } });
    expect(extra.isError).toBe(true);
    expect(textOf(extra)).toContain("harness_id");
    const agent = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "x", agent_id: "agent_nope" } });
    expect(agent.isError).toBe(true);
    expect(textOf(agent)).toContain("list_agents");
    const model = await client.callTool({ name: "run_task", arguments: { harness: h.id, message: "x", model: "nowhere/none" } });
    expect(model.isError).toBe(true);
    expect(textOf(model)).toContain("model");
    await client.close();
  });
});

describe("MCP tool calls count against the organization's limits", () => {
  it("a call over the daily request quota is a tool error saying when to retry", async () => {
    const { token, user } = await mcpUser();
    await env.DB.prepare("UPDATE organizations SET daily_request_quota = 1 WHERE id = ?").bind(user.orgId).run();
    const client = await connectV1(token);
    // initialize and tools/list are protocol traffic, not tool calls: they are not charged.
    expect((await client.listTools()).tools.length).toBe(6);
    const first = await client.callTool({ name: "get_identity", arguments: {} });
    expect(first.isError, textOf(first)).toBeFalsy();
    const second = await client.callTool({ name: "list_harnesses", arguments: {} });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toContain("Rate limit exceeded");
    expect(textOf(second)).toMatch(/Retry after .*\d+ seconds/);
    await client.close();
  });
});

describe("MCP protection (MCP authorization spec, RFC 9728, RFC 6750)", () => {
  it("publishes protected-resource metadata at the path-aware and the root location", async () => {
    const expected = {
      resource: `${ORIGIN}/api/mcp`,
      authorization_servers: [ORIGIN],
      scopes_supported: ["openid", "profile", "email", "offline_access", "assistant"],
      bearer_methods_supported: ["header"],
      resource_name: "EdgeHarness MCP server",
    };
    for (const path of ["/.well-known/oauth-protected-resource/api/mcp", "/.well-known/oauth-protected-resource"]) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(await res.json()).toEqual(expected);
    }
  });

  it("no token: 401 with the discovery challenge", async () => {
    const res = await rawPost({});
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${METADATA_URL}", scope="${CHALLENGE_SCOPE}"`);
    await expectProblem(await problemOf(res), 401, "unauthorized");
  });

  it("a token for another audience, a forged token and an unknown API key: 401 invalid_token", async () => {
    const user = await newUser();
    const forged = (await userToken(user, { audience: MCP_AUDIENCE })).replace(/\.[^.]+$/, ".AAAA");
    for (const token of [await userToken(user, { audience: `${ORIGIN}/v1` }), forged, `eh_sk_${"0".repeat(32)}_nope`]) {
      const res = await rawPost({ authorization: `Bearer ${token}` });
      const challenge = res.headers.get("www-authenticate") ?? "";
      expect(challenge.startsWith('Bearer error="invalid_token", error_description="')).toBe(true);
      expect(challenge).toContain(`resource_metadata="${METADATA_URL}"`);
      expect(challenge).toContain(`scope="${CHALLENGE_SCOPE}"`);
      await expectProblem(await problemOf(res), 401, "unauthorized");
    }
    const wrongAudience = await rawPost({ authorization: `Bearer ${await userToken(user, { audience: `${ORIGIN}/v1` })}` });
    expect((await wrongAudience.json()) as any).toMatchObject({ detail: `The access token was not issued for ${ORIGIN}/api/mcp.` });
  });

  it("a valid token without the assistant scope: 403 insufficient_scope", async () => {
    const user = await newUser();
    const res = await rawPost({
      authorization: `Bearer ${await userToken(user, { audience: MCP_AUDIENCE, scope: "openid profile email" })}`,
    });
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer error="insufficient_scope", scope="assistant", resource_metadata="${METADATA_URL}"`,
    );
    await expectProblem(await problemOf(res), 403, "forbidden");

    const org = await newOrg();
    const narrowKey = await mintApiKey(createDb(env.DB), org.orgId, "read only", ["harnesses:read"]);
    const keyRes = await rawPost({ authorization: `Bearer ${narrowKey.token}` });
    expect(keyRes.status).toBe(403);
    expect(keyRes.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });

  it("Origin must be this deployment's origin; Host must name this server", async () => {
    const org = await newOrg();
    const auth = { authorization: `Bearer ${org.token}` };
    expect((await rawPost({ ...auth, origin: ORIGIN })).status).toBe(200);
    for (const origin of ["https://evil.example", "null", "http://edgeharness.test"]) {
      await expectProblem(await problemOf(await rawPost({ ...auth, origin })), 403, "forbidden");
    }
    const badHost = await problemOf(await rawPost({ ...auth, host: "rebound.evil.example" }));
    await expectProblem(badHost, 403, "forbidden");
    expect(badHost.body.error.details).toEqual({ field: "header.host" });
    // Refused before authentication: no token is needed to be turned away.
    expect((await rawPost({ origin: "https://evil.example" })).status).toBe(403);
    // DNS rebinding: a request whose URL and Host both name another host (a rebound name resolving to
    // this server) is refused because PUBLIC_ORIGIN fixes the deployment's host.
    const rebound = await SELF.fetch("https://rebound.evil.example/api/mcp", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(rebound.status).toBe(403);
  });

  it("tokens in the query string are refused, even beside a valid header", async () => {
    const org = await newOrg();
    const res = await rawPost({ authorization: `Bearer ${org.token}` }, `/api/mcp?access_token=${org.token}`);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_request", /);
    await expectProblem(await problemOf(res), 400, "validation_error");
  });

  it("GET and DELETE are 405 on the stateless server", async () => {
    const org = await newOrg();
    for (const method of ["GET", "DELETE"]) {
      const res = await call("/api/mcp", { method, headers: { authorization: `Bearer ${org.token}`, accept: "text/event-stream" } });
      expect(res.headers.get("allow")).toBe("POST");
      await expectProblem(await problemOf(res), 405, "method_not_allowed");
    }
  });

  it("a body over the limit is refused before anything runs", async () => {
    const org = await newOrg();
    const res = await call("/api/mcp", {
      method: "POST",
      headers: { authorization: `Bearer ${org.token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(1024 * 1024 + 1) } }),
    });
    expect(res.status).toBe(413);
    await res.body?.cancel();
  });
});
