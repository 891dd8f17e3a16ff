/**
 * Open Harness domain 3 (Skills), through the real HTTP surface, with the published skill fixtures and
 * sample packages — and the skills in the loop, shown on the wire through the provider simulator.
 */
import { env } from "cloudflare:test";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { zipFiles } from "../../src/lib/zip.ts";
import { SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { fixtureBytes } from "../helpers/fixtures.ts";
import { streamExecute } from "../helpers/executions.ts";

const SIM = env.PROVIDER_SIM_URL;

const skillMd = (name: string, description: string, body = "# Body\n\nDo the thing.\n", extra = "") =>
  `---\nname: ${name}\ndescription: ${description}\n${extra}---\n${body}`;

async function send(org: TestOrg, path: string, init: RequestInit) {
  const res = await org.fetch(path, init);
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, headers: res.headers, body };
}

function filesForm(files: Record<string, string | Uint8Array>, metadata?: unknown): FormData {
  const form = new FormData();
  for (const [path, content] of Object.entries(files)) form.append("files", new File([content], path));
  if (metadata !== undefined) form.append("metadata", JSON.stringify(metadata));
  return form;
}

const registerZip = (org: TestOrg, h: string, bytes: Uint8Array, query = "") =>
  send(org, `/v1/harnesses/${h}/skills${query}`, { method: "POST", headers: { "content-type": "application/zip" }, body: bytes });
const registerFiles = (org: TestOrg, h: string, files: Record<string, string | Uint8Array>, metadata?: unknown) =>
  send(org, `/v1/harnesses/${h}/skills`, { method: "POST", body: filesForm(files, metadata) });
const inline = (content: string, extra: Record<string, unknown> = {}) => ({ source: { type: "inline", content }, ...extra });

/** Writes a workspace file through files.write (the raw body is the content). */
async function putFile(org: TestOrg, harness: string, path: string, content: string) {
  const res = await org.fetch(`/v1/harnesses/${harness}/files/${path}`, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: content,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

async function skillObjects(org: TestOrg) {
  return (await env.BUCKET.list({ prefix: `orgs/${org.orgId}/` })).objects.filter((o) => o.key.includes("/skills/")).length;
}

describe("skills.register", () => {
  it("registers the published skill zips as uploaded, byte for byte, as version 0.1.0 by the caller", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (const name of ["brand-guidelines", "internal-comms"]) {
      const bytes = fixtureBytes(`skills/${name}.zip`);
      const res = await registerZip(org, h.id, bytes, "?display_title=Brand&category=organization");
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.skill).toMatchObject({
        name,
        version: "0.1.0",
        category: "organization",
        display_title: "Brand",
        agent_id: null,
        harness_id: h.id,
      });
      expect(res.body.skill.current_version).toMatchObject({
        size_bytes: bytes.byteLength,
        uploaded_by: expect.stringMatching(/^key_/),
        is_current: true,
      });
      expect(res.headers.get("location")).toBe(`/v1/harnesses/${h.id}/skills/${res.body.skill.id}`);
      const download = await org.fetch(`/v1/harnesses/${h.id}/skills/${res.body.skill.id}/download`);
      expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${name}.zip"`);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    }
    const comms = await org.json("GET", `/v1/harnesses/${h.id}/skills/internal-comms`);
    expect(comms.body.skill.current_version.files.map((f: any) => f.path)).toContain("examples/3p-updates.md");
  });

  it("registers files parts (relative paths), metadata display_title or name, and the reference client's JSON", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const files = await registerFiles(
      org,
      h.id,
      {
        "release-notes/SKILL.md": skillMd(
          "release-notes",
          "Writes release notes. Use for releases.",
          undefined,
          'metadata:\n  version: "1.2.0"\n  author: acme\n',
        ),
        "release-notes/resources/template.md": "# Template",
      },
      { name: "Release notes" },
    );
    expect(files.status, JSON.stringify(files.body)).toBe(201);
    expect(files.body.skill).toMatchObject({
      name: "release-notes",
      version: "1.2.0",
      vendor: "acme",
      author: "acme",
      display_title: "Release notes",
      source: { type: "upload" },
    });
    const json = await org.json(
      "POST",
      `/v1/harnesses/${h.id}/skills`,
      inline(skillMd("tone", "Friendly tone. Use always."), { config: { strict: true }, category: "user" }),
    );
    expect(json.status, JSON.stringify(json.body)).toBe(201);
    expect(json.body.skill).toMatchObject({ name: "tone", config: { strict: true }, source: { type: "inline" } });
    expect(json.body.warnings.map((w: any) => w.code)).toContain("no_root_folder");
  });

  it("registers a skill folder of the workspace (source.type file)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await putFile(org, h.id, "kit/checklist/SKILL.md", skillMd("checklist", "Makes checklists. Use for plans."));
    await putFile(org, h.id, "kit/checklist/resources/items.md", "- one");
    const res = await org.json("POST", `/v1/harnesses/${h.id}/skills`, { source: { type: "file", path: "/workspace/kit/checklist" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.skill).toMatchObject({ name: "checklist", source: { type: "workspace", path: "/kit/checklist" } });
    expect(res.body.skill.current_version.files.map((f: any) => f.path)).toEqual(["SKILL.md", "resources/items.md"]);
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/skills`, { source: { type: "file", path: "/nothing" } }),
      422,
      "invalid_skill",
    );
  });

  it("registers a skill published at a URL (source.type url), every hop judged by the network policy", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const url = `${env.PAGES_URL}/.well-known/skills/page-skill/`;
    const res = await org.json("POST", `/v1/harnesses/${h.id}/skills`, { source: { type: "url", url } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.skill).toMatchObject({ name: "page-skill", source: { type: "url", path: url } });
    expect(res.body.warnings).toEqual([]);
    const redirected = await org.json("POST", `/v1/harnesses/${h.id}/skills/validate`, {
      source: { type: "url", url: `${env.PAGES_URL}/redirect-private` },
    });
    expect(redirected.body.valid).toBe(false);
    expect(redirected.body.errors[0]).toMatchObject({ code: "url_refused" });
    const blocked = await newHarness(org, { network_access: { blocked: ["127.0.0.1"] } });
    const refused = await expectProblem(
      await org.json("POST", `/v1/harnesses/${blocked.id}/skills`, { source: { type: "url", url } }),
      422,
      "invalid_skill",
    );
    expect(refused.detail).toContain("127.0.0.1");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/skills`, { source: { type: "url", url: `${env.PAGES_URL}/nothing` } }),
      422,
      "invalid_skill",
    );
  });

  it("refuses a broken skill with every problem (file and line), stores nothing, and refuses a taken name", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bad = await registerFiles(org, h.id, {
      "my-skill/SKILL.md": "---\nname: other-name\ndescription: ok\ncolour: blue\n---\nbody\n",
    });
    const problem = await expectProblem(bad, 422, "invalid_skill");
    expect(problem.error.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "my-skill/SKILL.md", line: 2, code: "name_mismatch" }),
        expect.objectContaining({ file: "my-skill/SKILL.md", line: 4, code: "unknown_field" }),
      ]),
    );
    await expectProblem(await registerFiles(org, h.id, { "README.md": "no skill" }), 422, "invalid_skill");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/skills`, inline("# no front matter")), 422, "invalid_skill");
    expect(await skillObjects(org)).toBe(0);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/skills`)).body.total).toBe(0);
    await registerZip(org, h.id, fixtureBytes("skills/brand-guidelines.zip"));
    const taken = await expectProblem(await registerZip(org, h.id, fixtureBytes("skills/brand-guidelines.zip")), 409, "skill_exists");
    expect(taken.allowed_actions[0].operation_id).toBe("skills.upgrade");
    // Bad request shapes: no body, bad metadata, unknown JSON fields, another media type.
    await expectProblem(await send(org, `/v1/harnesses/${h.id}/skills`, { method: "POST" }), 400, "validation_error");
    const meta = await expectProblem(
      await registerFiles(org, h.id, { "a/SKILL.md": skillMd("a", "A.") }, { display_title: "" }),
      400,
      "validation_error",
    );
    expect(meta.error.details.field).toBe("form.metadata.display_title");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/skills`, { source: { type: "ftp", path: "x" } }),
      400,
      "validation_error",
    );
    await expectProblem(
      await send(org, `/v1/harnesses/${h.id}/skills`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }),
      415,
      "unsupported_media_type",
    );
    const stranger = await newOrg();
    await expectProblem(await registerZip(stranger, h.id, fixtureBytes("skills/brand-guidelines.zip")), 404, "harness_not_found");
  });
});

describe("hostile skill bundles", () => {
  const ok = strToU8(skillMd("evil", "Evil skill. Use never."));
  it.each([
    ["a .. path", () => zipFiles({ "evil/SKILL.md": ok, "evil/../../escape.txt": "x" }), 422, "invalid_skill", "unsafe_path"],
    ["an absolute path", () => zipFiles({ "evil/SKILL.md": ok, "/etc/passwd": "x" }), 422, "invalid_skill", "unsafe_path"],
    [
      "a symbolic link",
      () => zipSync({ "evil/SKILL.md": ok, "evil/link": [strToU8("/etc/passwd"), { os: 3, attrs: 0o120777 << 16 }] }),
      422,
      "invalid_skill",
      "unsafe_type",
    ],
    [
      "a zip bomb (declared 60 MB)",
      () => zipFiles({ "evil/SKILL.md": ok, "evil/assets/zeros.bin": new Uint8Array(60 * 1024 * 1024) }),
      413,
      "payload_too_large",
      "too_large",
    ],
    [
      "too many entries",
      () => zipFiles(Object.fromEntries([["evil/SKILL.md", ok], ...Array.from({ length: 1100 }, (_, i) => [`evil/f${i}.txt`, "x"])])),
      413,
      "payload_too_large",
      "too_many_entries",
    ],
    [
      "over 500 files",
      () => zipFiles(Object.fromEntries([["evil/SKILL.md", ok], ...Array.from({ length: 520 }, (_, i) => [`evil/f${i}.txt`, "x"])])),
      422,
      "invalid_skill",
      "too_many_files",
    ],
    ["not a zip", () => strToU8("plain text"), 422, "invalid_skill", "not_a_zip"],
  ])("refuses %s on register, reports it on validate, and stores nothing", async (_label, build, status, code, reason) => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bytes = build();
    const problem = await expectProblem(await registerZip(org, h.id, bytes), status, code);
    expect(JSON.stringify(problem.error.details)).toContain(reason);
    const validated = await send(org, `/v1/harnesses/${h.id}/skills/validate`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: bytes,
    });
    expect(validated.status).toBe(200);
    expect(validated.body.valid).toBe(false);
    expect(validated.body.errors.map((e: any) => e.code)).toContain(reason);
    expect(await skillObjects(org)).toBe(0);
  });

  it("refuses traversal in multipart file names", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await expectProblem(await registerFiles(org, h.id, { "evil/SKILL.md": ok, "evil/../../x": "x" }), 422, "invalid_skill");
    expect(await skillObjects(org)).toBe(0);
  });
});

describe("skills.validate", () => {
  it("reports errors apart from warnings with file and line, installs nothing", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const form = filesForm({
      "my-skill/SKILL.md": `---\nname: my-skill\ndescription: ${"x".repeat(1100)}\nmetadata:\n  version: two\n---\n${"line\n".repeat(510)}`,
      "my-skill/logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      "my-skill/assets/ok.png": new Uint8Array([0x89, 0, 1]),
    });
    const res = await send(org, `/v1/harnesses/${h.id}/skills/validate`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors).toEqual([expect.objectContaining({ file: "my-skill/SKILL.md", line: 3, code: "description_too_long" })]);
    expect(res.body.warnings.map((w: any) => [w.file, w.code])).toEqual(
      expect.arrayContaining([
        ["my-skill/SKILL.md", "invalid_version"],
        ["my-skill/SKILL.md", "long_skill_md"],
        ["my-skill/logo.png", "binary_outside_assets"],
      ]),
    );
    expect(res.body.warnings.map((w: any) => w.file)).not.toContain("my-skill/assets/ok.png");
    const good = await send(org, `/v1/harnesses/${h.id}/skills/validate`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: fixtureBytes("skills/internal-comms.zip"),
    });
    expect(good.body).toMatchObject({ valid: true, errors: [], skill: { name: "internal-comms" } });
    for (const [bad, code] of [
      ["---\nname: Bad--Name\ndescription: x\n---\n", "invalid_name"],
      ["---\nname: -x\ndescription: x\n---\n", "invalid_name"],
      ["---\nname: x\n---\n", "missing_description"],
      ["---\nname: x\ndescription: x\ncompatibility: " + "c".repeat(501) + "\n---\n", "compatibility_too_long"],
      ["---\nname: x\ndescription: [unclosed\n---\n", "invalid_yaml"],
      ["no front matter", "missing_frontmatter"],
    ] as const) {
      const r = await org.json("POST", `/v1/harnesses/${h.id}/skills/validate`, inline(bad));
      expect(
        r.body.errors.map((e: any) => e.code),
        bad,
      ).toContain(code);
    }
    expect(await skillObjects(org)).toBe(0);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/skills`)).body.total).toBe(0);
    await expectProblem(await send(org, `/v1/harnesses/${h.id}/skills/validate`, { method: "POST" }), 400, "validation_error");
    const stranger = await newOrg();
    await expectProblem(await stranger.json("POST", `/v1/harnesses/${h.id}/skills/validate`, inline("x")), 404, "harness_not_found");
  });
});

describe("skills.list / get / update", () => {
  it("pages, filters by category and owner, updates metadata without a new version; other organizations get 404", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await registerZip(org, h.id, fixtureBytes("skills/brand-guidelines.zip"));
    await registerZip(org, h.id, fixtureBytes("skills/internal-comms.zip"), "?category=organization");
    const agent = (
      await send(org, `/v1/harnesses/${h.id}/agents/import`, {
        method: "POST",
        body: (() => {
          const f = new FormData();
          f.append("bundle", new File([fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip")], "p.zip"));
          return f;
        })(),
      })
    ).body.agent;
    const page = await org.json("GET", `/v1/harnesses/${h.id}/skills?limit=2`);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0, has_more: true, cursor: expect.any(String) });
    const next = await org.json("GET", `/v1/harnesses/${h.id}/skills?cursor=${page.body.cursor}`);
    expect(next.body.data.map((s: any) => s.name)).toEqual(["dietary-preferences"]);
    expect(next.body.data[0]).toMatchObject({
      category: "plugin",
      agent_id: agent.id,
      source: { type: "package", path: "package/skills/dietary-preferences" },
    });
    expect((await org.json("GET", `/v1/harnesses/${h.id}/skills?category=organization`)).body.data.map((s: any) => s.name)).toEqual([
      "internal-comms",
    ]);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/skills?agent_id=none`)).body.total).toBe(2);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/skills?category=nope`), 400, "validation_error");
    const got = await org.json("GET", `/v1/harnesses/${h.id}/skills/brand-guidelines`);
    const updated = await org.json("PATCH", `/v1/harnesses/${h.id}/skills/${got.body.skill.id}`, {
      display_title: "Brand rules",
      category: "organization",
    });
    expect(updated.body.skill).toMatchObject({ display_title: "Brand rules", category: "organization", version: "0.1.0" });
    expect((await org.json("GET", `/v1/harnesses/${h.id}/skills/${got.body.skill.id}/versions`)).body.versions).toHaveLength(1);
    await expectProblem(
      await org.json("PATCH", `/v1/harnesses/${h.id}/skills/${got.body.skill.id}`, { name: "x" }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("PATCH", `/v1/harnesses/${h.id}/skills/${got.body.skill.id}`, { category: "weird" }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("GET", `/v1/harnesses/${h.id}/skills/skill_0000000000000000000000000000dead`),
      404,
      "skill_not_found",
    );
    const stranger = await newOrg();
    const hb = await newHarness(stranger, { id: h.id });
    await expectProblem(await stranger.json("GET", `/v1/harnesses/${hb.id}/skills/${got.body.skill.id}`), 404, "skill_not_found");
    await expectProblem(
      await stranger.json("PATCH", `/v1/harnesses/${hb.id}/skills/${got.body.skill.id}`, { display_title: "x" }),
      404,
      "skill_not_found",
    );
    expect((await stranger.json("GET", `/v1/harnesses/${hb.id}/skills`)).body.total).toBe(0);
  });
});

describe("skills.upgrade / listVersions / rollback / download", () => {
  it("keeps every upload as an immutable version; rollback copies no bytes; download gives the exact bytes of any version", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const v1 = await registerFiles(org, h.id, {
      "notes/SKILL.md": skillMd("notes", "Takes notes. Use in meetings.", "# V1\n\nFirst body.\n"),
    });
    const id = v1.body.skill.id;
    const up = await send(org, `/v1/harnesses/${h.id}/skills/${id}/upgrade`, {
      method: "POST",
      body: (() => {
        const form = filesForm({ "notes/SKILL.md": skillMd("notes", "Takes notes, v2. Use in meetings.", "# V2\n\nSecond body.\n") });
        form.append("changelog", "Second body");
        return form;
      })(),
    });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body).toMatchObject({
      previous_version: "0.1.0",
      skill: { version: "0.1.1", description: "Takes notes, v2. Use in meetings." },
    });
    const explicit = await org.json(
      "POST",
      `/v1/harnesses/${h.id}/skills/${id}/upgrade`,
      inline(skillMd("notes", "v3.", "# V3\n", 'metadata:\n  version: "2.0.0"\n'), { changelog: "Major" }),
    );
    expect(explicit.body.skill.version).toBe("2.0.0");
    const versions = await org.json("GET", `/v1/harnesses/${h.id}/skills/${id}/versions`);
    expect(versions.body).toMatchObject({ skill_id: id, current_version: "2.0.0" });
    expect(versions.body.versions.map((v: any) => [v.version, v.changelog ?? null, v.is_current])).toEqual([
      ["0.1.0", null, false],
      ["0.1.1", "Second body", false],
      ["2.0.0", "Major", true],
    ]);
    for (const v of versions.body.versions)
      expect(v).toMatchObject({
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        size_bytes: expect.any(Number),
        uploaded_by: expect.stringMatching(/^key_/),
      });
    const objectsBefore = await skillObjects(org);
    const rolled = await org.json("POST", `/v1/harnesses/${h.id}/skills/${id}/rollback`, { version: "0.1.0" });
    expect(rolled.body).toMatchObject({
      previous_version: "2.0.0",
      skill: { version: "0.1.0", description: "Takes notes. Use in meetings." },
    });
    expect(await skillObjects(org)).toBe(objectsBefore);
    const current = await org.fetch(`/v1/harnesses/${h.id}/skills/${id}/download`);
    expect(current.headers.get("x-skill-version")).toBe("0.1.0");
    const bytes = new Uint8Array(await current.arrayBuffer());
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(digest).toBe(versions.body.versions[0].sha256);
    const older = await org.fetch(`/v1/harnesses/${h.id}/skills/${id}/download?version=0.1.1`);
    expect(older.headers.get("x-content-sha256")).toBe(versions.body.versions[1].sha256);
    await older.arrayBuffer();
    // Refusals: a version not greater than the current, a reused one, another name, unknown versions.
    await org.json("POST", `/v1/harnesses/${h.id}/skills/${id}/rollback`, { version: "2.0.0" });
    await expectProblem(
      await org.json(
        "POST",
        `/v1/harnesses/${h.id}/skills/${id}/upgrade`,
        inline(skillMd("notes", "x.", "b", 'metadata:\n  version: "1.0.0"\n')),
      ),
      409,
      "skill_version_conflict",
    );
    await expectProblem(
      await org.json(
        "POST",
        `/v1/harnesses/${h.id}/skills/${id}/upgrade`,
        inline(skillMd("notes", "x.", "b", 'metadata:\n  version: "2.0.0"\n')),
      ),
      409,
      "skill_version_conflict",
    );
    const renamed = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/skills/${id}/upgrade`, inline(skillMd("other", "x."))),
      422,
      "invalid_skill",
    );
    expect(renamed.error.details.errors[0].code).toBe("name_mismatch");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/skills/${id}/rollback`, { version: "9.9.9" }),
      404,
      "skill_version_not_found",
    );
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/skills/${id}/rollback`, {}), 400, "validation_error");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/skills/${id}/download?version=9.9.9`), 404, "skill_version_not_found");
    const stranger = await newOrg();
    await expectProblem(await stranger.json("GET", `/v1/harnesses/${h.id}/skills/${id}/versions`), 404, "harness_not_found");
    await expectProblem(
      await stranger.json("POST", `/v1/harnesses/${h.id}/skills/${id}/rollback`, { version: "0.1.0" }),
      404,
      "harness_not_found",
    );
    await expectProblem(await stranger.json("GET", `/v1/harnesses/${h.id}/skills/${id}/download`), 404, "harness_not_found");
    await expectProblem(
      await stranger.json("POST", `/v1/harnesses/${h.id}/skills/${id}/upgrade`, inline(skillMd("notes", "x."))),
      404,
      "harness_not_found",
    );
  });
});

describe("skills.discover", () => {
  it("finds skill folders in the workspace and in agent packages under the search paths, flagging registered ones", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await putFile(org, h.id, "skills/drafting/SKILL.md", skillMd("drafting", "Drafts letters. Use for letters."));
    await putFile(org, h.id, "other/tone/SKILL.md", skillMd("tone", "Tone."));
    await org.json("POST", `/v1/harnesses/${h.id}/skills`, inline(skillMd("tone", "Tone.")));
    const form = new FormData();
    form.append("bundle", new File([fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip")], "p.zip"));
    const agent = (await send(org, `/v1/harnesses/${h.id}/agents/import`, { method: "POST", body: form })).body.agent;
    const all = await org.json("POST", `/v1/harnesses/${h.id}/skills/discover`, {});
    expect(all.status).toBe(200);
    const byPath = Object.fromEntries(all.body.discovered.map((d: any) => [d.path, d]));
    expect(byPath["/workspace/skills/drafting"]).toMatchObject({
      name: "drafting",
      category: "user",
      already_registered: false,
      found_in: "workspace",
    });
    expect(byPath["/workspace/other/tone"]).toMatchObject({
      name: "tone",
      already_registered: true,
      skill_id: expect.stringMatching(/^skill_/),
    });
    expect(byPath[`/agents/${agent.id}/skills/summarization`]).toMatchObject({
      name: "summarization",
      category: "plugin",
      already_registered: true,
      agent_id: agent.id,
    });
    const narrowed = await org.json("POST", `/v1/harnesses/${h.id}/skills/discover`, { search_paths: ["/workspace/skills"] });
    expect(narrowed.body.discovered.map((d: any) => d.name)).toEqual(["drafting"]);
    const agentsOnly = await org.json("POST", `/v1/harnesses/${h.id}/skills/discover`, { search_paths: [`/agents/${agent.id}`] });
    expect(agentsOnly.body.discovered.map((d: any) => d.name)).toEqual(["summarization"]);
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/skills/discover`, { search_paths: ["../up"] }),
      400,
      "validation_error",
    );
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/skills/discover`, { paths: [] }), 400, "validation_error");
    const stranger = await newOrg();
    await expectProblem(await stranger.json("POST", `/v1/harnesses/${h.id}/skills/discover`, {}), 404, "harness_not_found");
  });
});

describe("skills.uninstall", () => {
  it("is refused while agents use the skill (naming them); with force it is removed from them, versions and bundles included", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const skill = (await org.json("POST", `/v1/harnesses/${h.id}/skills`, inline(skillMd("tone", "Tone.")))).body.skill;
    const agent = (await org.json("POST", `/v1/harnesses/${h.id}/agents`, { name: "User", model: "scripted/echo", skills: ["tone"] })).body
      .agent;
    const busy = await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/skills/${skill.id}`), 409, "skill_in_use");
    expect(busy.error.details.agents).toEqual([{ id: agent.id, name: "User" }]);
    expect(busy.allowed_actions.map((a: any) => a.rel)).toEqual(["force", "update-agent"]);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/skills/${skill.id}?force=maybe`), 400, "validation_error");
    const res = await org.fetch(`/v1/harnesses/${h.id}/skills/${skill.id}?force=true`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/agents/${agent.id}`)).body.agent.skills).toEqual([]);
    expect(await skillObjects(org)).toBe(0);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/skills/${skill.id}`), 404, "skill_not_found");
    const free = (await org.json("POST", `/v1/harnesses/${h.id}/skills`, inline(skillMd("free", "Free.")))).body.skill;
    expect((await org.fetch(`/v1/harnesses/${h.id}/skills/${free.id}`, { method: "DELETE" })).status).toBe(204);
    // The harness event stream says what was installed and uninstalled (spec §6.6).
    const events = await org.json("GET", `/v1/harnesses/${h.id}/events?type=skill.installed,skill.uninstalled`);
    const ordered = [...events.body.data].sort((a: any, b: any) => Number(a.id) - Number(b.id));
    expect(ordered.map((e: any) => [e.type, e.data?.skill_id ?? e.skill_id])).toEqual([
      ["skill.installed", skill.id],
      ["skill.uninstalled", skill.id],
      ["skill.installed", free.id],
      ["skill.uninstalled", free.id],
    ]);
    const stranger = await newOrg();
    await expectProblem(await stranger.json("DELETE", `/v1/harnesses/${h.id}/skills/x`), 404, "harness_not_found");
  });
});

async function simHarness(org: TestOrg, marker: string, overrides: Record<string, unknown> = {}) {
  const h = await newHarness(org, { default_model_id: "openai/gpt-4o-mini", system_prompt: marker, ...overrides });
  await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
    provider: "openai",
    api_key: SIM_OPENAI_KEY,
    base_url: `${SIM}/openai/v1`,
    store: true,
  });
  return h;
}

/** The chat-completions requests of this test (its harness's marker is in the system prompt), in order. */
async function wire(marker: string): Promise<any[]> {
  const all = (await (await fetch(`${SIM}/__requests`)).json()) as any[];
  return all.filter((r) => r.path === "/openai/v1/chat/completions" && JSON.stringify(r.body).includes(marker));
}

describe("skills in the loop", () => {
  it("lists only names and descriptions in the prompt; the body reaches the model after load_skill; a rollback shows in the next run", async () => {
    const org = await newOrg();
    const marker = `MARKER-${crypto.randomUUID()}`;
    const h = await simHarness(org, marker);
    const agent = (
      await send(org, `/v1/harnesses/${h.id}/agents/import`, {
        method: "POST",
        body: (() => {
          const f = new FormData();
          f.append("bundle", new File([fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip")], "p.zip"));
          return f;
        })(),
      })
    ).body.agent;
    const skillId = agent.skills[0].skill_id;
    const frames = await streamExecute(org, h.id, {
      message: "Please use skill dietary-preferences now",
      agent_id: agent.id,
      model: "openai/gpt-4o-mini",
    });
    expect(frames.find((f) => f.data.type === "tool_call_start")?.data.name).toBe("load_skill");
    expect(frames.find((f) => f.data.type === "tool_result")?.data.success).toBe(true);
    expect(frames.at(-1)!.data.type).toBe("done");
    const [first, second] = await wire(marker);
    const system = first.body.messages[0].content as string;
    expect(system).toContain("## Skills");
    expect(system).toContain("- dietary-preferences: Knowledge of common dietary restrictions");
    expect(first.body.tools.map((t: any) => t.function.name)).toContain("load_skill");
    expect(JSON.stringify(first.body)).not.toContain("Dietary Preferences Skill");
    const toolMessage = second.body.messages.find((m: any) => m.role === "tool");
    expect(toolMessage.content).toContain("# Dietary Preferences Skill");

    // A new version, then a rollback to the first: the next run reads the older body again.
    await org.json(
      "POST",
      `/v1/harnesses/${h.id}/skills/${skillId}/upgrade`,
      inline(skillMd("dietary-preferences", "Newer dietary guidance.", "# NEWER BODY\n")),
    );
    await streamExecute(org, h.id, {
      message: "Please use skill dietary-preferences again",
      agent_id: agent.id,
      model: "openai/gpt-4o-mini",
    });
    expect(JSON.stringify((await wire(marker)).at(-1).body)).toContain("NEWER BODY");
    await org.json("POST", `/v1/harnesses/${h.id}/skills/${skillId}/rollback`, { version: "0.1.0" });
    await streamExecute(org, h.id, {
      message: "Please use skill dietary-preferences once more",
      agent_id: agent.id,
      model: "openai/gpt-4o-mini",
    });
    const last = (await wire(marker)).at(-1);
    expect(JSON.stringify(last.body)).toContain("# Dietary Preferences Skill");
    expect(JSON.stringify(last.body)).not.toContain("NEWER BODY");
  });

  it("enables the request's skills (by name or id) and the harness's skills capability ref; unknown ones are a 404 naming them", async () => {
    const org = await newOrg();
    const marker = `MARKER-${crypto.randomUUID()}`;
    const h = await simHarness(org, marker, { capability_refs: [{ ref: "skills", config: { skills: ["brand-guidelines"] } }] });
    await registerZip(org, h.id, fixtureBytes("skills/brand-guidelines.zip"));
    const comms = (await registerZip(org, h.id, fixtureBytes("skills/internal-comms.zip"))).body.skill;
    await streamExecute(org, h.id, { message: "hello" });
    let system = (await wire(marker)).at(-1).body.messages[0].content as string;
    expect(system).toContain("- brand-guidelines:");
    expect(system).not.toContain("internal-comms");
    await streamExecute(org, h.id, { message: "hello", skills: [comms.id] });
    system = (await wire(marker)).at(-1).body.messages[0].content as string;
    expect(system).toContain("- internal-comms:");
    expect(system.indexOf("- internal-comms:")).toBeLessThan(system.indexOf("- brand-guidelines:"));
    const missing = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/execute`, {
        message: "x",
        skills: ["internal-comms", "ghost", "skill_0000000000000000000000000000beef"],
      }),
      404,
      "skill_not_found",
    );
    expect(missing.error.details.skills).toEqual(["ghost", "skill_0000000000000000000000000000beef"]);
    // No skills enabled: no section, no tool.
    const plain = await simHarness(org, `${marker}-plain`);
    await streamExecute(org, plain.id, { message: "hello" });
    const request = (await wire(`${marker}-plain`)).at(-1);
    expect(request.body.messages[0].content).not.toContain("## Skills");
    expect((request.body.tools ?? []).map((t: any) => t.function.name)).not.toContain("load_skill");
  });

  it("lists the skills capability ref in the catalog at /api/v1/capabilities", async () => {
    const org = await newOrg();
    const res = await org.json("GET", "/api/v1/capabilities");
    const skills = res.body.data.find((c: any) => c.ref === "skills");
    expect(skills.description).toContain("load_skill");
    expect((await newHarness(org, { capability_refs: [{ ref: "skills", config: { skills: ["a"] } }] })).capability_refs).toEqual([
      { ref: "skills", config: { skills: ["a"] } },
    ]);
  });

  it("the scripted skills model loads the skill the user names and answers from its body", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await registerZip(org, h.id, fixtureBytes("skills/internal-comms.zip"));
    const frames = await streamExecute(org, h.id, {
      message: "Write a 3P update with internal-comms",
      skills: ["internal-comms"],
      model: "scripted/skills",
    });
    const text = frames
      .filter((f) => f.data.type === "text")
      .map((f) => f.data.content)
      .join("");
    expect(text).toContain("Loading internal-comms");
    expect(text).toContain("Loaded skill internal-comms 0.1.0");
  });
});
