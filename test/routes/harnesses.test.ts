import { describe, expect, it } from "vitest";
import { UNSUPPORTED_OPERATIONS } from "../../src/routes/v1/unsupported.ts";
import { call, expectProblem, newHarness, newOrg } from "../helpers/api.ts";

const base = { name: "Deep Research", vendor: "Acme", description: "Research harness", execution_type: "hosted", config: {} };

async function problemOf(res: Response) {
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe("harnesses.register", () => {
  it("registers a native harness with the Everruns fields and reads it back by slug and typed id", async () => {
    const org = await newOrg();
    const res = await org.json("POST", "/v1/harnesses", {
      id: "research",
      ...base,
      system_prompt: "You are a research assistant.",
      capability_refs: [{ ref: "current_time" }, { ref: "workspace_files", config: { root: "/" } }],
      default_model_id: "scripted/echo",
      initial_files: [{ path: "/workspace/README.md", content: "hi" }],
      mcpServers: { docs: { type: "http", url: "https://mcp.example.com/mcp", auth_mode: "none" } },
      network_access: { allowed: ["*.example.com"], blocked: ["169.254.169.254"] },
      tags: ["research"],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/v1/harnesses/research");
    expect(res.body.harness).toMatchObject({
      id: "research",
      name: "Deep Research",
      vendor: "Acme",
      kind: "native",
      status: "active",
      lifecycle: "active",
      system_prompt: "You are a research assistant.",
      default_model_id: "scripted/echo",
      tags: ["research"],
      network_access: { allowed: ["*.example.com"], blocked: ["169.254.169.254"] },
      mcpServers: { docs: { url: "https://mcp.example.com/mcp" } },
      is_built_in: false,
      self_url: "https://edgeharness.test/v1/harnesses/research",
    });
    expect(res.body.harness.capability_refs).toHaveLength(2);
    expect(res.body.harness.capabilities.execution).toMatchObject({
      supported: true,
      operations: expect.arrayContaining(["sync", "stream", "cancel"]),
    });
    expect(res.body.harness.uid).toMatch(/^harness_[0-9a-f]{32}$/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const bySlug = await org.json("GET", "/v1/harnesses/research");
    expect(bySlug.body.harness.uid).toBe(res.body.harness.uid);
    const byId = await org.json("GET", `/v1/harnesses/${res.body.harness.uid}`);
    expect(byId.body.harness.id).toBe("research");
    // Clients that drop the /v1 base path (spec §9.1 #4) reach the same resource.
    const unprefixed = await org.json("GET", "/harnesses/research");
    expect(unprefixed.body.harness.uid).toBe(res.body.harness.uid);
  });

  it("derives registry-only harnesses for ide/sdk tools, and remote ones (proxies) from a hosted base URL", async () => {
    const org = await newOrg();
    const ide = await org.json("POST", "/v1/harnesses", {
      ...base,
      id: "my-ide",
      execution_type: "ide",
      config: { binary_path: "/usr/bin/ide" },
    });
    expect(ide.body.harness.kind).toBe("registry");
    expect(ide.body.harness.capabilities.execution.supported).toBe(false);
    const remote = await org.json("POST", "/v1/harnesses", {
      ...base,
      id: "remote",
      config: { base_url: "https://harness.example.com/v1" },
    });
    expect(remote.body.harness.kind).toBe("remote");
    await expectProblem(await org.json("POST", "/v1/harnesses/my-ide/execute", { message: "hi" }), 501, "capability_not_supported");
  });

  it("refuses a taken id with 409 and an allowed action", async () => {
    const org = await newOrg();
    await newHarness(org, { id: "dup" });
    const body = await expectProblem(await org.json("POST", "/v1/harnesses", { ...base, id: "dup" }), 409, "harness_exists");
    expect(body.allowed_actions[0]).toMatchObject({ rel: "get-existing", operation_id: "harnesses.get" });
    // The same id in another organization is fine: slugs are per organization.
    const other = await newOrg();
    expect((await other.json("POST", "/v1/harnesses", { ...base, id: "dup" })).status).toBe(201);
  });

  it.each([
    ["id", { id: "Not Kebab" }],
    ["id", { id: "a".repeat(65) }],
    ["name", { name: "" }],
    ["name", { name: "n".repeat(101) }],
    ["vendor", { vendor: "" }],
    ["vendor", { vendor: "v".repeat(101) }],
    ["description", { description: "" }],
    ["description", { description: "d".repeat(1001) }],
    ["execution_type", { execution_type: "cloud" }],
    ["status", { status: "gone" }],
    ["config.base_url", { config: { base_url: "not a url" } }],
    ["tags[0]", { tags: [""] }],
    ["capability_refs[0].ref", { capability_refs: [{ ref: "" }] }],
  ])("names the offending field %s", async (field, patch) => {
    const org = await newOrg();
    const body = await expectProblem(await org.json("POST", "/v1/harnesses", { ...base, id: "ok-id", ...patch }), 400, "validation_error");
    expect(body.error.details.field).toBe(`body.${field}`);
    // Nothing was created: the organization still has only its built-in assistant.
    expect((await org.json("GET", "/v1/harnesses")).body.data.map((h: any) => h.id)).toEqual(["assistant"]);
  });

  // id, description, execution_type and config have defaults for the reference client's body (below).
  it.each(["name", "vendor"])("requires %s", async (field) => {
    const org = await newOrg();
    const body: Record<string, unknown> = { ...base, id: "ok-id" };
    delete body[field];
    const problem = await expectProblem(await org.json("POST", "/v1/harnesses", body), 400, "validation_error");
    expect(problem.error.details.field).toBe(`body.${field}`);
  });

  it("refuses unknown capability refs and malformed JSON", async () => {
    const org = await newOrg();
    const unknown = await expectProblem(
      await org.json("POST", "/v1/harnesses", { ...base, id: "x", capability_refs: [{ ref: "teleport" }] }),
      400,
      "validation_error",
    );
    expect(unknown.detail).toContain("teleport");
    const res = await org.fetch("/v1/harnesses", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    await expectProblem(await problemOf(res), 400, "invalid_json");
  });
});

describe("harnesses.list", () => {
  it("paginates with the spec envelope and filters by status and execution_type", async () => {
    const org = await newOrg();
    for (let i = 0; i < 5; i++) await newHarness(org, { id: `h-${i}`, status: i % 2 ? "beta" : "active" });
    await org.json("POST", "/v1/harnesses", { ...base, id: "ide", execution_type: "ide" });
    // Seven with the built-in assistant, which every organization has from its creation (listed first).
    const page = await org.json("GET", "/v1/harnesses?limit=2&offset=2");
    expect(page.body).toMatchObject({ total: 7, limit: 2, offset: 2, has_more: true });
    expect(page.body.data.map((h: any) => h.id)).toEqual(["h-1", "h-2"]);
    const last = await org.json("GET", "/v1/harnesses?limit=2&offset=5");
    expect(last.body.has_more).toBe(false);
    expect((await org.json("GET", "/v1/harnesses?status=beta")).body.total).toBe(2);
    expect((await org.json("GET", "/v1/harnesses?execution_type=ide")).body.data.map((h: any) => h.id)).toEqual(["ide"]);
    const defaults = await org.json("GET", "/v1/harnesses");
    expect(defaults.body).toMatchObject({ limit: 20, offset: 0 });
  });

  it.each(["limit=0", "limit=101", "offset=-1", "limit=abc", "status=gone", "execution_type=cloud"])("rejects %s", async (query) => {
    const org = await newOrg();
    const body = await expectProblem(await org.json("GET", `/v1/harnesses?${query}`), 400, "validation_error");
    expect(body.error.details.field).toBe(`query.${query.split("=")[0]}`);
  });

  it("lists only the caller's organization", async () => {
    const a = await newOrg();
    const b = await newOrg();
    await newHarness(a, { id: "only-a" });
    expect((await b.json("GET", "/v1/harnesses")).body.data.map((h: any) => h.id)).toEqual(["assistant"]);
  });
});

describe("harnesses.update", () => {
  it("patches fields, merges config and keeps immutable fields", async () => {
    const org = await newOrg();
    await org.json("POST", "/v1/harnesses", { ...base, id: "upd", config: { skills_path: "/skills" } });
    const res = await org.json("PATCH", "/v1/harnesses/upd", {
      name: "Renamed",
      config: { binary_path: "/bin/x" },
      status: "maintenance",
      tags: ["a"],
    });
    expect(res.status).toBe(200);
    expect(res.body.harness).toMatchObject({
      id: "upd",
      name: "Renamed",
      vendor: "Acme",
      status: "maintenance",
      tags: ["a"],
      config: { skills_path: "/skills", binary_path: "/bin/x" },
    });
    expect(res.body.harness.updated_at >= res.body.harness.created_at).toBe(true);
  });

  it("sets a parent and refuses a cycle", async () => {
    const org = await newOrg();
    const parent = await newHarness(org, { id: "parent" });
    await newHarness(org, { id: "child", parent_harness_id: "parent" });
    const cycle = await expectProblem(
      await org.json("PATCH", "/v1/harnesses/parent", { parent_harness_id: "child" }),
      400,
      "validation_error",
    );
    expect(cycle.error.details.field).toBe("body.parent_harness_id");
    const child = await org.json("GET", "/v1/harnesses/child");
    expect(child.body.harness.parent_harness_id).toBe(parent.uid);
    await expectProblem(await org.json("PATCH", "/v1/harnesses/child", { parent_harness_id: "missing" }), 404, "harness_not_found");
  });

  it("validates bounds and answers 404 across organizations", async () => {
    const a = await newOrg();
    const b = await newOrg();
    await newHarness(a, { id: "mine" });
    await expectProblem(await a.json("PATCH", "/v1/harnesses/mine", { name: "" }), 400, "validation_error");
    await expectProblem(await a.json("PATCH", "/v1/harnesses/mine", { status: "gone" }), 400, "validation_error");
    await expectProblem(await b.json("PATCH", "/v1/harnesses/mine", { name: "x" }), 404, "harness_not_found");
    expect((await a.json("GET", "/v1/harnesses/mine")).body.harness.name).toBe("Test Harness");
  });
});

describe("harnesses.unregister", () => {
  it("deletes with 204, refuses while an execution runs, and is 404 for others", async () => {
    const org = await newOrg();
    const other = await newOrg();
    await newHarness(org, { id: "busy", default_model_id: "scripted/count" });
    const run = await org.json("POST", "/v1/harnesses/busy/execute", { message: "count to 50 every 20ms" });
    const busy = await expectProblem(await org.json("DELETE", "/v1/harnesses/busy"), 409, "harness_busy");
    expect(busy.allowed_actions.map((a: any) => a.rel)).toContain("retry-later");
    await expectProblem(await other.json("DELETE", "/v1/harnesses/busy"), 404, "harness_not_found");
    await org.json("POST", `/v1/harnesses/busy/executions/${run.body.execution_id}/cancel`);
    for (let i = 0; i < 100; i++) {
      const res = await org.json("DELETE", "/v1/harnesses/busy");
      if (res.status === 204) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await expectProblem(await org.json("GET", "/v1/harnesses/busy"), 404, "harness_not_found");
  });
});

describe("harnesses.capabilities", () => {
  it("lists exactly the served operations, and every other operation answers 501 naming itself", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.json("GET", `/v1/harnesses/${h.id}/capabilities`);
    expect(res.body).toMatchObject({ harness_id: h.id, harness_name: "Test Harness", version: expect.any(String) });
    expect(Object.keys(res.body.capabilities)).toEqual([
      "agents",
      "skills",
      "mcp",
      "execution",
      "sessions",
      "memory",
      "subagents",
      "files",
      "hooks",
      "planning",
      "models",
    ]);
    expect(res.body.capabilities.agents).toEqual({
      supported: true,
      operations: ["create", "update", "delete", "clone", "export", "import"],
    });
    expect(res.body.capabilities.skills).toEqual({
      supported: true,
      operations: ["register", "install", "discover", "version", "rollback", "validate"],
    });
    expect(res.body.capabilities.sessions).toMatchObject({
      supported: true,
      operations: ["create", "resume", "fork", "history", "named", "delete"],
    });
    expect(res.body.capabilities.memory).toMatchObject({
      supported: true,
      operations: ["blocks", "search", "archive", "cross-session", "read-only"],
    });
    for (const [operationId, method, path, domain] of UNSUPPORTED_OPERATIONS) {
      const url = `/v1${path.replace("{harnessId}", h.id).replace(/\{\w+\}/g, "x")}`;
      const r = await org.fetch(url, {
        method: method.toUpperCase(),
        headers: { "content-type": "application/json" },
        body: method === "get" || method === "delete" ? undefined : "{}",
      });
      const body = await expectProblem(await problemOf(r), 501, "capability_not_supported");
      expect(body.error).toMatchObject({ operation: operationId, domain });
    }
  });

  it("answers 404 for another organization's harness and 401 without credentials", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const h = await newHarness(a);
    await expectProblem(await b.json("GET", `/v1/harnesses/${h.id}/capabilities`), 404, "harness_not_found");
    await expectProblem(
      await b.json("POST", `/v1/harnesses/${h.id}/skills`, { source: { type: "inline", content: "x" } }),
      404,
      "harness_not_found",
    );
    await expectProblem(await problemOf(await call(`/v1/harnesses/${h.id}/capabilities`)), 401, "unauthorized");
  });
});

describe("harnesses.register as the reference TypeScript client sends it", () => {
  it("derives the id from the name, stores the version, and answers 409 on a collision", async () => {
    const org = await newOrg();
    const sent = { name: "Claude Code (beta)", version: "1.2.3", vendor: "Anthropic", capabilities: [] };
    const res = await org.json("POST", "/v1/harnesses", sent);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.harness).toMatchObject({ id: "claude-code-beta", name: "Claude Code (beta)", vendor: "Anthropic", version: "1.2.3" });
    expect(res.headers.get("location")).toBe("/v1/harnesses/claude-code-beta");
    expect((await org.json("GET", "/v1/harnesses/claude-code-beta")).body.harness.version).toBe("1.2.3");
    const again = await expectProblem(await org.json("POST", "/v1/harnesses", sent), 409, "harness_exists");
    expect(again.detail).toContain("derived from the name");
    expect(again.error.details).toMatchObject({ harness_id: "claude-code-beta", derived_from: "name" });
    // Slug rules: accents dropped, runs of other characters one hyphen, no hyphen at the ends.
    expect((await org.json("POST", "/v1/harnesses", { name: "  Ünïcode -- Tools! ", vendor: "X" })).body.harness.id).toBe("unicode-tools");
    const noLetters = await expectProblem(await org.json("POST", "/v1/harnesses", { name: "!!!", vendor: "X" }), 400, "validation_error");
    expect(noLetters.error.details.field).toBe("body.name");
  });

  it("refuses what it cannot honour, naming the field, instead of dropping it", async () => {
    const org = await newOrg();
    const cases: [Record<string, unknown>, string][] = [
      [{ capabilities: ["execution", "sessions"] }, "body.capabilities"],
      [{ credentials: { api_key: "sk-test" } }, "body.credentials"],
      [{ homepage: "https://example.com" }, "body.homepage"],
    ];
    for (const [extra, field] of cases) {
      const res = await org.json("POST", "/v1/harnesses", { name: "Refused", vendor: "X", ...extra });
      const problem = await expectProblem(res, 400, "validation_error");
      expect(problem.error.details.field).toBe(field);
      expect(problem.detail).toContain(field);
    }
    expect((await org.json("GET", "/v1/harnesses/refused")).status).toBe(404);
    const h = await newHarness(org);
    const patched = await expectProblem(await org.json("PATCH", `/v1/harnesses/${h.id}`, { vendor: "Other" }), 400, "validation_error");
    expect(patched.error.details.field).toBe("body.vendor");
  });
});

describe("harnesses.health", () => {
  it("reports the harness's checks to its own organization only", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.json("GET", `/v1/harnesses/${h.id}/health`);
    expect(res.body).toMatchObject({ status: "healthy", healthy: true, latency_ms: expect.any(Number) });
    expect(res.body.checks.map((c: any) => c.name)).toEqual(["registry", "database", "object_storage", "model"]);
    expect((await org.json("GET", `/v1/harnesses/${h.uid}/health`)).status).toBe(200);
    const other = await newOrg();
    await expectProblem(await other.json("GET", `/v1/harnesses/${h.uid}/health`), 404, "harness_not_found");
  });

  it("without credentials says only that the deployment is up, identically for every id", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "anthropic/claude-sonnet-4-5" });
    const ids = [h.uid, h.id, "harness_00000000000000000000000000000000", "no-such-harness"];
    const bodies = [];
    for (const id of ids) {
      const res = await call(`/v1/harnesses/${id}/health`);
      expect(res.status, id).toBe(200);
      const { latency_ms, ...rest } = (await res.json()) as any;
      expect(latency_ms).toEqual(expect.any(Number));
      bodies.push(rest);
    }
    // A degraded harness of another organization is not told apart from a missing one.
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0]).toEqual({
      status: "healthy",
      healthy: true,
      version: expect.any(String),
      checks: [{ name: "deployment", status: "pass" }],
    });
  });

  it("is degraded when the default model cannot be called, and 401 for a bad key", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "anthropic/claude-sonnet-4-5" });
    const res = await org.json("GET", `/v1/harnesses/${h.id}/health`);
    expect(res.body.status).toBe("degraded");
    expect(res.body.checks.find((c: any) => c.name === "model")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("anthropic"),
    });
    await expectProblem(
      await problemOf(await call(`/v1/harnesses/${h.uid}/health`, { headers: { authorization: "Bearer eh_sk_nope" } })),
      401,
      "unauthorized",
    );
  });
});

describe("authentication", () => {
  it.each([
    ["missing", undefined],
    ["not bearer", "Basic abc"],
    ["garbage", "Bearer garbage"],
    ["well-formed but unknown", `Bearer eh_sk_${"0".repeat(32)}_secret`],
  ])("answers 401 for %s credentials", async (_name, header) => {
    const res = await call("/v1/harnesses", header ? { headers: { authorization: header } } : {});
    const body = await expectProblem(await problemOf(res), 401, "unauthorized");
    expect(body.allowed_actions[0].rel).toBe("authenticate");
  });

  it("rejects a key whose secret part was altered", async () => {
    const org = await newOrg();
    const tampered = org.token.slice(0, -2) + (org.token.endsWith("A") ? "BB" : "AA");
    await expectProblem(
      await problemOf(await call("/v1/harnesses", { headers: { authorization: `Bearer ${tampered}` } })),
      401,
      "unauthorized",
    );
  });
});

describe("unknown routes and methods", () => {
  it("answers problem bodies for 404 and 405", async () => {
    const org = await newOrg();
    await expectProblem(await problemOf(await org.fetch("/v1/nothing-here")), 404, "route_not_found");
    const res = await org.fetch("/v1/harnesses", { method: "PUT" });
    const body = await expectProblem(await problemOf(res), 405, "method_not_allowed");
    expect(res.headers.get("allow")).toContain("GET");
    expect(body.error.details.allowed_methods).toEqual(expect.arrayContaining(["GET", "POST"]));
  });
});
