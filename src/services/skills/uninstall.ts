import { and, eq, inArray } from "drizzle-orm";
import { agents, agentSkills, skills } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { deletePrefix, skillPrefix } from "../storage/keys.ts";
import { assertSkillsWritable } from "./common.ts";
import { notifySkill } from "./events.ts";
import { findSkill } from "./find.ts";

/** What uninstalling did: the agents it was removed from (with `force`). */
export interface UninstallOutcome {
  removedFrom: { id: string; name: string }[];
}

/**
 * skills.uninstall — `DELETE /v1/harnesses/{harnessId}/skills/{skillId}[?force=true]`. Removes the skill,
 * every version and every stored bundle. While agents use it the answer is 409 `skill_in_use` naming them
 * (spec: refuse while an agent references it); with `force=true` it is removed from those agents first
 * (their `skills` lists lose it; their next runs no longer offer it). Runs already going keep what they
 * loaded; a later `load_skill` of it fails as not found. Publishes `skill.uninstalled`.
 * @throws ApiError `skill_in_use` (409), `skill_not_found`, `harness_read_only`, `harness_not_found`.
 */
export async function uninstallSkill({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; skillId: string; force: boolean }>): Promise<UninstallOutcome> {
  const harness = await findHarness({ ctx, input });
  assertSkillsWritable(harness, "modified");
  const { skill } = await findSkill({ ctx, input: { harness, skillId: input.skillId } });
  const users = await ctx.db
    .select({ id: agents.id, name: agents.name })
    .from(agentSkills)
    .innerJoin(agents, eq(agents.id, agentSkills.agentId))
    .where(and(eq(agentSkills.orgId, ctx.principal.orgId), eq(agentSkills.skillId, skill.id)))
    .all();
  if (users.length > 0 && !input.force) {
    throw new ApiError(
      "skill_in_use",
      `Skill ${skill.name} is used by ${users.length} agent(s): ${users.map((a) => `${a.name} (${a.id})`).join(", ")}.`,
      {
        domain: "skills",
        operation: "skills.uninstall",
        details: { skill_id: skill.id, agents: users },
        actions: [
          {
            rel: "force",
            hint: "Send ?force=true to remove it from those agents and uninstall it.",
            href: `/v1/harnesses/${harness.slug}/skills/${skill.id}?force=true`,
          },
          {
            rel: "update-agent",
            hint: "Or take it out of each agent's skills first.",
            operation_id: "agents.update",
            href: `/v1/harnesses/${harness.slug}/agents/${users[0]!.id}`,
          },
        ],
      },
    );
  }
  // Links and versions go with the skill (foreign-key cascade), in one statement.
  await ctx.db.delete(skills).where(and(eq(skills.id, skill.id), eq(skills.orgId, ctx.principal.orgId)));
  if (users.length > 0) {
    await ctx.db
      .update(agents)
      .set({ updatedAt: new Date().toISOString() })
      .where(
        and(
          eq(agents.orgId, ctx.principal.orgId),
          inArray(
            agents.id,
            users.map((u) => u.id),
          ),
        ),
      );
  }
  await deletePrefix(ctx.env.BUCKET, skillPrefix(ctx.principal.orgId, harness.id, skill.id));
  await notifySkill(ctx, harness, "skill.uninstalled", skill.id);
  return { removedFrom: users };
}
