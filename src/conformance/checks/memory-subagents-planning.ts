/** Categories 6 (memory), 7 (subagents) and 10 (planning) of the checklist. */
import { expect, expectStatus, listOf, once, type Check, type CheckContext } from "../check.ts";
import { newAgent } from "./sessions-agents.ts";

const agentPath = (ctx: CheckContext, agentId: string) => `/harnesses/${ctx.harness}/agents/${agentId}`;

/** A fresh agent for a memory check (agent names are unique per harness), with a `human` block (seeded through memory.createBlock). */
async function memoryAgent(ctx: CheckContext): Promise<string> {
  const id = await newAgent(ctx, { name: `memory-agent-${ctx.suffix}-${crypto.randomUUID().slice(0, 8)}` });
  const created = await ctx.client.request("POST", `${agentPath(ctx, id)}/memory/blocks`, { label: "human", value: "Test human info" });
  expectStatus(created, [200, 201], "memory.createBlock human");
  return id;
}

const blockValue = (body: any) => String(body?.block?.value ?? body?.value ?? "");
const labels = async (ctx: CheckContext, agentId: string) =>
  listOf((await ctx.client.get(`${agentPath(ctx, agentId)}/memory/blocks`)).body, "blocks").map((b) => b.label);

export const MEMORY_CHECKS: Check[] = [
  {
    id: "MEM-01",
    category: "memory",
    name: "Blocks list",
    async run(ctx) {
      const id = await once(ctx, "memory-agent", () => memoryAgent(ctx));
      const reply = await ctx.client.get(`${agentPath(ctx, id)}/memory/blocks`);
      expectStatus(reply, 200, "memory.listBlocks");
      const blocks = listOf(reply.body, "blocks");
      expect(blocks.length > 0, "no blocks listed");
      expect(
        blocks.every((b) => typeof b.label === "string" && typeof b.value === "string"),
        "a block lacks label or value",
      );
    },
  },
  {
    id: "MEM-02",
    category: "memory",
    name: "Initial blocks retrievable",
    async run(ctx) {
      const id = await once(ctx, "memory-agent", () => memoryAgent(ctx));
      const reply = await ctx.client.get(`${agentPath(ctx, id)}/memory/blocks/human`);
      expectStatus(reply, 200, "memory.getBlock human");
      expect(blockValue(reply.body).includes("Test human info"), "the human block lost its value");
    },
  },
  {
    id: "MEM-03",
    category: "memory",
    name: "Update persists",
    async run(ctx) {
      const id = await memoryAgent(ctx);
      const put = await ctx.client.request("PUT", `${agentPath(ctx, id)}/memory/blocks/human`, { value: "Updated value with new info" });
      expectStatus(put, 200, "memory.updateBlock");
      expect(blockValue(put.body).includes("Updated value"), "the update's answer does not show the new value");
      expect(
        blockValue((await ctx.client.get(`${agentPath(ctx, id)}/memory/blocks/human`)).body).includes("Updated value"),
        "the update did not persist",
      );
    },
  },
  {
    id: "MEM-04",
    category: "memory",
    name: "Add a block",
    async run(ctx) {
      const id = await memoryAgent(ctx);
      expectStatus(
        await ctx.client.request("POST", `${agentPath(ctx, id)}/memory/blocks`, { label: "project", value: "Conformance" }),
        [200, 201],
        "memory.createBlock project",
      );
      expect((await labels(ctx, id)).includes("project"), "project is not listed");
    },
  },
  {
    id: "MEM-05",
    category: "memory",
    name: "Delete a block",
    async run(ctx) {
      const id = await memoryAgent(ctx);
      await ctx.client.request("POST", `${agentPath(ctx, id)}/memory/blocks`, { label: "temp", value: "temporary" });
      expectStatus(await ctx.client.request("DELETE", `${agentPath(ctx, id)}/memory/blocks/temp`), [200, 204], "memory.deleteBlock temp");
      const left = await labels(ctx, id);
      expect(!left.includes("temp") && left.includes("human"), `after deleting temp the blocks are ${left.join(", ")}`);
    },
  },
  {
    id: "MEM-06",
    category: "memory",
    name: "Memory steers answers",
    soft: true,
    async run(ctx) {
      const id = await memoryAgent(ctx);
      await ctx.client.request("PUT", `${agentPath(ctx, id)}/memory/blocks/human`, {
        value: "User's favorite language is Python. Always use Python.",
      });
      const reply = await ctx.client.run(ctx.harness, { message: "Write a hello world program", agent_id: id });
      expectStatus(reply, 200, "execute with memory");
      expect(/python|print\(/i.test(String(reply.body?.result?.output)), "the answer does not follow the memory (Python)");
    },
  },
  {
    id: "MEM-07",
    category: "memory",
    name: "Memory is durable",
    async run(ctx) {
      const id = await memoryAgent(ctx);
      await ctx.client.request("PUT", `${agentPath(ctx, id)}/memory/blocks/human`, { value: "Persisted value 12345" });
      // A later, separate request (another connection, possibly another isolate) reads it back.
      const again = await ctx.client.get(`${agentPath(ctx, id)}/memory/blocks/human`);
      expect(blockValue(again.body).includes("Persisted value 12345"), "the value did not survive");
    },
  },
];

async function spawn(ctx: CheckContext, agentId: string, name: string): Promise<string> {
  const reply = await ctx.client.request("POST", `${agentPath(ctx, agentId)}/subagents`, { name, description: `The ${name} subagent.` });
  expectStatus(reply, [200, 201], `subagents.spawn ${name}`);
  return reply.body?.subagent?.id ?? reply.body?.id;
}

const subagentNames = async (ctx: CheckContext, agentId: string) =>
  listOf((await ctx.client.get(`${agentPath(ctx, agentId)}/subagents`)).body, "subagents").map((s) => s.name);

const parentAgent = (ctx: CheckContext) => once(ctx, "subagents-parent", () => newAgent(ctx, { name: `parent-agent-${ctx.suffix}` }));

export const SUBAGENT_CHECKS: Check[] = [
  {
    id: "SUB-01",
    category: "subagents",
    name: "Spawn accepted",
    async run(ctx) {
      await spawn(ctx, await parentAgent(ctx), "test-subagent");
    },
  },
  {
    id: "SUB-02",
    category: "subagents",
    name: "Spawned subagent is listed",
    async run(ctx) {
      const parent = await parentAgent(ctx);
      await spawn(ctx, parent, "list-test-agent");
      expect((await subagentNames(ctx, parent)).includes("list-test-agent"), "list-test-agent is not listed");
    },
  },
  {
    id: "SUB-03",
    category: "subagents",
    name: "Delegation runs",
    async run(ctx) {
      const parent = await parentAgent(ctx);
      await spawn(ctx, parent, "researcher");
      const reply = await ctx.client.run(ctx.harness, {
        message: "Delegate to the researcher subagent to explain what photosynthesis is.",
        agent_id: parent,
      });
      expectStatus(reply, 200, "execute with delegation");
    },
  },
  {
    id: "SUB-04",
    category: "subagents",
    name: "Delegated result surfaces",
    soft: true,
    async run(ctx) {
      const parent = await parentAgent(ctx);
      await spawn(ctx, parent, "calculator");
      const reply = await ctx.client.run(ctx.harness, { message: "Use the calculator subagent to compute 15 * 7", agent_id: parent });
      expectStatus(reply, 200, "execute with delegation");
      expect(String(reply.body?.result?.output).includes("105"), "the answer does not contain 105");
    },
  },
  {
    id: "SUB-05",
    category: "subagents",
    name: "Streams with delegation terminate",
    async run(ctx) {
      const parent = await parentAgent(ctx);
      await spawn(ctx, parent, "helper");
      const s = await ctx.client.stream("POST", `/harnesses/${ctx.harness}/execute/stream`, {
        message: "Ask the helper subagent to say hello",
        agent_id: parent,
      });
      expect(
        s.events.some((e) => e.data?.type === "done" || e.data?.type === "error"),
        "no done or error event",
      );
    },
  },
  {
    id: "SUB-06",
    category: "subagents",
    name: "Several subagents coexist",
    async run(ctx) {
      const parent = await parentAgent(ctx);
      const writer = await spawn(ctx, parent, "writer");
      const analyst = await spawn(ctx, parent, "analyst");
      const names = await subagentNames(ctx, parent);
      expect(names.includes("writer") && names.includes("analyst"), `listed: ${names.join(", ")}`);
      expect(writer !== analyst, "writer and analyst got the same id");
      for (const id of [writer, analyst])
        expectStatus(await ctx.client.get(`${agentPath(ctx, parent)}/subagents/${id}`), 200, "subagents.get");
    },
  },
];

/** The execution the planning checks work on (a finished run is enough: plans are per execution). */
async function planExecution(ctx: CheckContext): Promise<string> {
  const reply = await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: "Say hello" });
  expectStatus(reply, 202, "execute");
  return reply.body.execution_id;
}

const planPath = (ctx: CheckContext, executionId: string) => `/harnesses/${ctx.harness}/executions/${executionId}/plan`;
const tasksOf = async (ctx: CheckContext, executionId: string) =>
  listOf((await ctx.client.get(`${planPath(ctx, executionId)}/tasks`)).body, "tasks");

/** Replaces the plan's tasks (planning.update). */
async function setTasks(ctx: CheckContext, executionId: string, tasks: { content: string; status?: string }[]) {
  const reply = await ctx.client.request("PATCH", planPath(ctx, executionId), {
    tasks: tasks.map((t, i) => ({ id: `t${i + 1}`, content: t.content, status: t.status ?? "pending", order: i })),
  });
  expectStatus(reply, 200, "planning.update");
  return reply;
}

export const PLANNING_CHECKS: Check[] = [
  {
    id: "PLN-01",
    category: "planning",
    name: "Add a todo",
    async run(ctx) {
      const id = await planExecution(ctx);
      await setTasks(ctx, id, [{ content: "Test conformance task" }]);
      expect(
        (await tasksOf(ctx, id)).some((t) => t.content === "Test conformance task"),
        "the todo is not listed",
      );
    },
  },
  {
    id: "PLN-02",
    category: "planning",
    name: "Update status",
    async run(ctx) {
      const id = await planExecution(ctx);
      await setTasks(ctx, id, [{ content: "First" }, { content: "Second" }]);
      const first = (await tasksOf(ctx, id))[0];
      const reply = await ctx.client.request("PATCH", `${planPath(ctx, id)}/tasks/${first.id}`, { status: "completed" });
      expectStatus(reply, 200, "planning.updateTask");
      expect((reply.body?.task ?? reply.body)?.status === "completed", "the task is not completed");
    },
  },
  {
    id: "PLN-03",
    category: "planning",
    name: "Clear all",
    async run(ctx) {
      const id = await planExecution(ctx);
      await setTasks(ctx, id, [{ content: "a" }, { content: "b" }, { content: "c" }]);
      await setTasks(ctx, id, []);
      expect((await tasksOf(ctx, id)).length === 0, "the plan is not empty after clearing");
    },
  },
  {
    id: "PLN-04",
    category: "planning",
    name: "Agent creates todos",
    soft: true,
    async run(ctx) {
      const reply = await ctx.client.run(ctx.harness, {
        message: 'Use your planning tools to make a 3-item todo list: "Research topic", "Write draft", "Review and edit".',
      });
      expectStatus(reply, 200, "execute");
      const tasks = await tasksOf(ctx, reply.body.result.execution_id);
      expect(tasks.length >= 3, `the plan has ${tasks.length} task(s)`);
    },
  },
  {
    id: "PLN-05",
    category: "planning",
    name: "Agent updates todos",
    soft: true,
    async run(ctx) {
      const reply = await ctx.client.run(ctx.harness, {
        message: 'Use your planning tools: make two todos, "First" and "Second", then mark the first completed.',
      });
      expectStatus(reply, 200, "execute");
      const tasks = await tasksOf(ctx, reply.body.result.execution_id);
      expect(tasks[0]?.status === "completed", "the first todo is not completed");
    },
  },
  {
    id: "PLN-06",
    category: "planning",
    name: "Progress from todos",
    soft: true,
    async run(ctx) {
      const s = await ctx.client.stream("POST", `/harnesses/${ctx.harness}/execute/stream`, {
        message: "Create a 3-step plan and work through each step, marking each done as you go.",
      });
      expect(
        s.events.some((e) => e.data?.type === "progress"),
        "no progress event",
      );
    },
  },
  {
    id: "PLN-07",
    category: "planning",
    name: "Status vocabulary",
    async run(ctx) {
      const id = await planExecution(ctx);
      await setTasks(ctx, id, [{ content: "a" }, { content: "b", status: "in_progress" }, { content: "c", status: "completed" }]);
      for (const t of await tasksOf(ctx, id)) expect(["pending", "in_progress", "completed"].includes(t.status), `status ${t.status}`);
    },
  },
];
