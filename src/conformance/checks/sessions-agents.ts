/** Categories 4 (sessions) and 5 (agents) of the checklist. */
import { expect, expectStatus, listOf, once, type Check, type CheckContext } from "../check.ts";

const sessions = (ctx: CheckContext) => `/harnesses/${ctx.harness}/sessions`;
const agents = (ctx: CheckContext) => `/harnesses/${ctx.harness}/agents`;

/** A new session's id (created once per run for the checks that only need one). */
async function newSession(ctx: CheckContext): Promise<string> {
  const reply = await ctx.client.request("POST", sessions(ctx), { name: `conformance-${ctx.suffix}` });
  expectStatus(reply, [200, 201], "sessions.create");
  const id = reply.body?.session?.id ?? reply.body?.id ?? reply.body?.session_id;
  expect(typeof id === "string" && id.length > 0, "sessions.create returned no id");
  return id;
}

/** Creates an agent from a minimal JSON body (the reference client's shape) and returns its id. */
async function newAgent(ctx: CheckContext, body: Record<string, unknown>): Promise<string> {
  const reply = await ctx.client.request("POST", agents(ctx), body);
  expectStatus(reply, [200, 201], "agents.create");
  const id = reply.body?.agent?.id ?? reply.body?.id;
  expect(typeof id === "string" && id.length > 0, "agents.create returned no id");
  return id;
}

const listedSessionIds = async (ctx: CheckContext) => listOf((await ctx.client.get(sessions(ctx))).body, "sessions").map((s) => s.id);
const listedAgentIds = async (ctx: CheckContext) => listOf((await ctx.client.get(agents(ctx))).body, "agents").map((a) => a.id);

export const SESSION_CHECKS: Check[] = [
  {
    id: "SES-01",
    category: "sessions",
    name: "Create returns an id",
    async run(ctx) {
      await once(ctx, "session", () => newSession(ctx));
    },
  },
  {
    id: "SES-02",
    category: "sessions",
    name: "Get by id",
    async run(ctx) {
      const id = await once(ctx, "session", () => newSession(ctx));
      const reply = await ctx.client.get(`${sessions(ctx)}/${id}`);
      expectStatus(reply, 200, "sessions.get");
      const got = reply.body?.session?.id ?? reply.body?.id ?? reply.body?.session_id;
      expect(got === id, `sessions.get returned id ${got}, not ${id}`);
    },
  },
  {
    id: "SES-03",
    category: "sessions",
    name: "Listed after creation",
    async run(ctx) {
      const id = await once(ctx, "session", () => newSession(ctx));
      expect((await listedSessionIds(ctx)).includes(id), "the new session is not listed");
    },
  },
  {
    id: "SES-04",
    category: "sessions",
    name: "Gone after deletion",
    async run(ctx) {
      const id = await newSession(ctx);
      const deleted = await ctx.client.request("DELETE", `${sessions(ctx)}/${id}`);
      expectStatus(deleted, [200, 204], "sessions.end");
      expect(!(await listedSessionIds(ctx)).includes(id), "the ended session is still listed");
    },
  },
  {
    id: "SES-05",
    category: "sessions",
    name: "Context persists within a session",
    async run(ctx) {
      const id = await newSession(ctx);
      const first = await ctx.client.run(ctx.harness, { message: "Remember this: my name is Alice.", session_id: id });
      expectStatus(first, 200, "the first turn");
      const second = await ctx.client.run(ctx.harness, { message: "What is my name?", session_id: id });
      expectStatus(second, 200, "the second turn");
      expect(
        /alice/i.test(String(second.body?.result?.output)),
        `the second answer forgot the name: ${JSON.stringify(second.body?.result?.output)}`,
      );
    },
  },
  {
    id: "SES-06",
    category: "sessions",
    name: "Session-less execution is defined",
    async run(ctx) {
      const reply = await ctx.client.run(ctx.harness, { message: "Say hello" });
      if (reply.status !== 200) {
        expect(/session/i.test(reply.text), `execution without a session failed without mentioning the session (${reply.status})`);
      }
    },
  },
  {
    id: "SES-07",
    category: "sessions",
    name: "Unknown session is a clear error",
    async run(ctx) {
      const reply = await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, {
        message: "hi",
        session_id: "invalid-session-id-xyz-12345-garbage",
      });
      expect(reply.status >= 400 && reply.status < 500, `an unknown session answered HTTP ${reply.status}`);
      expect(/session|not found|invalid/i.test(String(reply.body?.error?.message)), "the error does not name the session");
    },
  },
];

export const AGENT_CHECKS: Check[] = [
  {
    id: "AGT-01",
    category: "agents",
    name: "Minimal create returns an id",
    async run(ctx) {
      await once(ctx, "agent", () => newAgent(ctx, { name: `test-agent-${ctx.suffix}` }));
    },
  },
  {
    id: "AGT-02",
    category: "agents",
    name: "Get returns what was created",
    async run(ctx) {
      const name = `test-get-agent-${ctx.suffix}`;
      const id = await newAgent(ctx, { name });
      const reply = await ctx.client.get(`${agents(ctx)}/${id}`);
      expectStatus(reply, 200, "agents.get");
      const agent = reply.body?.agent ?? reply.body;
      expect(agent?.id === id, "agents.get returned another id");
      expect(agent?.name === name, `agents.get returned name ${agent?.name}`);
    },
  },
  {
    id: "AGT-03",
    category: "agents",
    name: "Listed after creation",
    async run(ctx) {
      const id = await once(ctx, "agent", () => newAgent(ctx, { name: `test-agent-${ctx.suffix}` }));
      expect((await listedAgentIds(ctx)).includes(id), "the new agent is not listed");
    },
  },
  {
    id: "AGT-04",
    category: "agents",
    name: "Gone after deletion",
    async run(ctx) {
      const id = await newAgent(ctx, { name: `test-delete-agent-${ctx.suffix}` });
      const deleted = await ctx.client.request("DELETE", `${agents(ctx)}/${id}`);
      expectStatus(deleted, [200, 204], "agents.delete");
      expect(!(await listedAgentIds(ctx)).includes(id), "the deleted agent is still listed");
    },
  },
  {
    id: "AGT-05",
    category: "agents",
    name: "Configuration is kept",
    async run(ctx) {
      const name = `test-config-agent-${ctx.suffix}`;
      const id = await newAgent(ctx, { name, system_prompt: "You are a helpful assistant." });
      const agent = (await ctx.client.get(`${agents(ctx)}/${id}`)).body?.agent;
      expect(agent?.name === name, "the name was not kept");
      expect(
        (agent?.config?.system_prompt ?? agent?.system_prompt) === "You are a helpful assistant.",
        "the system prompt was not kept in config.system_prompt",
      );
    },
  },
  {
    id: "AGT-06",
    category: "agents",
    name: "Execute as an agent",
    async run(ctx) {
      const id = await once(ctx, "agent", () => newAgent(ctx, { name: `test-agent-${ctx.suffix}` }));
      const reply = await ctx.client.run(ctx.harness, { message: "Say hello", agent_id: id });
      expectStatus(reply, 200, "execute as the agent");
      expect(String(reply.body?.result?.output).length > 0, "no output");
    },
  },
  {
    id: "AGT-07",
    category: "agents",
    name: "Unknown agent is a clear error",
    async run(ctx) {
      const reply = await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, {
        message: "hi",
        agent_id: "invalid-agent-id-xyz-12345-garbage",
      });
      expect(reply.status >= 400 && reply.status < 500, `an unknown agent answered HTTP ${reply.status}`);
      expect(/agent|not found|invalid/i.test(String(reply.body?.error?.message)), "the error does not name the agent");
    },
  },
];

export { newAgent };
