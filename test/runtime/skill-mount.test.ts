/**
 * The read-only `/skills/{name}/` mount: the workspace tools reading a run's enabled skills through the
 * real skill port (D1 + R2), and refusing writes there; workspace files elsewhere are untouched.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { internalServiceContext } from "../../durable-objects/lib/service-context.ts";
import { globTool, grepTool, listFilesTool, readFileTool, writeFileTool, editFileTool } from "../../src/runtime/tools/builtin/workspace.ts";
import { ToolError, type Tool, type ToolContext } from "../../src/runtime/tools/contract.ts";
import { skillToolSource } from "../../src/runtime/tools/sources/skills.ts";
import { createSkillPort } from "../../src/services/tools/skill-port.ts";
import { workspacePrefix } from "../../src/services/storage/keys.ts";
import { workspaceStore } from "../../src/services/workspace/store.ts";
import { createDb } from "../../src/db/index.ts";
import { newHarness, newOrg } from "../helpers/api.ts";
import { fixtureBytes } from "../helpers/fixtures.ts";

function run(tool: Tool, input: unknown, ctx: ToolContext): Promise<Record<string, any>> {
  const parsed = tool.parse(input);
  if (!parsed.ok) throw new Error(parsed.issues.join("; "));
  return tool.execute(parsed.input, ctx);
}

async function setup() {
  const org = await newOrg();
  const h = await newHarness(org, { capability_refs: [{ ref: "skills" }, { ref: "workspace_files" }] });
  const res = await org.fetch(`/v1/harnesses/${h.id}/skills`, {
    method: "POST",
    headers: { "content-type": "application/zip" },
    body: fixtureBytes("skills/internal-comms.zip"),
  });
  expect(res.status).toBe(201);
  const services = internalServiceContext(env, { orgId: org.orgId, subject: "test" });
  const scope = { orgId: org.orgId, harnessId: h.uid, agentId: null, capabilityRefs: [{ ref: "skills" }, { ref: "workspace_files" }] };
  const port = createSkillPort(services, scope);
  const prefix = workspacePrefix(org.orgId, h.uid);
  const ctx: ToolContext = {
    workspace: workspaceStore(env, createDb(env.DB), { orgId: org.orgId, prefix }),
    now: () => new Date(),
    skills: port,
  };
  return { ctx, prefix, scope, services };
}

describe("the /skills mount", () => {
  it("lets read_file, list_files, glob and grep read an enabled skill's files", async () => {
    const { ctx } = await setup();
    const skill = await run(readFileTool, { path: "/skills/internal-comms/SKILL.md" }, ctx);
    expect(skill.content).toContain("name: internal-comms");
    const root = await run(listFilesTool, { path: "/" }, ctx);
    expect(root.entries).toContainEqual({ path: "/skills", name: "skills", type: "directory" });
    const listed = await run(listFilesTool, { path: "/skills/internal-comms" }, ctx);
    expect(listed.entries.map((e: any) => e.path)).toEqual([
      "/skills/internal-comms/LICENSE.txt",
      "/skills/internal-comms/SKILL.md",
      "/skills/internal-comms/examples",
    ]);
    const globbed = await run(globTool, { pattern: "/skills/**/*.md" }, ctx);
    expect(globbed.matches).toContain("/skills/internal-comms/examples/3p-updates.md");
    const grepped = await run(grepTool, { pattern: "3P", path: "/skills/internal-comms", literal: true }, ctx);
    expect(grepped.matches.length).toBeGreaterThan(0);
  });

  it("refuses writes and edits under the mount with read_only; other workspace folders, skills/ ones included, stay writable", async () => {
    const { ctx, prefix } = await setup();
    for (const attempt of [
      run(writeFileTool, { path: "/skills/internal-comms/SKILL.md", content: "x" }, ctx),
      run(writeFileTool, { path: "/skills/internal-comms/new.md", content: "x" }, ctx),
      run(editFileTool, { path: "/skills/internal-comms/SKILL.md", old_string: "internal-comms", new_string: "x" }, ctx),
    ]) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ToolError);
      expect((error as ToolError).code).toBe("read_only");
      expect((error as ToolError).message).toMatch(/\/skills\/internal-comms\/.* read-only/);
    }
    await run(writeFileTool, { path: "/skills/my-notes/a.md", content: "mine" }, ctx);
    expect((await run(readFileTool, { path: "/skills/my-notes/a.md" }, ctx)).content).toBe("mine");
    expect((await run(listFilesTool, { path: "/skills" }, ctx)).entries.map((e: any) => e.path)).toEqual([
      "/skills/internal-comms",
      "/skills/my-notes",
    ]);
    expect(await env.BUCKET.get(`${prefix}skills/internal-comms/new.md`)).toBeNull();
  });

  it("offers load_skill and the prompt section only when skills are enabled", async () => {
    const { scope, services, ctx } = await setup();
    const source = skillToolSource((s) => createSkillPort(services, s));
    const [tool] = await source.tools(scope);
    expect(tool!.name).toBe("load_skill");
    expect(await source.prompt!(scope)).toContain("- internal-comms: ");
    const loaded = await run(tool!, { name: "internal-comms" }, ctx);
    expect(loaded.instructions).not.toContain("name: internal-comms");
    expect(loaded.files).toContain("/skills/internal-comms/examples/faq-answers.md");
    const file = await run(tool!, { name: "internal-comms", path: "examples/general-comms.md" }, ctx);
    expect(file.path).toBe("/skills/internal-comms/examples/general-comms.md");
    const missing = await run(tool!, { name: "nope" }, ctx).catch((e: unknown) => e);
    expect((missing as ToolError).code).toBe("not_found");
    const none = { ...scope, capabilityRefs: [] };
    expect(await source.tools(none)).toEqual([]);
    expect(await source.prompt!(none)).toBeUndefined();
  });
});
