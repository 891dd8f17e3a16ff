import { describe, expect, it } from "vitest";
import { expectProblem, newOrg } from "../helpers/api.ts";

const definition = {
  name: "deep-research",
  display_name: "Deep Research",
  description: "Research harness with planning and web capabilities",
  system_prompt: "You are a research assistant with deep analytical capabilities.",
  capabilities: [{ ref: "current_time", config: {} }, { ref: "workspace_files" }],
  default_model_id: "scripted/echo",
  initial_files: [{ path: "/workspace/README.md", content: "hello", encoding: "text", is_readonly: true }],
  mcpServers: { docs: { type: "http", url: "https://mcp.example.com/mcp", auth_mode: "none" } },
  network_access: { allowed: ["*.example.com"], blocked: ["169.254.169.254"] },
  tags: ["research", "planning"],
};

describe("Everruns-style harness definitions at /api/v1/harnesses", () => {
  it("creates with the Everruns request and answers with the Everruns view of the same record", async () => {
    const org = await newOrg();
    const res = await org.json("POST", "/api/v1/harnesses", definition);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^harness_[0-9a-f]{32}$/),
      name: "deep-research",
      display_name: "Deep Research",
      system_prompt: definition.system_prompt,
      capabilities: definition.capabilities,
      status: "active",
      is_built_in: false,
      archived_at: null,
      deleted_at: null,
    });
    expect(res.body.self_url).toBe(`https://edgeharness.test/api/v1/harnesses/${res.body.id}`);
    expect(res.body.ui_link).toBe(res.body.view_url);
    // One record, two views: the Open Harness API serves it by name.
    const openHarness = await org.json("GET", "/v1/harnesses/deep-research");
    expect(openHarness.body.harness).toMatchObject({ id: "deep-research", uid: res.body.id, name: "Deep Research", kind: "native" });
    expect((await org.json("GET", `/api/v1/harnesses/${res.body.id}`)).body.name).toBe("deep-research");
    const patched = await org.json("PATCH", "/api/v1/harnesses/deep-research", { display_name: "Research", tags: ["x"] });
    expect(patched.body).toMatchObject({ display_name: "Research", tags: ["x"], system_prompt: definition.system_prompt });
    const list = await org.json("GET", "/api/v1/harnesses?limit=50");
    expect(list.body.data.map((h: any) => h.name)).toEqual(expect.arrayContaining(["deep-research", "assistant"]));
    expect((await org.json("DELETE", "/api/v1/harnesses/deep-research")).status).toBe(204);
    await expectProblem(await org.json("GET", "/api/v1/harnesses/deep-research"), 404, "harness_not_found");
  });

  it("validates the request, refuses duplicates and built-ins, and isolates organizations", async () => {
    const org = await newOrg();
    const other = await newOrg();
    for (const [patch, field] of [
      [{ name: "Not Kebab" }, "body.name"],
      [{ system_prompt: undefined }, "body.system_prompt"],
      [{ capabilities: [{ ref: "" }] }, "body.capabilities[0].ref"],
      [{ mcpServers: { docs: { url: "not a url" } } }, "body.mcpServers.docs.url"],
    ] as const) {
      const body = await expectProblem(await org.json("POST", "/api/v1/harnesses", { ...definition, ...patch }), 400, "validation_error");
      expect(body.error.details.field).toBe(field);
    }
    const unknown = await expectProblem(
      await org.json("POST", "/api/v1/harnesses", { ...definition, capabilities: [{ ref: "teleport" }] }),
      400,
      "validation_error",
    );
    expect(unknown.detail).toContain("teleport");
    expect((await org.json("POST", "/api/v1/harnesses", definition)).status).toBe(201);
    await expectProblem(await org.json("POST", "/api/v1/harnesses", definition), 409, "harness_exists");
    await expectProblem(await other.json("GET", "/api/v1/harnesses/deep-research"), 404, "harness_not_found");
    await expectProblem(await other.json("PATCH", "/api/v1/harnesses/deep-research", { tags: [] }), 404, "harness_not_found");
    await expectProblem(await org.json("PATCH", "/api/v1/harnesses/assistant", { system_prompt: "x" }), 409, "harness_read_only");
  });

  it("accepts the mcpServers names common MCP client configs use, within stated bounds", async () => {
    const org = await newOrg();
    const server = { type: "http", url: "https://mcp.example.com/mcp" };
    const names = ["myServer", "brave_search", "brave-search", "server.v2", "GitHub", "a".repeat(64)];
    const res = await org.json("POST", "/api/v1/harnesses", {
      ...definition,
      mcpServers: Object.fromEntries(names.map((n) => [n, server])),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body.mcpServers).sort()).toEqual([...names].sort());
    // The same names at /v1.
    const v1 = await org.json("PATCH", "/v1/harnesses/deep-research", { mcpServers: { myServer: server } });
    expect(Object.keys(v1.body.harness.mcpServers)).toEqual(["myServer"]);
    for (const bad of ["my server", "_hidden", "a".repeat(65), "ünïcode", "../x"]) {
      const problem = await expectProblem(
        await org.json("PATCH", "/api/v1/harnesses/deep-research", { mcpServers: { [bad]: server } }),
        400,
        "validation_error",
      );
      expect(problem.detail).toContain("invalid key");
      expect(problem.detail).not.toContain("Invalid key in record");
    }
  });

  it("names the Everruns field in a validation error, not the internal one", async () => {
    const org = await newOrg();
    const create = await expectProblem(
      await org.json("POST", "/api/v1/harnesses", { ...definition, capabilities: [{ ref: "current_time" }, { ref: "teleport" }] }),
      400,
      "validation_error",
    );
    expect(create.error.details.field).toBe("body.capabilities[1].ref");
    expect(create.detail).not.toContain("capability_refs");
    expect((await org.json("POST", "/api/v1/harnesses", definition)).status).toBe(201);
    const update = await expectProblem(
      await org.json("PATCH", "/api/v1/harnesses/deep-research", { capabilities: [{ ref: "teleport" }] }),
      400,
      "validation_error",
    );
    expect(update.error.details.field).toBe("body.capabilities[0].ref");
    // The Open Harness view keeps its own name.
    const v1 = await expectProblem(
      await org.json("PATCH", "/v1/harnesses/deep-research", { capability_refs: [{ ref: "teleport" }] }),
      400,
      "validation_error",
    );
    expect(v1.error.details.field).toBe("body.capability_refs[0].ref");
  });

  it("serves the catalog of capability refs", async () => {
    const org = await newOrg();
    const res = await org.json("GET", "/api/v1/capabilities");
    expect(res.status).toBe(200);
    const refs = res.body.data.map((c: any) => c.ref);
    expect(refs).toEqual(expect.arrayContaining(["current_time", "workspace_files", "ask_user"]));
    const files = res.body.data.find((c: any) => c.ref === "workspace_files");
    expect(files.tools.map((t: any) => t.name)).toEqual(["read_file", "write_file", "edit_file", "list_files", "glob", "grep"]);
  });
});
