/**
 * The harness events of the skills domain (spec §6.6): `skill.installed` when skills.register installs
 * a skill, `skill.uninstalled` when skills.uninstall removes one — on the harness's event stream
 * (hooks.streamEvents / listEvents) and to the webhooks subscribed to them. A notification never fails
 * the operation: a failure is logged.
 */
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { publishHarnessEvent } from "../harness-events/publish.ts";

/** Publishes `skill.installed` or `skill.uninstalled` for `skillId` on `harness`. */
export async function notifySkill(
  ctx: AuthedContext,
  harness: Pick<HarnessRow, "id" | "slug">,
  type: "skill.installed" | "skill.uninstalled",
  skillId: string,
): Promise<void> {
  try {
    await publishHarnessEvent(ctx, { harness: { id: harness.id, slug: harness.slug }, event: { type, skill_id: skillId } });
  } catch (error) {
    ctx.log.error(`notifying the harness failed: ${type}`, { error, skill_id: skillId });
  }
}
