/**
 * Open Harness domain 2 beyond import: create, update, delete, clone, export — and the round trips on
 * every published sample package: export(import(p)) holds every file of p byte for byte where the file
 * was not generated, and import(export(a)) gives an agent equal to a in every field.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unzipSafely, zipFiles } from "../../src/lib/zip.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { fixtureBytes, fixtureNames } from "../helpers/fixtures.ts";

const PACKAGES = fixtureNames().filter((n) => n.startsWith("oaf-samples/"));

async function importBundle(org: TestOrg, harness: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append("bundle", new File([bytes], "package.zip", { type: "application/zip" }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await org.fetch(`/v1/harnesses/${harness}/agents/import`, { method: "POST", body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function exportAgent(org: TestOrg, harness: string, agentId: string, query = "") {
  const res = await org.fetch(`/v1/harnesses/${harness}/agents/${agentId}/export${query}`);
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  return { headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Every field of the Agent view that a package carries (ids, harness and timestamps are the server's). */
function portable(agent: any) {
  const { id: _id, harness_id: _h, created_at: _c, updated_at: _u, skills, ...rest } = agent;
  return { ...rest, skills: skills.map(({ skill_id: _s, ...ref }: any) => ref) };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

describe("round trips on every sample package", () => {
  it("finds the sample packages", () => {
    expect(PACKAGES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(PACKAGES)("export(import(%s)) holds every file of the package, byte for byte", async (name) => {
    const org = await newOrg();
    const h = await newHarness(org);
    const original = fixtureBytes(name);
    const imported = await importBundle(org, h.id, original);
    expect(imported.status).toBe(201);
    const originalFiles = unzipSafely(original);
    for (const agent of imported.body.agents) {
      const exported = await exportAgent(org, h.id, agent.id);
      expect(exported.headers.get("content-disposition")).toBe(`attachment; filename="${agent.agentKey}.zip"`);
      const files = unzipSafely(exported.bytes);
      const mine =
        imported.body.agents.length === 1
          ? [...originalFiles.keys()]
          : [...originalFiles.keys()].filter((p) => p.startsWith(`${agent.package_path}/`));
      for (const path of mine) expect(sameBytes(files.get(path), originalFiles.get(path)), `${name}: ${path}`).toBe(true);
    }
  });

  it.each(PACKAGES)("import(export(a)) gives an agent equal to a in every field (%s, as imported and after changes)", async (name) => {
    const org = await newOrg();
    const h = await newHarness(org);
    const other = await newHarness(org);
    const imported = await importBundle(org, h.id, fixtureBytes(name));
    const agent = imported.body.agent;
    // As imported.
    const again = await importBundle(org, other.id, (await exportAgent(org, h.id, agent.id)).bytes);
    expect(again.status).toBe(201);
    expect(portable(again.body.agent)).toEqual(portable(agent));
    // After changes to everything the package carries.
    const changed = await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${agent.id}`, {
      name: `${agent.name} (edited)`,
      description: "Edited description of the agent, long enough for the Open Agent Format rules.",
      instructions: "# Edited\n\n## Purpose\n\nDo the edited thing.\n",
      version: "0.2.0",
      tags: ["edited", "round-trip"],
      config: {
        temperature: 0.3,
        max_tokens: 900,
        tools_access: { allow: ["read_*"], deny: ["write_file"] },
        model: { provider: "anthropic", name: "claude-sonnet-4-5" },
      },
      mcp_servers: [{ server_id: "weather", tools: ["forecast"], transport: { type: "http", url: "https://weather.example.com/mcp" } }],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const third = await newHarness(org);
    const exported = (await exportAgent(org, h.id, agent.id)).bytes;
    const back = await importBundle(org, third.id, exported);
    expect(back.status).toBe(201);
    expect(portable(back.body.agent)).toEqual(portable(changed.body.agent));
    // Into the same harness, overwriting: the same agent, id included.
    const overwrite = await importBundle(org, h.id, exported, { merge_strategy: "overwrite" });
    const { updated_at: _a, ...was } = changed.body.agent;
    const { updated_at: _b, ...now } = overwrite.body.agent;
    expect(now).toEqual(was);
  });
});

describe("agents.import and skills", () => {
  it("re-importing a package whose skill changed stores a new version of the agent's skill (history kept); an unchanged one stays", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const original = unzipSafely(fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip"));
    const first = (await importBundle(org, h.id, fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip"))).body.agent;
    const same = await importBundle(org, h.id, fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip"), { merge_strategy: "overwrite" });
    expect(same.body.agent.skills).toEqual(first.skills);
    const changed = new Map(original);
    changed.set(
      "package/skills/summarization/SKILL.md",
      new TextEncoder().encode("---\nname: summarization\ndescription: Summaries, reworked.\n---\n# Reworked\n"),
    );
    const again = await importBundle(org, h.id, zipFiles(Object.fromEntries(changed)), { merge_strategy: "overwrite" });
    expect(again.body.agent.skills[0]).toMatchObject({
      skill_id: first.skills[0].skill_id,
      version: "0.1.1",
      description: "Summaries, reworked.",
    });
    expect(again.body.warnings.join("\n")).toContain("stored as version 0.1.1");
    const versions = await org.json("GET", `/v1/harnesses/${h.id}/skills/${first.skills[0].skill_id}/versions`);
    expect(versions.body.versions.map((v: any) => v.version)).toEqual(["0.1.0", "0.1.1"]);
  });

  it("exports versions/ only with include_versions=true", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const files = new Map(unzipSafely(fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip")));
    files.set("package/versions/v0.0.9/AGENTS.md", new TextEncoder().encode("old"));
    const agent = (await importBundle(org, h.id, zipFiles(Object.fromEntries(files)))).body.agent;
    expect([...unzipSafely((await exportAgent(org, h.id, agent.id)).bytes).keys()]).not.toContain("package/versions/v0.0.9/AGENTS.md");
    expect([...unzipSafely((await exportAgent(org, h.id, agent.id, "?include_versions=true")).bytes).keys()]).toContain(
      "package/versions/v0.0.9/AGENTS.md",
    );
  });
});

describe("agents.export", () => {
  it("writes AGENTS.md anew when the agent changed, keeping the front matter's comments; PACKAGE.yaml finds it", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const imported = await importBundle(org, h.id, fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    const id = imported.body.agent.id;
    await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${id}`, { name: "Recipe Finder Pro" });
    const files = unzipSafely((await exportAgent(org, h.id, id)).bytes);
    const agentsMd = new TextDecoder().decode(files.get("package/AGENTS.md"));
    expect(agentsMd).toContain("# OAF Identity (required)");
    expect(agentsMd).toContain("name: Recipe Finder Pro");
    expect(agentsMd).toContain("entrypoint: structured");
    expect(agentsMd).toContain("\r\n");
    const pkg = new TextDecoder().decode(files.get("PACKAGE.yaml"));
    expect(pkg).toContain("path: package/");
    expect(pkg).toContain("name: Recipe Finder Pro");
    // The skill and MCP files are still the package's own.
    const original = unzipSafely(fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    expect(
      sameBytes(files.get("package/skills/dietary-preferences/SKILL.md"), original.get("package/skills/dietary-preferences/SKILL.md")),
    ).toBe(true);
    expect(
      sameBytes(files.get("package/mcp-configs/recipe-api/config.yaml"), original.get("package/mcp-configs/recipe-api/config.yaml")),
    ).toBe(true);
  });

  it("exports an agent created without a package as a root AGENTS.md; with its memory on request; refuses referenced mode; 404s", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const created = await org.json("POST", `/v1/harnesses/${h.id}/agents`, {
      name: "Plain Agent",
      model: "scripted/echo",
      system_prompt: "# Plain\n\nBe plain.",
    });
    expect(created.status).toBe(201);
    expect(created.body.agent.config).toEqual({ model: "scripted/echo", system_prompt: "# Plain\n\nBe plain." });
    const files = unzipSafely((await exportAgent(org, h.id, created.body.agent.id)).bytes);
    expect([...files.keys()].sort()).toEqual(["AGENTS.md", "PACKAGE.yaml"]);
    const back = await importBundle(org, (await newHarness(org)).id, zipFiles(Object.fromEntries(files)));
    expect(portable(back.body.agent)).toEqual(portable(created.body.agent));
    const ref = await org.json("GET", `/v1/harnesses/${h.id}/agents/${created.body.agent.id}/export?contents_mode=referenced`);
    expect((await expectProblem(ref, 400, "validation_error")).error.details.field).toBe("query.contents_mode");
    // With its memory: a snapshot under memory/ that memory.import reads back.
    const block = await org.json("POST", `/v1/harnesses/${h.id}/agents/${created.body.agent.id}/memory/blocks`, {
      label: "human",
      value: "Likes tea.",
    });
    expect(block.status, JSON.stringify(block.body)).toBe(201);
    const withMemory = unzipSafely((await exportAgent(org, h.id, created.body.agent.id, "?include_memory=true")).bytes);
    expect([...withMemory.keys()].sort()).toEqual([
      "AGENTS.md",
      "PACKAGE.yaml",
      "memory/archive.json",
      "memory/blocks.json",
      "memory/metadata.json",
    ]);
    expect(JSON.parse(new TextDecoder().decode(withMemory.get("memory/blocks.json")))).toEqual([
      expect.objectContaining({ label: "human", value: "Likes tea." }),
    ]);
    await expectProblem(
      await org.json("GET", `/v1/harnesses/${h.id}/agents/${created.body.agent.id}/export?include_memory=maybe`),
      400,
      "validation_error",
    );
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/agents/agent_none/export`), 404, "agent_not_found");
    const stranger = await newOrg();
    await expectProblem(
      await stranger.json("GET", `/v1/harnesses/${h.id}/agents/${created.body.agent.id}/export`),
      404,
      "harness_not_found",
    );
  });
});

describe("agents.create", () => {
  it("creates from files parts with AGENTS.md at the root (metadata overrides), registering its skills", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const form = new FormData();
    form.append(
      "files",
      new File(
        [
          "---\nname: Draft Name\ndescription: A helper that writes release notes for the team each week.\n---\n# Notes Writer\n\n## Purpose\n\nWrite notes.\n",
        ],
        "AGENTS.md",
      ),
    );
    form.append(
      "files",
      new File(
        ["---\nname: changelog\ndescription: Formats changelogs. Use when asked for release notes.\n---\n# Changelog\n\nGroup by type.\n"],
        "skills/changelog/SKILL.md",
      ),
    );
    form.append("files", new File(["Example"], "examples/one.md"));
    form.append("metadata", JSON.stringify({ name: "Notes Writer" }));
    const res = await org.fetch(`/v1/harnesses/${h.id}/agents`, { method: "POST", body: form });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.agent).toMatchObject({
      name: "Notes Writer",
      vendorKey: "local",
      agentKey: "notes-writer",
      version: "0.1.0",
      package_path: "",
    });
    expect(body.agent.skills).toEqual([
      expect.objectContaining({ name: "changelog", version: "0.1.0", required: true, path: "skills/changelog" }),
    ]);
    expect(body.warnings.join("\n")).toContain("no vendorKey");
    const skills = await org.json("GET", `/v1/harnesses/${h.id}/skills?agent_id=${body.agent.id}`);
    expect(skills.body.data.map((s: any) => [s.name, s.category])).toEqual([["changelog", "plugin"]]);
    // The name is unique on the harness.
    const again = new FormData();
    again.append("files", new File(["---\nname: Notes Writer\nagentKey: other\n---\n# X\n"], "AGENTS.md"));
    const dup = await org.fetch(`/v1/harnesses/${h.id}/agents`, { method: "POST", body: again });
    await expectProblem({ status: dup.status, headers: dup.headers, body: await dup.json() }, 409, "agent_exists");
  });

  it("refuses a nested AGENTS.md, no files, bad metadata, hostile paths and unknown skills; other organizations get 404", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const send = async (parts: [string, string][], metadata?: string) => {
      const form = new FormData();
      for (const [path, text] of parts) form.append("files", new File([text], path));
      if (metadata !== undefined) form.append("metadata", metadata);
      const res = await org.fetch(`/v1/harnesses/${h.id}/agents`, { method: "POST", body: form });
      return { status: res.status, headers: res.headers, body: (await res.json()) as any };
    };
    const nested = await expectProblem(await send([["agent/AGENTS.md", "---\nname: X\n---\n# X\n"]]), 422, "invalid_package");
    expect(nested.detail).toContain("agent/AGENTS.md");
    await expectProblem(await send([["../AGENTS.md", "x"]]), 422, "invalid_package");
    await expectProblem(await send([]), 400, "validation_error");
    const meta = await expectProblem(
      await send([["AGENTS.md", "---\nname: X\n---\n# X\n"]], JSON.stringify({ name: "Y", colour: "red" })),
      400,
      "validation_error",
    );
    expect(meta.error.details.field).toBe("form.metadata.colour");
    await expectProblem(await send([["AGENTS.md", "---\nname: [x\n---\n"]]), 422, "invalid_package");
    const unknown = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/agents`, { name: "J", model: "scripted/echo", skills: ["nope"] }),
      404,
      "skill_not_found",
    );
    expect(unknown.error.details.skills).toEqual(["nope"]);
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/agents`, { model: "scripted/echo" }), 400, "validation_error");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/agents`, { name: "J", colour: "red" }), 400, "validation_error");
    const stranger = await newOrg();
    await expectProblem(
      await stranger.json("POST", `/v1/harnesses/${h.id}/agents`, { name: "J", model: "scripted/echo" }),
      404,
      "harness_not_found",
    );
    expect((await org.json("GET", `/v1/harnesses/${h.id}/agents`)).body.total).toBe(0);
  });
});

describe("agents.update", () => {
  it("changes configuration, links harness skills, and refuses a taken name, unknown skills and unknown fields", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const a = (await org.json("POST", `/v1/harnesses/${h.id}/agents`, { name: "A", model: "scripted/echo" })).body.agent;
    await org.json("POST", `/v1/harnesses/${h.id}/agents`, { name: "B", model: "scripted/echo" });
    const skill = await org.json("POST", `/v1/harnesses/${h.id}/skills`, {
      source: { type: "inline", content: "---\nname: tone\ndescription: Keeps a friendly tone. Use for every reply.\n---\nBe friendly.\n" },
    });
    expect(skill.status).toBe(201);
    const res = await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, {
      instructions: "# A\n\nNew instructions.",
      config: { temperature: 0.5 },
      model: "scripted/demo",
      skills: ["tone"],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.agent).toMatchObject({
      instructions: "# A\n\nNew instructions.",
      config: { model: "scripted/demo", temperature: 0.5 },
      model: "scripted/demo",
    });
    expect(res.body.agent.skills).toEqual([
      expect.objectContaining({ skill_id: skill.body.skill.id, name: "tone", version: "0.1.0", required: true }),
    ]);
    const cleared = await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { config: { temperature: null } });
    expect(cleared.body.agent.config).toEqual({ model: "scripted/demo" });
    await expectProblem(await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { name: "B" }), 409, "agent_exists");
    await expectProblem(await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { skills: ["ghost"] }), 404, "skill_not_found");
    await expectProblem(
      await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { skills: [{ skill_id: "tone", version: "9.9.9" }] }),
      404,
      "skill_version_not_found",
    );
    const unknown = await expectProblem(
      await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { colour: "red" }),
      400,
      "validation_error",
    );
    expect(JSON.stringify(unknown.error.details)).toContain("colour");
    await expectProblem(
      await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { config: { temperature: 3 } }),
      400,
      "validation_error",
    );
    const stranger = await newOrg();
    await expectProblem(await stranger.json("PATCH", `/v1/harnesses/${h.id}/agents/${a.id}`, { name: "C" }), 404, "harness_not_found");
  });
});

describe("agents.clone", () => {
  it("copies the agent under a new name; its own skills are copied, so an upgrade of one does not reach the other", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const src = (await importBundle(org, h.id, fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip"))).body.agent;
    const res = await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, { new_name: "Meeting Summarizer (team)" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const clone = res.body.agent;
    expect(clone).toMatchObject({
      name: "Meeting Summarizer (team)",
      agentKey: "meeting-summarizer-team",
      slug: "meeting-summarizer-team",
      instructions: src.instructions,
    });
    expect(clone.skills[0].name).toBe("summarization");
    expect(clone.skills[0].skill_id).not.toBe(src.skills[0].skill_id);
    const upgraded = await org.json("POST", `/v1/harnesses/${h.id}/skills/${clone.skills[0].skill_id}/upgrade`, {
      source: {
        type: "inline",
        content: "---\nname: summarization\ndescription: Summaries, version two. Use for meetings.\n---\nV2 body\n",
      },
    });
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    const srcNow = await org.json("GET", `/v1/harnesses/${h.id}/agents/${src.id}`);
    expect(srcNow.body.agent.skills[0].version).toBe("0.1.0");
    expect((await org.json("GET", `/v1/harnesses/${h.id}/agents/${clone.id}`)).body.agent.skills[0].version).toBe("0.1.1");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, { new_name: "Meeting Summarizer (team)" }),
      409,
      "agent_exists",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, { new_name: "!!!" }),
      400,
      "validation_error",
    );
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, {}), 400, "validation_error");
    // include_memory copies the memory; without it the clone starts empty.
    await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/memory/blocks`, { label: "project", value: "Weekly standups." });
    const withMemory = await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, { new_name: "M2", include_memory: true });
    expect(withMemory.status, JSON.stringify(withMemory.body)).toBe(201);
    const copied = await org.json("GET", `/v1/harnesses/${h.id}/agents/${withMemory.body.agent.id}/memory/blocks/project`);
    expect(copied.body.block.value).toBe("Weekly standups.");
    const without = (await org.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, { new_name: "M3" })).body.agent;
    expect((await org.json("GET", `/v1/harnesses/${h.id}/agents/${without.id}/memory/blocks/project`)).status).toBe(404);
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/agents/agent_none/clone`, { new_name: "X" }), 404, "agent_not_found");
    const stranger = await newOrg();
    await expectProblem(
      await stranger.json("POST", `/v1/harnesses/${h.id}/agents/${src.id}/clone`, { new_name: "X" }),
      404,
      "harness_not_found",
    );
  });
});

describe("agents.delete", () => {
  it("refuses while a session is open, then deletes the agent, its own skills and their bundles, but not harness skills", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const agent = (await importBundle(org, h.id, fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"))).body.agent;
    const shared = await org.json("POST", `/v1/harnesses/${h.id}/skills`, {
      source: { type: "inline", content: "---\nname: tone\ndescription: Keeps a friendly tone. Use for every reply.\n---\nBe friendly.\n" },
    });
    await org.json("PATCH", `/v1/harnesses/${h.id}/agents/${agent.id}`, { skills: [agent.skills[0].skill_id, "tone"] });
    const session = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, { agent_id: agent.id });
    expect(session.status).toBe(201);
    const busy = await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/agents/${agent.id}`), 409, "agent_busy");
    expect(busy.error.details.active_sessions).toBe(1);
    await org.json("DELETE", `/v1/harnesses/${h.id}/sessions/${session.body.session.id}`);
    await org.json("POST", `/v1/harnesses/${h.id}/agents/${agent.id}/memory/blocks`, { label: "human", value: "Vegan." });
    const res = await org.fetch(`/v1/harnesses/${h.id}/agents/${agent.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    const memory = await env.DB.prepare("SELECT count(*) AS n FROM memory_blocks WHERE agent_id = ?").bind(agent.id).first<{ n: number }>();
    expect(memory!.n).toBe(0);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/agents/${agent.id}`), 404, "agent_not_found");
    const skills = await org.json("GET", `/v1/harnesses/${h.id}/skills`);
    expect(skills.body.data.map((s: any) => s.id)).toEqual([shared.body.skill.id]);
    const objects = await env.BUCKET.list({ prefix: `orgs/${org.orgId}/harnesses/${h.uid}/` });
    expect(objects.objects.map((o) => o.key).every((k) => k.includes(shared.body.skill.id))).toBe(true);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/agents/${agent.id}`), 404, "agent_not_found");
    const stranger = await newOrg();
    await expectProblem(await stranger.json("DELETE", `/v1/harnesses/${h.id}/agents/x`), 404, "harness_not_found");
  });
});
