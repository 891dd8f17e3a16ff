/** Categories 8 (MCP), 9 (files), 11 (hooks), 12 (skills) and 13 (tools API) of the checklist. */
import { expect, expectStatus, listOf, type Check, type CheckContext } from "../check.ts";

const h = (ctx: CheckContext) => `/harnesses/${ctx.harness}`;
/** The harness's tools (`tools.list`); fails the check unless the list answers 200. */
const tools = async (ctx: CheckContext) => {
  const reply = await ctx.client.get(`${h(ctx)}/tools?limit=100`);
  expectStatus(reply, 200, "tools.list");
  return listOf(reply.body, "tools");
};
const output = (reply: { body: any }) => String(reply.body?.result?.output ?? "");
const JSON_SCHEMA_TYPES = ["object", "string", "number", "integer", "boolean", "array", "null"];

export const MCP_CHECKS: Check[] = [
  {
    id: "MCP-01",
    category: "mcp",
    name: "Capability declared and configuration accepted",
    async run(ctx) {
      expect(ctx.manifest.mcp?.supported === true, "mcp.supported is not true");
      const reply = await ctx.client.get(`${h(ctx)}/mcp-servers`);
      expectStatus(reply, 200, "mcp.list");
    },
  },
  {
    id: "MCP-02",
    category: "mcp",
    name: "MCP tools surface in the tool list",
    soft: true,
    async run(ctx) {
      const list = await tools(ctx);
      expect(Array.isArray(list), "tools.list is not an array");
      for (const t of list.filter((tool) => tool.source === "mcp"))
        expect(typeof t.source_id === "string", `MCP tool ${t.name} has no source_id`);
    },
  },
  {
    id: "MCP-03",
    category: "mcp",
    name: "Agents can call MCP tools",
    async run(ctx) {
      const s = await ctx.client.stream("POST", `${h(ctx)}/execute/stream`, {
        message: "If you have filesystem tools available, list the current directory.",
      });
      const last = s.events.at(-1)?.data?.type;
      expect(last === "done" || last === "error", "the stream did not end with done or error");
    },
  },
  {
    id: "MCP-04",
    category: "mcp",
    name: "MCP results feed the answer",
    async run(ctx) {
      expectStatus(
        await ctx.client.run(ctx.harness, { message: "Use any available tools to tell me about the current environment." }),
        200,
        "execute",
      );
    },
  },
  {
    id: "MCP-05",
    category: "mcp",
    name: "Broken MCP is handled",
    async run(ctx) {
      expectStatus(
        await ctx.client.run(ctx.harness, { message: "Use the tool fake_tool_xyz123 now." }),
        200,
        "execute asking for a missing tool",
      );
      const connect = await ctx.client.request("POST", `${h(ctx)}/mcp-servers`, {
        name: `unreachable-${ctx.suffix}`,
        transport: { type: "http", url: "https://unreachable.invalid/mcp" },
      });
      expect(connect.status < 500, `connecting an unreachable server answered HTTP ${connect.status}`);
      if (connect.status < 300) {
        const id = connect.body?.server?.id ?? connect.body?.id;
        if (id) await ctx.client.request("DELETE", `${h(ctx)}/mcp-servers/${id}`);
      }
    },
  },
  {
    id: "MCP-06",
    category: "mcp",
    name: "Multiple servers",
    soft: true,
    async run(ctx) {
      const servers = new Set((await tools(ctx)).filter((t) => t.source === "mcp").map((t) => t.source_id));
      if (servers.size < 2) return { skipped: "fewer than two MCP servers are connected to this harness" };
    },
  },
];

const file = (ctx: CheckContext, path: string) => `${h(ctx)}/files/${path.split("/").map(encodeURIComponent).join("/")}`;
const dir = (ctx: CheckContext) => `conformance-${ctx.suffix}`;

async function put(ctx: CheckContext, path: string, content: string) {
  const reply = await ctx.client.request("PUT", file(ctx, path), content, { "content-type": "text/plain" });
  expectStatus(reply, [200, 201], `files.write ${path}`);
  return reply;
}

export const FILE_CHECKS: Check[] = [
  {
    id: "FIL-01",
    category: "files",
    name: "Write creates a file",
    async run(ctx) {
      const path = `${dir(ctx)}/test_write.txt`;
      const reply = await put(ctx, path, "hello from conformance test");
      expect(reply.body?.created !== false, "files.write did not report created");
      const read = await ctx.client.get(file(ctx, path));
      expectStatus(read, 200, "files.read");
      expect(read.text.includes("hello"), "the file does not hold what was written");
    },
  },
  {
    id: "FIL-02",
    category: "files",
    name: "Read returns content (and the agent reads it)",
    async run(ctx) {
      const path = `${dir(ctx)}/marker.txt`;
      await put(ctx, path, "UNIQUE_MARKER_12345_FOR_CONFORMANCE_TEST\n");
      const read = await ctx.client.get(file(ctx, path));
      expect(read.text === "UNIQUE_MARKER_12345_FOR_CONFORMANCE_TEST\n", "files.read did not return the exact bytes");
      const agent = await ctx.client.run(ctx.harness, { message: `Read the file /${path} and tell me what it says.` });
      expectStatus(agent, 200, "execute");
      expect(output(agent).includes("UNIQUE_MARKER_12345_FOR_CONFORMANCE_TEST"), "the agent's answer lacks the marker");
    },
  },
  {
    id: "FIL-03",
    category: "files",
    name: "Edit modifies content",
    async run(ctx) {
      const path = `${dir(ctx)}/edit.txt`;
      await put(ctx, path, "The quick foo jumped over the lazy dog.");
      const agent = await ctx.client.run(ctx.harness, { message: `In the file /${path}, replace the word foo with bar.` });
      expectStatus(agent, 200, "execute");
      const text = (await ctx.client.get(file(ctx, path))).text;
      expect(text.includes("bar") && !text.includes("foo"), `the file reads ${JSON.stringify(text)}`);
    },
  },
  {
    id: "FIL-04",
    category: "files",
    name: "Directory listing",
    async run(ctx) {
      const base = `${dir(ctx)}/listing`;
      for (const name of ["alpha.txt", "beta.py", "gamma.md"]) await put(ctx, `${base}/${name}`, name);
      const reply = await ctx.client.get(`${h(ctx)}/files?path=${encodeURIComponent(base)}`);
      expectStatus(reply, 200, "files.list");
      const names = listOf(reply.body, "files").map((f) => f.name ?? String(f.path).split("/").pop());
      for (const name of ["alpha.txt", "beta.py", "gamma.md"]) expect(names.includes(name), `${name} is not listed`);
    },
  },
  {
    id: "FIL-05",
    category: "files",
    name: "Glob",
    async run(ctx) {
      const base = `${dir(ctx)}/glob`;
      for (const name of ["one.txt", "two.txt", "three.py", "four.py"]) await put(ctx, `${base}/${name}`, name);
      const reply = await ctx.client.request("POST", `${h(ctx)}/files/search`, { glob: "*.txt", path: base });
      expectStatus(reply, 200, "files.search glob");
      const found = listOf(reply.body, "matches").map((m) =>
        String(m.file?.path ?? m.path)
          .split("/")
          .pop(),
      );
      expect(found.toSorted().join() === "one.txt,two.txt", `glob *.txt found ${found.join(", ")}`);
    },
  },
  {
    id: "FIL-06",
    category: "files",
    name: "Grep",
    async run(ctx) {
      const base = `${dir(ctx)}/grep`;
      await put(ctx, `${base}/lines.txt`, "Line 1: nothing\nLine 2: MARKER123 is here\nLine 3: nothing\n");
      const reply = await ctx.client.request("POST", `${h(ctx)}/files/search`, { grep: "MARKER123", path: base });
      expectStatus(reply, 200, "files.search grep");
      const lines = listOf(reply.body, "matches").flatMap((m) => m.line_matches ?? []);
      expect(
        lines.some((l: any) => l.line_number === 2),
        "MARKER123 was not found on line 2",
      );
    },
  },
  {
    id: "FIL-07",
    category: "files",
    name: "Working directory respected",
    async run(ctx) {
      const base = `${dir(ctx)}/workdir`;
      const agent = await ctx.client.run(ctx.harness, {
        message: `Create the file workdir_test.txt in the directory /${base} containing the word ok.`,
      });
      expectStatus(agent, 200, "execute");
      expectStatus(await ctx.client.get(file(ctx, `${base}/workdir_test.txt`)), 200, "the file in the named directory");
    },
  },
  {
    id: "FIL-08",
    category: "files",
    name: "Missing file is an error, not a crash",
    async run(ctx) {
      const missing = await ctx.client.get(file(ctx, "nonexistent/path/that/does/not/exist/conformance_test_xyz.txt"));
      expectStatus(missing, 404, "files.read of a missing file");
      expect(missing.body?.error?.code, "the 404 is not a JSON error envelope");
    },
  },
];

/** Hooks are observed as `hook.triggered` events on `hooks.listEvents` (no receiver is needed). */
async function triggered(ctx: CheckContext, hookId: string): Promise<any[]> {
  const reply = await ctx.client.get(`${h(ctx)}/events?limit=100`);
  return listOf(reply.body, "events").filter((e) => (e.data?.hook_id ?? e.hook_id) === hookId);
}

async function registerHook(ctx: CheckContext, event: string): Promise<string> {
  const reply = await ctx.client.request("POST", `${h(ctx)}/hooks`, {
    event,
    handler: { type: "webhook", url: "https://hooks.conformance.invalid/receiver" },
  });
  expectStatus(reply, [200, 201], `hooks.register ${event}`);
  const id = reply.body?.hook?.id ?? reply.body?.id;
  expect(typeof id === "string", "hooks.register returned no id");
  return id;
}

export const HOOK_CHECKS: Check[] = [
  {
    id: "HOK-01",
    category: "hooks",
    name: "Registration accepted",
    async run(ctx) {
      const id = await registerHook(ctx, "stop");
      await ctx.client.request("DELETE", `${h(ctx)}/hooks/${id}`);
    },
  },
  {
    id: "HOK-02",
    category: "hooks",
    name: "Hooks fire around execution",
    soft: true,
    async run(ctx) {
      const id = await registerHook(ctx, "stop");
      expectStatus(await ctx.client.run(ctx.harness, { message: "Say hello" }), 200, "execute");
      const fired = await triggered(ctx, id);
      await ctx.client.request("DELETE", `${h(ctx)}/hooks/${id}`);
      expect(fired.length > 0, "no hook.triggered event for the stop hook");
    },
  },
  {
    id: "HOK-03",
    category: "hooks",
    name: "Hooks receive data",
    soft: true,
    async run(ctx) {
      const id = await registerHook(ctx, "post_tool");
      await ctx.client.run(ctx.harness, { message: "What time is it? Use a tool." });
      const fired = await triggered(ctx, id);
      await ctx.client.request("DELETE", `${h(ctx)}/hooks/${id}`);
      if (fired.length === 0) return { skipped: "no tool was called" };
      expect(fired[0].data && typeof fired[0].data === "object", "the hook event carries no data");
    },
  },
  {
    id: "HOK-04",
    category: "hooks",
    name: "A hook can block",
    soft: true,
    async run() {
      return { skipped: "blocking needs a webhook receiver that answers deny; the API defines no other blocking contract (§9.1 #7)" };
    },
  },
  {
    id: "HOK-05",
    category: "hooks",
    name: "Unregister stops firing",
    async run(ctx) {
      const id = await registerHook(ctx, "stop");
      expectStatus(await ctx.client.request("DELETE", `${h(ctx)}/hooks/${id}`), [200, 204], "hooks.unregister");
      await ctx.client.run(ctx.harness, { message: "Say hello" });
      expect((await triggered(ctx, id)).length === 0, "an unregistered hook still fired");
    },
  },
  {
    id: "HOK-06",
    category: "hooks",
    name: "All hooks on one event fire",
    async run(ctx) {
      const ids = [await registerHook(ctx, "stop"), await registerHook(ctx, "stop"), await registerHook(ctx, "stop")];
      await ctx.client.run(ctx.harness, { message: "Say hello" });
      const counts = await Promise.all(ids.map(async (id) => (await triggered(ctx, id)).length));
      for (const id of ids) await ctx.client.request("DELETE", `${h(ctx)}/hooks/${id}`);
      expect(
        counts.every((n) => n === 1),
        `fired ${counts.join(", ")} times`,
      );
    },
  },
];

export const SKILL_CHECKS: Check[] = [
  {
    id: "SKL-01",
    category: "skills",
    name: "Skills list",
    async run(ctx) {
      const reply = await ctx.client.get(`${h(ctx)}/skills`);
      expectStatus(reply, 200, "skills.list");
      expect(Array.isArray(reply.body?.data), "skills.list has no data array");
    },
  },
  {
    id: "SKL-02",
    category: "skills",
    name: "Discovery from scripts/",
    soft: true,
    async run(ctx) {
      await ctx.client.request("PUT", file(ctx, `${dir(ctx)}/scripts/test_skill.sh`), "#!/bin/sh\necho test\n", {
        "content-type": "text/plain",
      });
      const reply = await ctx.client.request("POST", `${h(ctx)}/skills/discover`, { search_paths: [`${dir(ctx)}/scripts`] });
      expectStatus(reply, 200, "skills.discover");
      expect(
        listOf(reply.body, "discovered").some((d) => /test_skill/.test(String(d.name ?? d.path))),
        "test_skill.sh was not discovered",
      );
    },
  },
  {
    id: "SKL-03",
    category: "skills",
    name: "Discovery from assets/",
    soft: true,
    async run(ctx) {
      const definition = JSON.stringify({ name: "greeting", description: "Says hello", script: "echo hello" });
      await ctx.client.request("PUT", file(ctx, `${dir(ctx)}/assets/greeting_skill.json`), definition, { "content-type": "text/plain" });
      const reply = await ctx.client.request("POST", `${h(ctx)}/skills/discover`, { search_paths: [`${dir(ctx)}/assets`] });
      expectStatus(reply, 200, "skills.discover");
      expect(
        listOf(reply.body, "discovered").some((d) => /greeting/.test(String(d.name ?? d.path))),
        "greeting was not discovered",
      );
    },
  },
  {
    id: "SKL-04",
    category: "skills",
    name: "Invoke by name",
    async run(ctx) {
      expectStatus(await ctx.client.run(ctx.harness, { message: "/commit" }), 200, "execute /commit");
    },
  },
  {
    id: "SKL-05",
    category: "skills",
    name: "Invoke with arguments",
    async run(ctx) {
      expectStatus(await ctx.client.run(ctx.harness, { message: "/skill-name arg1 arg2" }), 200, "execute /skill-name arg1 arg2");
    },
  },
  {
    id: "SKL-06",
    category: "skills",
    name: "Skill output appears",
    soft: true,
    async run(ctx) {
      const s = await ctx.client.stream("POST", `${h(ctx)}/execute/stream`, { message: "List any available skills you have." });
      const last = s.events.at(-1)?.data?.type;
      expect(last === "done" || last === "error", "the stream did not complete");
    },
  },
  {
    id: "SKL-07",
    category: "skills",
    name: "Unknown skill is handled",
    async run(ctx) {
      expectStatus(await ctx.client.run(ctx.harness, { message: "/nonexistent_skill_xyz_123" }), 200, "execute an unknown skill");
      const refused = await ctx.client.request("POST", `${h(ctx)}/execute`, { message: "hi", skills: ["nonexistent_skill_xyz_123"] });
      expect(refused.status >= 400 && refused.status < 500, `an unknown skill in the request answered HTTP ${refused.status}`);
    },
  },
];

async function customTool(ctx: CheckContext, name: string, schema: Record<string, unknown>) {
  const reply = await ctx.client.request("POST", `${h(ctx)}/tools`, {
    name,
    description: "A tool for conformance testing",
    input_schema: schema,
    handler: { type: "webhook", url: "https://tools.conformance.invalid/hook" },
  });
  expectStatus(reply, [200, 201], `tools.register ${name}`);
  return reply.body?.tool?.id ?? reply.body?.id;
}

export const TOOL_CHECKS: Check[] = [
  {
    id: "TOL-01",
    category: "tools",
    name: "Tools list",
    async run(ctx) {
      const reply = await ctx.client.get(`${h(ctx)}/tools`);
      expectStatus(reply, 200, "tools.list");
      expect(Array.isArray(listOf(reply.body, "tools")) && reply.body !== null, "tools.list is not a list");
    },
  },
  {
    id: "TOL-02",
    category: "tools",
    name: "Required fields",
    async run(ctx) {
      for (const t of (await tools(ctx)).slice(0, 5)) {
        for (const field of ["id", "name", "description", "source"]) expect(t[field], `a tool lacks ${field}`);
        expect(
          t.input_schema === undefined || t.input_schema === null || typeof t.input_schema === "object",
          `${t.name}'s input_schema is not an object`,
        );
      }
    },
  },
  {
    id: "TOL-03",
    category: "tools",
    name: "Source vocabulary",
    async run(ctx) {
      for (const t of await tools(ctx))
        expect(["builtin", "custom", "mcp", "skill"].includes(t.source), `${t.name} has source ${t.source}`);
    },
  },
  {
    id: "TOL-04",
    category: "tools",
    name: "Built-ins exist",
    async run(ctx) {
      expect((await tools(ctx)).length > 0, "no tool is listed");
    },
  },
  {
    id: "TOL-05",
    category: "tools",
    name: "Register a custom tool",
    async run(ctx) {
      const name = `conformance_test_tool_${ctx.suffix}`.replace(/-/g, "_");
      const id = await customTool(ctx, name, { type: "object", properties: { input: { type: "string" } } });
      const listed = (await tools(ctx)).find((t) => t.name === name);
      await ctx.client.request("DELETE", `${h(ctx)}/tools/${id}`);
      expect(listed?.source === "custom", "the registered tool is not listed as custom");
    },
  },
  {
    id: "TOL-06",
    category: "tools",
    name: "Unregister a custom tool",
    async run(ctx) {
      const name = `temp_test_tool_${ctx.suffix}`.replace(/-/g, "_");
      await customTool(ctx, name, {});
      expectStatus(await ctx.client.request("DELETE", `${h(ctx)}/tools/${name}`), [200, 204], "tools.unregister by name");
      expect(!(await tools(ctx)).some((t) => t.name === name), "the tool is still listed");
    },
  },
  {
    id: "TOL-07",
    category: "tools",
    name: "Schemas are JSON-Schema-like",
    async run(ctx) {
      for (const t of await tools(ctx)) {
        const schema = t.input_schema;
        if (schema === undefined || schema === null) continue;
        expect(typeof schema === "object", `${t.name}'s schema is not an object`);
        if (schema.type !== undefined) expect(JSON_SCHEMA_TYPES.includes(schema.type), `${t.name}'s schema type is ${schema.type}`);
        if (schema.type === "object" && schema.properties !== undefined)
          expect(typeof schema.properties === "object", `${t.name}'s properties is not an object`);
      }
    },
  },
];
