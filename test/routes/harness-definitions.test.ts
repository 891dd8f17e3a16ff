import { env } from "cloudflare:test";
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
      [{ mcpServers: { docs: { url: "" } } }, "body.mcpServers.docs.url"],
      [{ network_access: { allowed: ["https://x.test/path"] } }, "body.network_access.allowed[0]"],
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

describe("the lifecycle seed 002's fields promise", () => {
  it("archives and unarchives: an archived harness refuses new executions and sessions, offering unarchive", async () => {
    const org = await newOrg();
    const created = (await org.json("POST", "/api/v1/harnesses", definition)).body;
    const session = await org.json("POST", "/v1/harnesses/deep-research/sessions", {});
    expect(session.status).toBe(201);
    const archived = await org.json("PATCH", `/api/v1/harnesses/${created.id}`, { status: "archived" });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ status: "archived", archived_at: expect.any(String) });
    expect((await org.json("GET", `/api/v1/harnesses/${created.id}`)).body.status).toBe("archived");
    expect((await org.json("GET", "/v1/harnesses/deep-research")).body.harness.lifecycle).toBe("archived");
    const refusals = [
      await org.json("POST", "/v1/harnesses/deep-research/execute", { message: "hi" }),
      await org.json("POST", "/v1/harnesses/deep-research/execute/stream", { message: "hi" }),
      await org.json("POST", "/v1/harnesses/deep-research/sessions", {}),
      await org.json("POST", `/v1/harnesses/deep-research/sessions/${session.body.session.id}/message`, { content: "hi" }),
    ];
    for (const res of refusals) {
      const problem = await expectProblem(res, 409, "harness_archived");
      expect(problem.allowed_actions).toContainEqual(
        expect.objectContaining({ rel: "unarchive", operation_id: "harnessDefinitions.update", href: `/api/v1/harnesses/${created.id}` }),
      );
    }
    // Still listed (with its status) and editable while archived.
    const listed = await org.json("GET", "/api/v1/harnesses?status=archived");
    expect(listed.body.data.map((h: any) => h.name)).toEqual(["deep-research"]);
    expect((await org.json("PATCH", `/api/v1/harnesses/${created.id}`, { tags: ["old"] })).body).toMatchObject({
      status: "archived",
      tags: ["old"],
    });
    const unarchived = await org.json("PATCH", `/api/v1/harnesses/${created.id}`, { status: "active" });
    expect(unarchived.body).toMatchObject({ status: "active", archived_at: null });
    expect((await org.json("POST", "/v1/harnesses/deep-research/execute", { message: "hi" })).status).toBe(202);
  });

  it("deletes as the seed describes: the record stays as deleted, leaves the lists and frees its name", async () => {
    const org = await newOrg();
    const created = (await org.json("POST", "/api/v1/harnesses", definition)).body;
    expect((await org.json("DELETE", `/api/v1/harnesses/${created.id}`)).status).toBe(204);
    const record = await org.json("GET", `/api/v1/harnesses/${created.id}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ id: created.id, name: "deep-research", status: "deleted", deleted_at: expect.any(String) });
    await expectProblem(await org.json("GET", "/api/v1/harnesses/deep-research"), 404, "harness_not_found");
    await expectProblem(await org.json("GET", "/v1/harnesses/deep-research"), 404, "harness_not_found");
    await expectProblem(await org.json("PATCH", `/api/v1/harnesses/${created.id}`, { tags: [] }), 404, "harness_not_found");
    expect((await org.json("GET", "/api/v1/harnesses")).body.data.map((h: any) => h.name)).not.toContain("deep-research");
    expect((await org.json("GET", "/api/v1/harnesses?status=deleted")).body.data.map((h: any) => h.id)).toEqual([created.id]);
    // The name is free again; the deleted record keeps its own.
    const again = await org.json("POST", "/api/v1/harnesses", definition);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(created.id);
    expect((await org.json("GET", "/api/v1/harnesses/deep-research")).body.id).toBe(again.body.id);
  });

  it("provisions built-in harnesses for every organization, read-only, pointing writes at the copy operation", async () => {
    const org = await newOrg();
    // An organization that lacks its built-ins (created before they existed, or by another tool) gets them listed.
    await env.DB.prepare("DELETE FROM harnesses WHERE org_id = ? AND slug = 'assistant'").bind(org.orgId).run();
    const listed = await org.json("GET", "/api/v1/harnesses");
    const assistant = listed.body.data.find((h: any) => h.name === "assistant");
    expect(assistant).toMatchObject({ is_built_in: true, status: "active" });
    for (const [method, path, body] of [
      ["PATCH", `/api/v1/harnesses/${assistant.id}`, { system_prompt: "x" }],
      ["PATCH", `/api/v1/harnesses/${assistant.id}`, { status: "archived" }],
      ["DELETE", `/api/v1/harnesses/${assistant.id}`, undefined],
      ["PATCH", "/v1/harnesses/assistant", { description: "x" }],
      ["DELETE", "/v1/harnesses/assistant", undefined],
    ] as const) {
      const problem = await expectProblem(await org.json(method, path, body), 409, "harness_read_only");
      expect(problem.allowed_actions).toContainEqual(
        expect.objectContaining({ rel: "copy", operation_id: "harnessDefinitions.copy", href: `/api/v1/harnesses/${assistant.id}/copy` }),
      );
    }
    expect((await org.json("GET", `/api/v1/harnesses/${assistant.id}`)).body).toMatchObject({ status: "active", is_built_in: true });
  });

  it("copies a harness into an editable one", async () => {
    const org = await newOrg();
    const copy = await org.json("POST", "/api/v1/harnesses/assistant/copy", {});
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    const source = (await org.json("GET", "/api/v1/harnesses/assistant")).body;
    expect(copy.body).toMatchObject({
      name: "assistant-copy",
      display_name: "Assistant (copy)",
      is_built_in: false,
      system_prompt: source.system_prompt,
      capabilities: source.capabilities,
      tags: ["assistant"],
    });
    expect(copy.headers.get("location")).toBe(`/api/v1/harnesses/${copy.body.id}`);
    expect((await org.json("PATCH", `/api/v1/harnesses/${copy.body.id}`, { system_prompt: "Mine now." })).body.system_prompt).toBe(
      "Mine now.",
    );
    await expectProblem(await org.json("POST", "/api/v1/harnesses/assistant/copy", {}), 409, "harness_exists");
    const named = await org.json("POST", "/api/v1/harnesses/assistant/copy", { name: "helper", display_name: "Helper" });
    expect(named.body).toMatchObject({ name: "helper", display_name: "Helper" });
    // An empty JSON body is {} (spec §9.3 R10).
    const empty = await org.fetch("/api/v1/harnesses/helper/copy", { method: "POST", headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(201);
    await expectProblem(await (await newOrg()).json("POST", `/api/v1/harnesses/${copy.body.id}/copy`, {}), 404, "harness_not_found");
  });

  it("refuses fields a request may not set, or that no operation knows, naming them", async () => {
    const org = await newOrg();
    const created = (await org.json("POST", "/api/v1/harnesses", definition)).body;
    for (const [method, path, body, field] of [
      ["PATCH", `/api/v1/harnesses/${created.id}`, { is_built_in: true }, "body.is_built_in"],
      ["PATCH", `/api/v1/harnesses/${created.id}`, { deleted_at: "2020-01-01T00:00:00Z" }, "body.deleted_at"],
      ["PATCH", `/api/v1/harnesses/${created.id}`, { status: "deleted" }, "body.status"],
      ["PATCH", `/api/v1/harnesses/${created.id}`, { colour: "blue" }, "body.colour"],
      ["POST", "/api/v1/harnesses", { ...definition, name: "other", status: "archived" }, "body.status"],
      ["POST", "/api/v1/harnesses", { ...definition, name: "other", id: "harness_x" }, "body.id"],
      ["POST", `/api/v1/harnesses/${created.id}/copy`, { system_prompt: "x" }, "body.system_prompt"],
      ["PATCH", "/v1/harnesses/deep-research", { lifecycle: "archived" }, "body.lifecycle"],
    ] as const) {
      const problem = await expectProblem(await org.json(method, path, body), 400, "validation_error");
      expect(problem.error.details.field, JSON.stringify(body)).toBe(field);
    }
    const serverSet = await expectProblem(
      await org.json("PATCH", `/api/v1/harnesses/${created.id}`, { is_built_in: true }),
      400,
      "validation_error",
    );
    expect(serverSet.detail).toContain("set by the server");
    // Nothing was written.
    expect((await org.json("GET", `/api/v1/harnesses/${created.id}`)).body).toMatchObject({ status: "active", is_built_in: false });
  });
});
