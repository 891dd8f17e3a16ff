import { env } from "cloudflare:test";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { zipFiles } from "../../src/lib/zip.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { fixtureBytes } from "../helpers/fixtures.ts";
import { readSse } from "../helpers/sse.ts";

async function importBundle(org: TestOrg, harness: string, bytes: Uint8Array, fields: Record<string, string> = {}, name = "package.zip") {
  const form = new FormData();
  form.append("bundle", new File([bytes], name, { type: "application/zip" }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await org.fetch(`/v1/harnesses/${harness}/agents/import`, { method: "POST", body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function storedState(org: TestOrg) {
  const agents = await env.DB.prepare("SELECT count(*) AS n FROM agents WHERE org_id = ?").bind(org.orgId).first<{ n: number }>();
  const objects = await env.BUCKET.list({ prefix: `orgs/${org.orgId}/` });
  return { agents: agents!.n, objects: objects.objects.length };
}

const AGENT_MD = (fields: Record<string, string>, body = "# Helper\n\n## Purpose\n\nHelps.") =>
  `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n---\n${body}\n`;

const IDENTITY = {
  name: "Helper",
  vendorKey: "acme",
  agentKey: "helper",
  version: "1.0.0",
  slug: "acme/helper",
  description: "A helper agent used to test imports of Open Agent Format packages.",
  author: "Acme",
  license: "MIT",
  tags: "[a, b]",
};

describe("agents.import with the published fixture packages", () => {
  it("imports daily-affirmation: instructions are the AGENTS.md body, bundle kept in R2", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await importBundle(org, h.id, fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip"), {}, "daily-affirmation-0.1.0.zip");
    expect(res.status).toBe(201);
    expect(res.body.agent).toMatchObject({
      name: "Daily Affirmation Agent",
      vendorKey: "openharness",
      agentKey: "daily-affirmation",
      version: "0.1.0",
      slug: "daily-affirmation-agent",
      license: "MIT",
      tags: ["wellness", "motivation", "personal-development", "minimal"],
      config: { model: "haiku" },
      model: "haiku",
      skills: [],
      mcp_servers: [],
      package_path: "package",
      harness_id: h.id,
    });
    expect(res.body.agent.instructions.startsWith("# Daily Affirmation Agent")).toBe(true);
    expect(res.body.agent.instructions).not.toContain("\r");
    expect(res.body.agent.instructions).not.toContain("vendorKey:");
    expect(res.body.agents).toHaveLength(1);
    expect(res.headers.get("location")).toBe(`/v1/harnesses/${h.id}/agents/${res.body.agent.id}`);
    const objects = await env.BUCKET.list({ prefix: `orgs/${org.orgId}/harnesses/${h.uid}/bundles/` });
    expect(objects.objects).toHaveLength(1);
    const got = await org.json("GET", `/v1/harnesses/${h.id}/agents/${res.body.agent.id}`);
    expect(got.body.agent).toEqual(res.body.agent);
  });

  it("imports meeting-summarizer with its skill", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await importBundle(org, h.id, fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip"));
    expect(res.status).toBe(201);
    expect(res.body.agent.skills).toEqual([
      expect.objectContaining({
        skill_id: expect.stringMatching(/^skill_/),
        name: "summarization",
        version: "0.1.0",
        required: true,
        path: "package/skills/summarization",
      }),
    ]);
    expect(res.body.agent.skills[0].description.length).toBeGreaterThan(20);
  });

  it("imports recipe-finder with its skill and MCP server config", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await importBundle(org, h.id, fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    expect(res.status).toBe(201);
    expect(res.body.agent.skills.map((s: any) => s.name)).toEqual(["dietary-preferences"]);
    expect(res.body.agent.mcp_servers).toEqual([
      expect.objectContaining({
        server_id: "recipe-api",
        transport: { type: "http", url: "https://api.example-recipes.com/mcp" },
        tools: ["recipes.search", "recipes.get", "recipes.random"],
        excluded_tools: expect.arrayContaining(["admin.*"]),
        required: true,
      }),
    ]);
  });

  it("imports every agent of a multi-agent package and runs one of them", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bytes = zipFiles({
      "PACKAGE.yaml":
        "name: Team\nversion: 0.1.0\nagents:\n  - slug: acme/writer\n    version: 1.0.0\n    path: writer/\n  - slug: acme/editor\n    version: 1.0.0\n    path: editor/\n",
      "writer/AGENTS.md": AGENT_MD(
        { ...IDENTITY, name: "Writer", agentKey: "writer", slug: "acme/writer" },
        "# Writer\n\n## Purpose\n\nWrites.",
      ),
      "editor/AGENTS.md": AGENT_MD(
        { ...IDENTITY, name: "Editor", agentKey: "editor", slug: "acme/editor" },
        "# Editor\n\n## Purpose\n\nEdits.",
      ),
    });
    const res = await importBundle(org, h.id, bytes);
    expect(res.status).toBe(201);
    expect(res.body.agents.map((a: any) => a.name)).toEqual(["Writer", "Editor"]);
    const list = await org.json("GET", `/v1/harnesses/${h.id}/agents`);
    expect(list.body).toMatchObject({ total: 2, limit: 20, offset: 0, has_more: false });
    // The agent's instructions become its system prompt.
    const run = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "go", agent_id: res.body.agents[1].id, model: "scripted/demo" }),
    });
    const frames = await readSse(run);
    expect(
      frames
        .filter((f) => f.data.type === "text")
        .map((f) => f.data.content)
        .join(""),
    ).toContain("As Editor");
    expect(frames.at(-1)!.data.type).toBe("done");
    const byAgent = await org.json("GET", `/v1/harnesses/${h.id}/executions?agent_id=${res.body.agents[1].id}`);
    expect(byAgent.body.total).toBe(1);
  });

  it("applies merge strategies on a repeated identity", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bytes = fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip");
    const first = await importBundle(org, h.id, bytes);
    const conflict = await expectProblem(await importBundle(org, h.id, bytes), 409, "agent_exists");
    expect(conflict.allowed_actions.map((a: any) => a.rel)).toContain("overwrite");
    const skipped = await importBundle(org, h.id, bytes, { merge_strategy: "skip" });
    expect(skipped.status).toBe(201);
    expect(skipped.body.agent.id).toBe(first.body.agent.id);
    expect(skipped.body.warnings.join(" ")).toContain("skip");
    const renamed = await importBundle(org, h.id, bytes, { merge_strategy: "overwrite", rename_to: "Renamed" });
    expect(renamed.body.agent).toMatchObject({ id: first.body.agent.id, name: "Renamed" });
    expect((await org.json("GET", `/v1/harnesses/${h.id}/agents`)).body.total).toBe(1);
  });
});

describe("agents.import refuses bad packages and leaves nothing behind", () => {
  it.each([
    ["zip-slip", { "../evil.txt": "x", "AGENTS.md": AGENT_MD(IDENTITY) }, 422, "invalid_package"],
    ["absolute path", { "/etc/passwd": "x", "AGENTS.md": AGENT_MD(IDENTITY) }, 422, "invalid_package"],
    ["no AGENTS.md", { "PACKAGE.yaml": "name: x\n", "README.md": "hi" }, 422, "invalid_package"],
    ["bad front matter", { "AGENTS.md": "---\nname: [unclosed\n---\nbody" }, 422, "invalid_package"],
    ["missing identity", { "AGENTS.md": AGENT_MD({ name: "X", version: "1.0.0" }) }, 422, "invalid_package"],
  ])("%s", async (_name, files, status, code) => {
    const org = await newOrg();
    const h = await newHarness(org);
    const body = await expectProblem(await importBundle(org, h.id, zipFiles(files as Record<string, string>)), status, code);
    expect(body.allowed_actions[0].rel).toBe("fix-input");
    expect(await storedState(org)).toEqual({ agents: 0, objects: 0 });
  });

  it.each([
    ["a symbolic link to /etc/passwd", 0o120777, "symbolic link"],
    ["a FIFO", 0o010644, "FIFO"],
    ["a character device", 0o020644, "character device"],
  ])("refuses an entry that is %s, as the other hostile entries", async (_name, mode, what) => {
    const org = await newOrg();
    const h = await newHarness(org);
    // What `zip --symlinks` writes for a link: Unix host, the link's mode in the external attributes, the target as content.
    const bytes = zipSync({
      "AGENTS.md": strToU8(AGENT_MD(IDENTITY)),
      "skills/passwd": [strToU8("/etc/passwd"), { os: 3, attrs: mode << 16 }],
    });
    const body = await expectProblem(await importBundle(org, h.id, bytes), 422, "invalid_package");
    expect(body.detail).toContain(what);
    expect(body.error.details).toMatchObject({ field: "bundle", reason: "unsafe_type", path: "skills/passwd" });
    expect(await storedState(org)).toEqual({ agents: 0, objects: 0 });
  });

  it("accepts regular files and directories with Unix modes", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bytes = zipSync({
      "AGENTS.md": [strToU8(AGENT_MD(IDENTITY)), { os: 3, attrs: 0o100644 << 16 }],
      "notes/": [new Uint8Array(0), { os: 3, attrs: (0o040755 << 16) | 0x10 }],
    });
    expect((await importBundle(org, h.id, bytes)).status).toBe(201);
  });

  it("names what a package needs when AGENTS.md is missing", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const body = await expectProblem(await importBundle(org, h.id, zipFiles({ "notes.md": "hi" })), 422, "invalid_package");
    expect(body.detail).toContain("AGENTS.md");
  });

  it("refuses a zip bomb before inflating it", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    // 100 MB of zeros compresses to ~100 KB; the declared size is over the 64 MB limit.
    const bomb = zipFiles({ "AGENTS.md": AGENT_MD(IDENTITY), "zeros.bin": new Uint8Array(100 * 1024 * 1024) });
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    const body = await expectProblem(await importBundle(org, h.id, bomb), 413, "payload_too_large");
    expect(body.error.details.reason).toBe("too_large");
    expect(await storedState(org)).toEqual({ agents: 0, objects: 0 });
  });

  it("refuses an oversized bundle with 413 from its declared length", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const res = await org.fetch(`/v1/harnesses/${h.id}/agents/import`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(60 * 1024 * 1024) },
      body: "--x--",
    });
    await expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, 413, "payload_too_large");
    expect(await storedState(org)).toEqual({ agents: 0, objects: 0 });
  });

  it("refuses a bundle over 50 MB that does not declare its length up front", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const big = new Uint8Array(51 * 1024 * 1024);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    await expectProblem(await importBundle(org, h.id, big), 413, "payload_too_large");
    expect(await storedState(org)).toEqual({ agents: 0, objects: 0 });
  });

  it("refuses a non-zip, a missing bundle part and a bad merge strategy", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await expectProblem(await importBundle(org, h.id, new TextEncoder().encode("not a zip")), 422, "invalid_package");
    const form = new FormData();
    form.append("merge_strategy", "fail");
    const res = await org.fetch(`/v1/harnesses/${h.id}/agents/import`, { method: "POST", body: form });
    const missing = await expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, 400, "validation_error");
    expect(missing.error.details.field).toBe("form.bundle");
    const strategy = await expectProblem(
      await importBundle(org, h.id, fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip"), { merge_strategy: "merge" }),
      400,
      "validation_error",
    );
    expect(strategy.error.details.field).toBe("form.merge_strategy");
    expect(await storedState(org)).toEqual({ agents: 0, objects: 0 });
  });
});

describe("agents.list / agents.get", () => {
  it("paginates, validates and isolates organizations", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const h = await newHarness(a);
    const imported = await importBundle(a, h.id, fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    await expectProblem(await a.json("GET", `/v1/harnesses/${h.id}/agents?limit=0`), 400, "validation_error");
    await expectProblem(await a.json("GET", `/v1/harnesses/${h.id}/agents/agent_missing`), 404, "agent_not_found");
    await expectProblem(await b.json("GET", `/v1/harnesses/${h.id}/agents`), 404, "harness_not_found");
    const hb = await newHarness(b, { id: h.id });
    await expectProblem(await b.json("GET", `/v1/harnesses/${hb.id}/agents/${imported.body.agent.id}`), 404, "agent_not_found");
    expect((await b.json("GET", `/v1/harnesses/${hb.id}/agents`)).body.total).toBe(0);
    const bImport = await importBundle(b, "not-there", fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    await expectProblem(bImport, 404, "harness_not_found");
    const noAuth = await (await import("../helpers/api.ts")).call(`/v1/harnesses/${h.id}/agents`);
    expect(noAuth.status).toBe(401);
  });
});
