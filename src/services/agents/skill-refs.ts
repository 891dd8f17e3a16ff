/**
 * An agent's skills: the `agent_skills` links (Open Harness SkillReference, in the agent's order) with
 * the skill and its version in force — what the Agent view lists, what export bundles, what a run enables.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { agentSkills, skills, skillVersions, type AgentSkillRef } from "../../db/schema.ts";
import type { AuthedContext } from "../context.ts";
import type { SkillRow, SkillVersionRow } from "../skills/find.ts";
import type { AgentRow } from "./find.ts";

/** One link of an agent to a skill, with the skill and its current version. */
export interface LinkedSkill {
  agentId: string;
  required: boolean;
  /** Pinned version label, or null (follows the skill's current version). */
  pin: string | null;
  skill: SkillRow;
  current: SkillVersionRow;
}

/** The linked skills of each agent in `agentIds`, in each agent's order. */
export async function linkedSkills(ctx: AuthedContext, agentIds: string[]): Promise<Map<string, LinkedSkill[]>> {
  const out = new Map<string, LinkedSkill[]>(agentIds.map((id) => [id, []]));
  if (agentIds.length === 0) return out;
  const rows = await ctx.db
    .select({ link: agentSkills, skill: skills, current: skillVersions })
    .from(agentSkills)
    .innerJoin(skills, eq(skills.id, agentSkills.skillId))
    .innerJoin(skillVersions, eq(skillVersions.id, skills.currentVersionId))
    .where(and(eq(agentSkills.orgId, ctx.principal.orgId), inArray(agentSkills.agentId, agentIds)))
    .orderBy(asc(agentSkills.agentId), asc(agentSkills.position))
    .all();
  for (const { link, skill, current } of rows) {
    out.get(link.agentId)?.push({ agentId: link.agentId, required: link.required, pin: link.version, skill, current });
  }
  return out;
}

/** Where a skill sits in the agent's package (`<agent folder>/skills/<name>`), as agents.export writes it. */
export function skillPathIn(agent: Pick<AgentRow, "bundlePath">, name: string): string {
  return agent.bundlePath === "" ? `skills/${name}` : `${agent.bundlePath}/skills/${name}`;
}

/** The Open Harness SkillReference of a link. */
export function skillRef(agent: Pick<AgentRow, "bundlePath">, linked: LinkedSkill): AgentSkillRef {
  return {
    skill_id: linked.skill.id,
    name: linked.skill.name,
    version: linked.pin ?? linked.current.version,
    required: linked.required,
    description: linked.skill.description,
    path: skillPathIn(agent, linked.skill.name),
  };
}

/**
 * `rows` with `skills` read from their links. An agent imported before skills were registered (no
 * links, refs recorded in its row) keeps those recorded refs.
 */
export async function withSkillRefs(ctx: AuthedContext, rows: AgentRow[]): Promise<AgentRow[]> {
  const links = await linkedSkills(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const linked = links.get(row.id) ?? [];
    return linked.length === 0 ? row : { ...row, skills: linked.map((l) => skillRef(row, l)) };
  });
}
