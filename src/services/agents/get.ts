import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { findAgent, type AgentRow } from "./find.ts";
import { withSkillRefs } from "./skill-refs.ts";

/**
 * agents.get — `GET /v1/harnesses/{harnessId}/agents/{agentId}`: the agent (by typed id or slug) with its skills.
 * @throws ApiError `harness_not_found`, `agent_not_found`.
 */
export async function getAgent({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string }>): Promise<{ harness: HarnessRow; agent: AgentRow }> {
  const harness = await findHarness({ ctx, input });
  const agent = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  const [withRefs] = await withSkillRefs(ctx, [agent]);
  return { harness, agent: withRefs! };
}
