import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";
import { waitForResult } from "../helpers/executions.ts";

const RECEIVER = env.RECEIVER_URL;

async function run(org: TestOrg, harness: string, body: Record<string, unknown>): Promise<string> {
  const started = await org.json("POST", `/v1/harnesses/${harness}/execute`, body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await waitForResult(org, harness, started.body.execution_id);
  return started.body.execution_id;
}

/** A raw response as `expectProblem` reads it. */
async function parsed(res: Response) {
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** Every line of the harness's log, oldest first. */
async function allLogs(org: TestOrg, harness: string, query = ""): Promise<any[]> {
  const res = await org.json("GET", `/v1/harnesses/${harness}/logs?limit=100${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return [...res.body.data].reverse();
}

describe("diagnostics.get", () => {
  it("reports figures from the stores: sessions and executions in progress, connected MCP servers, the configuration in force", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/ask", capability_refs: [{ ref: "current_time" }, { ref: "ask_user" }] });
    const empty = await org.json("GET", `/v1/harnesses/${h.id}/diagnostics`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      harness_id: h.id,
      version: expect.any(String),
      uptime_seconds: expect.any(Number),
      memory_usage_mb: 0,
      memory_limit_mb: 128,
      active_sessions: 0,
      active_executions: 0,
      connected_mcp_servers: 0,
      installed_skills: 0,
      up_since: expect.any(String),
      config: {
        kind: "native",
        parents: [],
        default_model_id: "scripted/ask",
        model: { id: "scripted/ask", usable: true },
        capability_refs: ["current_time", "ask_user"],
      },
    });
    expect(empty.body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(empty.body.up_since)).toBeLessThanOrEqual(Date.now());
    expect(empty.body.notes.join(" ")).toContain("memory");

    // A session that has not ended, a run waiting for its user's answer, a connected MCP server.
    expect((await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {})).status).toBe(201);
    const waiting = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "ask me something" });
    expect(waiting.status).toBe(202);
    const mcp = await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
      name: "modern",
      transport: { type: "http", url: `${env.MCP_TEST_URL}/modern/mcp` },
    });
    expect(mcp.body.server.status).toBe("connected");
    const skill = await org.json("POST", `/v1/harnesses/${h.id}/skills`, {
      source: { type: "inline", content: "---\nname: tone\ndescription: Friendly tone. Use always.\n---\n# Tone\n\nBe kind.\n" },
    });
    expect(skill.status, JSON.stringify(skill.body)).toBe(201);
    await vi.waitFor(
      async () => {
        const busy = await org.json("GET", `/v1/harnesses/${h.id}/diagnostics`);
        expect(busy.body).toMatchObject({ active_sessions: 1, active_executions: 1, connected_mcp_servers: 1, installed_skills: 1 });
      },
      { timeout: 10_000, interval: 100 },
    );
    await org.json("POST", `/v1/harnesses/${h.id}/executions/${waiting.body.execution_id}/cancel`, {});
    await vi.waitFor(async () => expect((await org.json("GET", `/v1/harnesses/${h.id}/diagnostics`)).body.active_executions).toBe(0), {
      timeout: 10_000,
      interval: 100,
    });
  });

  it("shows an unusable model with what would fix it, and is 404 for another organization", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "anthropic/claude-sonnet-4-5" });
    const res = await org.json("GET", `/v1/harnesses/${h.id}/diagnostics`);
    expect(res.body.config.model).toMatchObject({ id: "anthropic/claude-sonnet-4-5", usable: false, fix: expect.any(String) });
    await expectProblem(await (await newOrg()).json("GET", `/v1/harnesses/${h.id}/diagnostics`), 404, "harness_not_found");
  });
});

describe("diagnostics.logs", () => {
  it("logs executions, tool calls (failures at warn with their code) and their ends, filtered by minimum level and time", async () => {
    const org = await newOrg();
    const h = await newHarness(org, {
      default_model_id: "scripted/call",
      capability_refs: [{ ref: "current_time" }, { ref: "workspace_files" }],
    });
    const ok = await run(org, h.id, { message: "call current_time" });
    const bad = await run(org, h.id, { message: 'call read_file with {"path": "missing.txt"}' });
    const lines = await allLogs(org, h.id);
    for (const line of lines)
      expect(line).toEqual({
        timestamp: expect.any(String),
        level: expect.any(String),
        message: expect.any(String),
        context: expect.any(Object),
      });
    const about = (id: string) => lines.filter((l) => l.context.execution_id === id);
    expect(about(ok).map((l) => [l.level, l.message])).toEqual([
      ["info", `execution ${ok} started`],
      ["info", expect.stringMatching(/^tool current_time succeeded in \d+ ms$/)],
      ["info", `execution ${ok} completed`],
    ]);
    const failed = about(bad).find((l) => l.context.tool === "read_file");
    expect(failed).toMatchObject({ level: "warn", context: { tool: "read_file", code: "not_found", source: "builtin" } });
    expect(failed.message).toContain("read_file failed");

    const warnings = await allLogs(org, h.id, "&level=warn");
    expect(warnings.map((l) => l.level)).toEqual(["warn"]);
    const since = await allLogs(org, h.id, `&since=${encodeURIComponent(lines[2].timestamp)}`);
    expect(since.every((l) => l.timestamp > lines[2].timestamp)).toBe(true);
    expect(since.length).toBeLessThan(lines.length);

    const paged = await org.json("GET", `/v1/harnesses/${h.id}/logs?limit=2`);
    expect(paged.body).toMatchObject({ total: lines.length, limit: 2, offset: 0, has_more: true });
    expect(paged.body.data).toEqual(lines.slice(-2).reverse());
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/logs?level=loud`), 400, "validation_error");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/logs?since=yesterday`), 400, "validation_error");
    await expectProblem(await (await newOrg()).json("GET", `/v1/harnesses/${h.id}/logs`), 404, "harness_not_found");
  });

  it("logs failed executions at error, and each webhook delivery attempt", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/fail" });
    const name = `diag-${crypto.randomUUID()}`;
    const hook = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
      url: `${RECEIVER}/hooks/${name}`,
      events: ["execution.completed"],
    });
    expect(hook.status).toBe(201);
    const failed = await run(org, h.id, { message: "hello" });
    await vi.waitFor(
      async () => {
        const lines = await allLogs(org, h.id);
        expect(lines.find((l) => l.context.execution_id === failed && l.level === "error")).toMatchObject({
          message: expect.stringContaining(`execution ${failed} failed`),
          context: { status: "failed", code: expect.any(String) },
        });
        expect(lines.find((l) => l.context.delivery_id)).toMatchObject({
          level: "info",
          message: expect.stringMatching(/^execution\.completed delivery \S+ delivered \(attempt 1, HTTP 2\d\d\)$/),
          context: { event: "execution.completed", attempt: 1 },
        });
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});

describe("diagnostics.streamLogs", () => {
  it("resumes exactly after Last-Event-ID at every point, then follows live lines; level is a minimum", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (let i = 0; i < 3; i++) expect((await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {})).status).toBe(201);
    for (let k = 0; k <= 4; k++) {
      const last = 3 + k;
      const open = await org.fetch(`/v1/harnesses/${h.id}/logs/stream`, { headers: { "last-event-id": String(k) } });
      expect(open.status).toBe(200);
      expect(open.headers.get("content-type")).toContain("text/event-stream");
      const live = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
      const frames = await readSse(open, { max: last - k + 1 });
      expect(frames.map((f) => Number(f.id))).toEqual(Array.from({ length: last - k + 1 }, (_, i) => k + 1 + i));
      expect(frames.every((f) => f.event === "log")).toBe(true);
      expect(frames.at(-1)!.data).toEqual({
        timestamp: expect.any(String),
        level: "info",
        message: `session ${live.body.session.id} created`,
        context: { session_id: live.body.session.id },
      });
    }
    // Only warn and above: a failing tool call's line, not the info lines around it.
    const tools = await newHarness(org, { default_model_id: "scripted/call", capability_refs: [{ ref: "workspace_files" }] });
    const warnings = await org.fetch(`/v1/harnesses/${tools.id}/logs/stream?level=warn`);
    await run(org, tools.id, { message: 'call read_file with {"path": "nope.txt"}' });
    const [line] = await readSse(warnings, { max: 1 });
    expect(line!.data).toMatchObject({ level: "warn", context: { tool: "read_file", code: "not_found" } });
  });

  it("is also served as POST with a JSON body {level} (§9.1 #3), refusing bad bodies and headers", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/call", capability_refs: [{ ref: "workspace_files" }] });
    await run(org, h.id, { message: 'call read_file with {"path": "nope.txt"}' });
    const post = (body: string, headers: Record<string, string> = {}) =>
      org.fetch(`/v1/harnesses/${h.id}/logs/stream`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const [warn] = await readSse(await post('{"level": "warn"}'), { max: 1 });
    expect(warn!.data).toMatchObject({ level: "warn", context: { tool: "read_file" } });
    const all = await readSse(await post(""), { max: 2 });
    expect(all.map((f) => f.id)).toEqual(["1", "2"]);
    await expectProblem(await parsed(await post("{nope")), 400, "invalid_json");
    await expectProblem(await parsed(await post('{"level": "warn"}', { "content-type": "text/plain" })), 415, "unsupported_media_type");
    await expectProblem(await parsed(await post('{"level": "loud"}')), 400, "validation_error");
    await expectProblem(await parsed(await post('{"level": "warn", "extra": 1}')), 400, "validation_error");
    await expectProblem(await parsed(await post("{}", { "last-event-id": "abc" })), 400, "validation_error");
    await expectProblem(await (await newOrg()).json("POST", `/v1/harnesses/${h.id}/logs/stream`, {}), 404, "harness_not_found");
  });
});
