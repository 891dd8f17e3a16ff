/**
 * Memory, subagents and plans together, as the demo uses them: a scripted agent writes a plan, keeps a
 * memory block and delegates one step to a subagent whose model is a real provider protocol (the
 * simulator) — what reached that model is checked on the wire.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { newAgent } from "../helpers/agents.ts";
import { newHarness, newOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

const SIM = env.PROVIDER_SIM_URL;

describe("an agent that plans, remembers and delegates", () => {
  it("writes a plan, appends to its memory block and hands a step to a subagent (OpenAI protocol on the wire)", async () => {
    const org = await newOrg();
    const marker = `demo-${crypto.randomUUID().slice(0, 8)}`;
    const h = await newHarness(org, {
      default_model_id: "scripted/demo",
      system_prompt: "# Demo Persona",
      capability_refs: [{ ref: "current_time" }, { ref: "workspace_files" }, { ref: "planning" }, { ref: "memory" }, { ref: "subagents" }],
    });
    await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "openai",
      api_key: SIM_OPENAI_KEY,
      base_url: `${SIM}/openai/v1`,
      store: true,
    });
    const agent = await newAgent(org, h.id);
    const memory = `/v1/harnesses/${h.id}/agents/${agent.id}/memory`;
    await org.json("POST", `${memory}/blocks`, { label: "persona", value: "I stay calm.", read_only: true });
    await org.json("POST", `${memory}/blocks`, { label: "human", value: `Codename ${marker}.` });
    await org.json("POST", `/v1/harnesses/${h.id}/agents/${agent.id}/subagents`, {
      name: "researcher",
      description: "Looks things up.",
      system_prompt: `You are the researcher of ${marker}.`,
      model: "openai/gpt-4o-mini",
      tools: ["current_time"],
    });

    const res = await org.fetch(`/v1/harnesses/${h.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Prepare me for an interview", agent_id: agent.id }),
    });
    const id = res.headers.get("x-execution-id")!;
    const frames = await readSse(res);
    expect(frames.at(-1)!.data.type).toBe("done");
    const result = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/result`)).body.result;
    expect(result.tool_calls.filter((t: any) => t.name !== "write_todos").map((t: any) => [t.name, t.success])).toEqual([
      ["current_time", true],
      ["memory_block_append", true],
      ["task", true],
      ["write_file", true],
    ]);
    expect(result.output).toContain("As Demo Persona");
    expect(result.output).toContain('kept a note in my memory block "human"');
    expect(result.output).toContain("asked researcher, who said:");

    // The plan: four tasks, all completed; progress events reflected it.
    const plan = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/plan`)).body.plan;
    expect(plan.tasks.map((t: any) => [t.content, t.status])).toEqual([
      ["Check the time", "completed"],
      ["Keep a note in memory", "completed"],
      ["Ask researcher for help", "completed"],
      ["Draft the answer into the workspace", "completed"],
    ]);
    expect(
      frames.some((f) => f.data.type === "progress" && f.data.total_steps === 4 && f.data.step === "plan: Ask researcher for help"),
    ).toBe(true);

    // Memory: the writable block got the note; the read-only one is untouched.
    const blocks = (await org.json("GET", `${memory}/blocks`)).body.blocks;
    expect(blocks.find((b: any) => b.label === "human").value).toMatch(
      new RegExp(`^Codename ${marker}\\.\\n.+: asked "Prepare me for an interview"$`),
    );
    expect(blocks.find((b: any) => b.label === "persona").value).toBe("I stay calm.");

    // The subagent's task: a child of this run, on the wire with the subagent's instructions, the agent's
    // memory (as the parent left it) and only its own tools.
    const child = (await org.json("GET", `/v1/harnesses/${h.id}/executions?parent_execution_id=${id}`)).body.data[0];
    expect(child).toMatchObject({ status: "completed", model: "openai/gpt-4o-mini", subagent_id: expect.stringMatching(/^sub_/) });
    const requests = ((await (await fetch(`${SIM}/__requests`)).json()) as any[]).filter(
      (r) => r.path === "/openai/v1/chat/completions" && JSON.stringify(r.body).includes(`You are the researcher of ${marker}.`),
    );
    expect(requests).toHaveLength(2);
    const system = requests[0].body.messages.find((m: any) => m.role === "system").content as string;
    expect(system).toContain("# Demo Persona");
    expect(system).toContain(`Codename ${marker}.`);
    expect(system).toContain('asked "Prepare me for an interview"');
    expect(system).toContain("this run cannot change them");
    expect(requests[0].body.tools.map((t: any) => t.function.name)).toEqual(["current_time"]);
    expect(requests[0].body.messages.find((m: any) => m.role === "user").content).toContain("Please use current_time");
  });
});
