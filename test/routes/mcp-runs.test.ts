/**
 * MCP servers in the loop: their tools reach the model (shown on the wire with the provider simulator),
 * results come back as tool results, a server that fails mid-run is a failed tool result and the run goes
 * on; the recipe-finder package's MCP config pointed at a local server; the seed's Everruns example body
 * (with `web_fetch` and an `mcpServers` entry) accepted as written; provider base URLs under the policy.
 */
import { env } from "cloudflare:test";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";
import { fixtureBytes } from "../helpers/fixtures.ts";
import { SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { streamExecute } from "../helpers/executions.ts";

const MCP = env.MCP_TEST_URL;
const SIM = env.PROVIDER_SIM_URL;

describe("MCP tools in the loop", () => {
  it("reaches the model by server and tool name (on the wire), and the result comes back as the tool result", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "current_time" }] });
    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "weather", transport: { type: "http", url: `${MCP}/modern/mcp` } });
    await fetch(`${SIM}/__requests`, { method: "DELETE" });
    const frames = await streamExecute(org, h.id, {
      message: 'please call mcp_weather__echo with {"text":"over the wire"}',
      model: "openai/gpt-4o-mini",
      harness_credentials: { api_key: SIM_OPENAI_KEY, base_url: `${SIM}/openai/v1` },
    });
    const requests = (await (await fetch(`${SIM}/__requests`)).json()) as any[];
    const offered = requests[0].body.tools.map((t: any) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining(["current_time", "mcp_weather__echo", "mcp_weather__add"]));
    expect(requests[0].body.tools.find((t: any) => t.function.name === "mcp_weather__echo").function.parameters).toMatchObject({
      type: "object",
      properties: { text: { type: "string" } },
    });
    const result = frames.find((f) => f.data.type === "tool_result")!.data;
    expect(result).toMatchObject({ success: true, output: { text: "echo: over the wire" } });
    const text = frames
      .filter((f) => f.data.type === "text")
      .map((f) => f.data.content)
      .join("");
    expect(text).toContain("Tool result received:");
    expect(text).toContain("echo: over the wire");
    expect(frames.at(-1)!.data.type).toBe("done");
  });

  it("turns a server that fails mid-run into a failed tool result, and the run goes on", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/call" });
    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "m", transport: { type: "http", url: `${MCP}/modern/mcp` } });
    const frames = await streamExecute(org, h.id, {
      message: 'call mcp_m__crash with {}, then call mcp_m__fail with {} and call mcp_m__add with {"a":20,"b":22}',
    });
    const results = frames.filter((f) => f.data.type === "tool_result").map((f) => f.data);
    expect(results, JSON.stringify(frames.map((f) => f.data))).toHaveLength(3);
    expect(results[0]).toMatchObject({
      success: false,
      error: expect.stringMatching(/^mcp_server_unavailable: m at .* could not be reached/),
    });
    expect(results[1]).toMatchObject({ success: false, error: expect.stringContaining("mcp_tool_error") });
    expect(results[2]).toMatchObject({ success: true, output: { text: "42" } });
    expect(frames.at(-1)!.data.type).toBe("done");
  });

  it("runs without a server that is down, and tells the model why its tools are missing", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/echo" });
    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
      name: "down",
      transport: { type: "http", url: "http://127.0.0.1:9/mcp" },
    });
    const frames = await streamExecute(org, h.id, { message: "hello" });
    expect(frames.at(-1)!.data.type).toBe("done");
    expect((await org.json("GET", `/v1/harnesses/${h.id}/tools?source=mcp`)).body.total).toBe(0);
  });
});

describe("MCP servers from packages and definitions", () => {
  it("imports the recipe-finder package with its MCP config pointed at a local server: the agent gets the enabled tools only", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/call" });
    const files = unzipSync(fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    const configPath = Object.keys(files).find((p) => p.endsWith("mcp-configs/recipe-api/config.yaml"))!;
    files[configPath] = strToU8(strFromU8(files[configPath]!).replace("https://api.example-recipes.com/mcp", `${MCP}/bearer/mcp`));
    const form = new FormData();
    form.append("bundle", new File([zipSync(files)], "recipe-finder.zip", { type: "application/zip" }));
    const imported = await org.fetch(`/v1/harnesses/${h.id}/agents/import`, { method: "POST", body: form });
    expect(imported.status).toBe(201);
    const agent = ((await imported.json()) as any).agents[0];

    const servers = (await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers`)).body.data;
    expect(servers).toEqual([
      expect.objectContaining({
        name: "recipe-api",
        origin: "package",
        status: "error",
        scope: expect.objectContaining({ layer: "agent", agent_id: agent.id }),
        include_tools: ["recipes.search", "recipes.get", "recipes.random"],
        exclude_tools: ["recipes.create", "recipes.update", "recipes.delete", "admin.*"],
        auth: expect.objectContaining({ mode: "headers", header_names: ["X-API-Key"] }),
        last_error: expect.stringContaining("RECIPE_API_KEY"),
      }),
    ]);
    // The package names the header and the variable; the key is given through mcp.update.
    const keyed = await org.json("PATCH", `/v1/harnesses/${h.id}/mcp-servers/${servers[0].id}`, {
      auth: { type: "api_key", header: "X-API-Key", key: "test-api-key" },
    });
    expect(keyed.body.server).toMatchObject({ status: "connected", protocol_version: "2025-11-25" });

    const forAgent = await org.json("GET", `/v1/harnesses/${h.id}/tools?source=mcp&agent_id=${agent.id}`);
    expect(forAgent.body.data.map((t: any) => t.name).sort()).toEqual([
      "mcp_recipe-api__recipes_get",
      "mcp_recipe-api__recipes_random",
      "mcp_recipe-api__recipes_search",
    ]);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/tools?source=mcp`)).body.total).toBe(0);
    const frames = await streamExecute(org, h.id, {
      agent_id: agent.id,
      model: "scripted/call",
      message: 'call mcp_recipe-api__recipes_search with {"query":"vegetarian"}',
    });
    expect(frames.find((f) => f.data.type === "tool_result")!.data).toMatchObject({
      success: true,
      output: { text: expect.stringContaining("Vegetable curry") },
    });
    // A re-import keeps the key given with mcp.update.
    const again = new FormData();
    again.append("bundle", new File([zipSync(files)], "recipe-finder.zip", { type: "application/zip" }));
    again.append("merge_strategy", "overwrite");
    expect((await org.fetch(`/v1/harnesses/${h.id}/agents/import`, { method: "POST", body: again })).status).toBe(201);
    const after = (await org.json("GET", `/v1/harnesses/${h.id}/mcp-servers/${servers[0].id}`)).body.server;
    expect(after).toMatchObject({ status: "connected", last_error: null });
  });

  it("accepts the seed's Everruns example body as written (web_fetch, an mcpServers entry, an origin in network_access)", async () => {
    const org = await newOrg();
    // The example names a parent by its typed id: one with that id exists in this organization.
    await env.DB.prepare(
      "INSERT INTO harnesses (id, org_id, slug, display_name, vendor, description, execution_type, kind, availability, lifecycle, config, system_prompt, capability_refs, initial_files, mcp_servers, tags, is_built_in, created_at, updated_at) VALUES (?, ?, 'base', 'Base', 'Everruns', '', 'hosted', 'native', 'active', 'active', '{}', '', '[]', '[]', '{}', '[]', 0, ?, ?)",
    )
      .bind("harness_01933b5a000070008000000000000602", org.orgId, new Date().toISOString(), new Date().toISOString())
      .run();
    const seed = {
      capabilities: [
        { config: {}, ref: "current_time" },
        { config: {}, ref: "web_fetch" },
      ],
      default_model_id: "model_01933b5a00007000800000000000001",
      description: "Research harness with planning and web capabilities",
      display_name: "Deep Research",
      initial_files: [{ content: "example", encoding: "example", is_readonly: true, path: "example" }],
      mcpServers: {
        additionalProperty: {
          auth_mode: "none",
          headers: { additionalProperty: "example" },
          oauth_provider_id: "example",
          tool_discovery: true,
          type: "http",
          url: "example",
        },
      },
      name: "deep-research",
      network_access: { allowed: ["*.example.com", "https://api.acme.com/"], blocked: ["169.254.169.254"] },
      parent_harness_id: "harness_01933b5a000070008000000000000602",
      system_prompt: "You are a research assistant with deep analytical capabilities.",
      tags: ["research", "planning"],
    };
    const res = await org.json("POST", "/api/v1/harnesses", seed);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      capabilities: seed.capabilities,
      network_access: seed.network_access,
      parent_harness_id: "harness_01933b5a000070008000000000000602",
      mcpServers: {
        additionalProperty: {
          url: "example",
          auth_mode: "none",
          headers: { additionalProperty: "********" },
          oauth_provider_id: "example",
        },
      },
    });
    const server = (await org.json("GET", "/v1/harnesses/deep-research/mcp-servers")).body.data[0];
    expect(server).toMatchObject({
      name: "additionalProperty",
      origin: "harness",
      status: "error",
      last_error: expect.stringContaining('"example" is not an absolute URL'),
      auth: { mode: "headers", header_names: ["additionalProperty"], oauth_provider_id: "example" },
    });
    const tools = (await org.json("GET", "/v1/harnesses/deep-research/tools")).body.data.map((t: any) => t.name);
    expect(tools).toEqual(expect.arrayContaining(["current_time", "web_fetch"]));
  });

  it("seals header values given in a harness's mcpServers (shown redacted; sending the mark back keeps them)", async () => {
    const org = await newOrg();
    const h = await newHarness(org, {
      mcpServers: { recipes: { url: `${MCP}/bearer/mcp`, auth_mode: "api_key", headers: { Authorization: "Bearer test-bearer-token" } } },
    });
    expect(h.mcpServers.recipes.headers).toEqual({ Authorization: "********" });
    const row = await env.DB.prepare("SELECT mcp_servers FROM harnesses WHERE id = ?").bind(h.uid).first<{ mcp_servers: string }>();
    expect(row!.mcp_servers).not.toContain("test-bearer-token");
    const tools = await org.json("GET", `/v1/harnesses/${h.id}/tools?source=mcp`);
    expect(tools.body.data.map((t: any) => t.name)).toContain("mcp_recipes__recipes_search");
    // The GET → PATCH round trip keeps the stored value.
    await org.json("PATCH", `/v1/harnesses/${h.id}`, { mcpServers: h.mcpServers });
    const health = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers/recipes/health`);
    expect(health.body.status).toBe("healthy");
  });
});

describe("network policy on provider base URLs", () => {
  it("refuses a base URL the harness's network_access does not allow, naming the rule", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { network_access: { allowed: ["api.openai.com"] } });
    const res = await org.json("POST", `/v1/harnesses/${h.id}/execute`, {
      message: "hi",
      model: "openai/gpt-4o-mini",
      harness_credentials: { api_key: SIM_OPENAI_KEY, base_url: `${SIM}/openai/v1` },
    });
    const problem = await expectProblem(res, 400, "model_not_available");
    expect(problem.detail).toContain(`allowed: api.openai.com`);
  });
});
