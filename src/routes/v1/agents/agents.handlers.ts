import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { getAgent } from "../../../services/agents/get.ts";
import { importAgents as importAgentsVerb } from "../../../services/agents/import.ts";
import { listAgents } from "../../../services/agents/list.ts";
import { findHarness } from "../../../services/harnesses/find.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./agents.routes.ts";
import { toAgentView } from "./agents.schemas.ts";

export const importAgents: AppRouteHandler<typeof routes.importAgents> = async (c) => {
  const ctx = authed(c);
  const { harnessId } = c.req.valid("param");
  const form = c.req.valid("form");
  const result = await importAgentsVerb({
    ctx,
    input: {
      ref: harnessId,
      bundle: new Uint8Array(await form.bundle.arrayBuffer()),
      filename: form.bundle.name,
      merge_strategy: form.merge_strategy,
      ...(form.rename_to ? { rename_to: form.rename_to } : {}),
    },
  });
  const harness = await findHarness({ ctx, input: { ref: harnessId } });
  const views = result.agents.map((a) => toAgentView(a, harness));
  c.header("location", `/v1/harnesses/${harness.slug}/agents/${views[0]!.id}`);
  return c.json({ agent: views[0]!, agents: views, warnings: result.warnings }, 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { harness, page } = await listAgents({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("query") } });
  return c.json(
    toEnvelope(page, (row) => toAgentView(row, harness)),
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const { harness, agent } = await getAgent({ ctx: authed(c), input: { ref: harnessId, agentId } });
  return c.json({ agent: toAgentView(agent, harness) }, 200);
};
