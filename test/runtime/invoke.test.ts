import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createDb } from "../../src/db/index.ts";
import { workspaceStore } from "../../src/services/workspace/store.ts";
import type { Tool, ToolContext, ToolSource } from "../../src/runtime/tools/contract.ts";
import { defineTool, jsonSchemaTool } from "../../src/runtime/tools/define.ts";
import { invokeTool, type HookedToolCall, type ToolHooks } from "../../src/runtime/tools/invoke.ts";
import { capabilityRefSource } from "../../src/runtime/tools/sources/capability-refs.ts";
import { resolveToolset } from "../../src/runtime/tools/toolset.ts";

const ctx: ToolContext = {
  workspace: workspaceStore(env, createDb(env.DB), { orgId: "org_test", prefix: `test-invoke/${crypto.randomUUID()}/` }),
  now: () => new Date("2026-01-02T03:04:05.000Z"),
};

/** A second source of tools, described by JSON Schema only (as MCP and custom tools are). */
function remoteSource(calls: Record<string, unknown>[]): ToolSource {
  const weather = jsonSchemaTool({
    name: "get_weather",
    description: "Weather for a city.",
    inputSchema: {
      type: "object",
      properties: { city: { type: "string", minLength: 1 } },
      required: ["city"],
      additionalProperties: false,
    },
    source: { kind: "mcp", id: "weather" },
    async execute(input) {
      calls.push(input);
      return { city: input.city, forecast: "sunny" };
    },
  });
  // Same name as a built-in: the second source's tool gets a deterministic prefix.
  const clash = jsonSchemaTool({
    name: "current_time",
    description: "A remote clock.",
    inputSchema: { type: "object" },
    source: { kind: "mcp", id: "weather" },
    execute: async () => ({ remote: true }),
  });
  return { kind: "mcp", tools: async () => [weather, clash] };
}

const scope = { orgId: "org_x", harnessId: "harness_x", agentId: null, capabilityRefs: [{ ref: "current_time" }] };

describe("tools resolved per run from several sources", () => {
  it("runs a JSON-Schema tool of a second source through the same invoke path, with unique names", async () => {
    const calls: Record<string, unknown>[] = [];
    const toolset = await resolveToolset([capabilityRefSource, remoteSource(calls)], scope);
    expect(toolset.tools.map((t) => [t.name, t.source.kind])).toEqual([
      ["current_time", "builtin"],
      ["get_weather", "mcp"],
      ["mcp_weather__current_time", "mcp"],
    ]);
    const ok = await invokeTool(toolset, { id: "c1", name: "get_weather", input: { city: "Oslo" } }, ctx);
    expect(ok).toMatchObject({ success: true, output: { city: "Oslo", forecast: "sunny" } });
    const bad = await invokeTool(toolset, { id: "c2", name: "get_weather", input: { town: "Oslo" } }, ctx);
    expect(bad).toMatchObject({ success: false, code: "invalid_input" });
    expect(bad.error).toContain("city");
    expect(calls).toEqual([{ city: "Oslo" }]);
    const builtin = await invokeTool(toolset, { id: "c3", name: "current_time", input: {} }, ctx);
    expect(builtin.output).toMatchObject({ iso: "2026-01-02T03:04:05.000Z" });
    expect((await invokeTool(toolset, { id: "c4", name: "mcp_weather__current_time", input: {} }, ctx)).output).toEqual({ remote: true });
    expect(await invokeTool(toolset, { id: "c5", name: "nope", input: {} }, ctx)).toMatchObject({ success: false, code: "unknown_tool" });
  });

  it("applies the agent's allow and deny patterns", async () => {
    const toolset = await resolveToolset([capabilityRefSource, remoteSource([])], {
      ...scope,
      capabilityRefs: [{ ref: "workspace_files" }],
      toolsAccess: { allow: ["*_file", "get_*"], deny: ["write_*"] },
    });
    expect(toolset.tools.map((t) => t.name)).toEqual(["read_file", "edit_file", "get_weather"]);
  });
});

describe("hook points around every call", () => {
  const echo: Tool = defineTool({
    name: "write_note",
    description: "Writes a note.",
    inputSchema: z.object({ text: z.string().max(20) }),
    execute: async (input) => ({ wrote: input.text }),
  });

  it("lets a before hook deny a call: the tool never runs and the caller sees the reason", async () => {
    let ran = false;
    const tool = { ...echo, execute: async () => ((ran = true), { wrote: "x" }) };
    const seen: HookedToolCall[] = [];
    const hooks: ToolHooks = {
      beforeToolCall: async (call) => (seen.push(call), { action: "deny", reason: "notes are read-only today" }),
    };
    const toolset = await resolveToolset([{ kind: "custom", tools: async () => [tool] }], scope);
    const outcome = await invokeTool(
      toolset,
      { id: "c1", name: "write_note", input: { text: "hi" } },
      { ...ctx, executionId: "exec_1" },
      hooks,
    );
    expect(outcome).toMatchObject({ success: false, code: "hook_denied", error: "hook_denied: notes are read-only today" });
    expect(ran).toBe(false);
    expect(seen).toEqual([{ id: "c1", name: "write_note", source: { kind: "builtin" }, input: { text: "hi" }, executionId: "exec_1" }]);
  });

  it("lets a before hook rewrite the input (validated again) and tells the after hook the outcome", async () => {
    const after: unknown[] = [];
    const toolset = await resolveToolset([{ kind: "custom", tools: async () => [echo] }], scope);
    const rewrite: ToolHooks = {
      beforeToolCall: async (call) => ({ action: "rewrite", input: { text: String(call.input.text).toUpperCase() } }),
      afterToolCall: async (call, outcome) => void after.push([call.input, outcome.output]),
    };
    const outcome = await invokeTool(toolset, { id: "c1", name: "write_note", input: { text: "hi" } }, ctx, rewrite);
    expect(outcome).toMatchObject({ success: true, output: { wrote: "HI" }, rewrittenInput: { text: "HI" } });
    expect(after).toEqual([[{ text: "HI" }, { wrote: "HI" }]]);
    const invalid: ToolHooks = { beforeToolCall: async () => ({ action: "rewrite", input: { text: "x".repeat(50) } }) };
    expect(await invokeTool(toolset, { id: "c2", name: "write_note", input: { text: "hi" } }, ctx, invalid)).toMatchObject({
      success: false,
      code: "invalid_input",
    });
  });
});
