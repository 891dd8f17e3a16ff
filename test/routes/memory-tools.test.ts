/**
 * Agent memory in the loop: the `memory` capability ref renders the agent's blocks into the system
 * prompt before every model step (shown on the wire through the provider simulator) and lets the model
 * edit blocks and use its archive — under the same limits as the API.
 */
import { env } from "cloudflare:test";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { newAgent } from "../helpers/agents.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

const SIM = env.PROVIDER_SIM_URL;

async function run(org: TestOrg, harness: string, body: Record<string, unknown>) {
  const res = await org.fetch(`/v1/harnesses/${harness}/execute/stream`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  const id = res.headers.get("x-execution-id")!;
  const frames = await readSse(res);
  const result = (await org.json("GET", `/v1/harnesses/${harness}/executions/${id}/result`)).body.result;
  return { id, frames, result };
}

async function memoryHarness(org: TestOrg, model = "scripted/memory") {
  const h = await newHarness(org, { default_model_id: model, capability_refs: [{ ref: "memory" }, { ref: "current_time" }] });
  const agent = await newAgent(org, h.id);
  return { h, agent, base: `/v1/harnesses/${h.id}/agents/${agent.id}/memory` };
}

describe("memory tools in the loop", () => {
  it("appends to a block, archives and searches, and the next step's prompt shows the edited block", async () => {
    const org = await newOrg();
    const { h, agent, base } = await memoryHarness(org);
    await org.json("POST", `${base}/blocks`, { label: "human", value: "Name: Ada." });
    const { result } = await run(org, h.id, { message: "remember that Ada prefers Rust", agent_id: agent.id });
    expect(result.status).toBe("completed");
    expect(result.tool_calls.map((t: any) => [t.name, t.success])).toEqual([
      ["memory_block_append", true],
      ["memory_archive_insert", true],
      ["memory_archive_search", true],
    ]);
    // The answer quotes the block from the system prompt of the last step: the edit was re-rendered.
    expect(result.output).toBe("Remembered. Block human now reads: Name: Ada.\nAda prefers Rust — archive search found 1 hit(s).");
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("Name: Ada.\nAda prefers Rust");
    expect((await org.json("GET", `${base}/archive`)).body.data[0]).toMatchObject({ content: "Ada prefers Rust", tags: ["remembered"] });
  });

  it("offers no memory tools to a run without an agent, nor without the memory ref", async () => {
    const org = await newOrg();
    const { h } = await memoryHarness(org);
    const { result } = await run(org, h.id, { message: "remember that nothing sticks" });
    expect(result.tool_calls[0]).toMatchObject({ name: "memory_block_append", success: false });
    expect(result.output).toContain("unavailable tool 'memory_block_append'");
    const plain = await newHarness(org, { default_model_id: "scripted/memory" });
    const agent = await newAgent(org, plain.id);
    const other = await run(org, plain.id, { message: "remember that nothing sticks", agent_id: agent.id });
    expect(other.result.output).toContain("unavailable tool 'memory_block_append'");
  });

  it("refuses a block at its limit through every write path: API, tools and import", async () => {
    const org = await newOrg();
    const { h, agent, base } = await memoryHarness(org);
    await org.json("POST", `${base}/blocks`, { label: "human", value: "0123456789", limit: 10 });
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "fixed", read_only: true });
    // API: create, update.
    await expectProblem(await org.json("PUT", `${base}/blocks/human`, { value: "01234567890" }), 422, "memory_block_limit_exceeded");
    await expectProblem(
      await org.json("POST", `${base}/blocks`, { label: "tiny", value: "ab", limit: 1 }),
      422,
      "memory_block_limit_exceeded",
    );
    // Tools: the model's append is refused and told why; the block is unchanged.
    const appended = await run(org, h.id, { message: "remember that the block is full", agent_id: agent.id });
    expect(appended.result.output).toContain("memory_block_limit_exceeded");
    expect(appended.result.tool_calls.map((t: any) => t.name)).toEqual(["memory_block_append"]);
    const readOnly = await run(org, h.id, { message: "remember in persona: something new", agent_id: agent.id });
    expect(readOnly.result.output).toContain("memory_block_read_only");
    // Import: a snapshot over the limit is refused whole.
    const form = new FormData();
    const snapshot = zipSync({ "blocks.json": strToU8(JSON.stringify([{ label: "human", value: "x".repeat(11) }])) });
    form.append("snapshot", new File([snapshot], "s.zip", { type: "application/zip" }));
    const imported = await org.fetch(`${base}/import`, { method: "POST", body: form });
    await expectProblem(
      { status: imported.status, headers: imported.headers, body: await imported.json() },
      422,
      "memory_block_limit_exceeded",
    );
    // And the database itself refuses a direct write past the limit (any future path).
    await expect(
      env.DB.prepare("UPDATE memory_blocks SET value = ? WHERE agent_id = ? AND label = 'human'").bind("x".repeat(11), agent.id).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("0123456789");
  });

  it("puts the agent's blocks into the system prompt of every model request, on the wire (OpenAI protocol)", async () => {
    const org = await newOrg();
    const marker = `marker-${crypto.randomUUID().slice(0, 8)}`;
    const { h, agent, base } = await memoryHarness(org, "openai/gpt-4o-mini");
    await org.json("POST", `${base}/blocks`, { label: "human", value: `The user's codename is ${marker}.` });
    const { result } = await run(org, h.id, {
      message: "please use current_time",
      agent_id: agent.id,
      harness_credentials: { api_key: SIM_OPENAI_KEY, base_url: `${SIM}/openai/v1` },
    });
    expect(result.status).toBe("completed");
    const requests = ((await (await fetch(`${SIM}/__requests`)).json()) as any[]).filter(
      (r) => r.path === "/openai/v1/chat/completions" && JSON.stringify(r.body).includes(marker),
    );
    // Two model steps (tool call, then the answer): each request carries the block in its system message.
    expect(requests).toHaveLength(2);
    for (const r of requests) {
      const system = r.body.messages.find((m: any) => m.role === "system").content;
      expect(system).toContain(`<block label="human"`);
      expect(system).toContain(`The user's codename is ${marker}.`);
      expect(r.body.tools.map((t: any) => t.function.name)).toEqual(
        expect.arrayContaining(["memory_block_append", "memory_archive_search"]),
      );
    }
  });
});
