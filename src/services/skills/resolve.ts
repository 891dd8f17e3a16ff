import { and, eq, inArray, or } from "drizzle-orm";
import { skills } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { versionsOfSkills, type SkillRow } from "./find.ts";

/** A skill named by a request: its typed id or a name, an optional pinned version, and whether the agent needs it. */
export interface SkillRefInput {
  skill_id: string;
  version?: string;
  required?: boolean;
}

/** A resolved reference. */
export interface ResolvedSkillRef {
  skill: SkillRow;
  version: string | null;
  required: boolean;
}

/**
 * Resolves skill references on `harness` for `agentId` (or a run without agent): typed ids of the
 * harness's skills or of the agent's own, or names (the agent's own skill first, then the harness's).
 * Another agent's own skill cannot be used (it goes with that agent). Duplicates are refused.
 * @throws ApiError `skill_not_found` (404) naming every unknown reference; `skill_version_not_found` for
 *   an unknown pinned version; `validation_error` for another agent's skill or a duplicate.
 */
export async function resolveSkillRefs(
  ctx: AuthedContext,
  input: { harness: HarnessRow; agentId: string | null; refs: SkillRefInput[]; field: string; operation: string },
): Promise<ResolvedSkillRef[]> {
  const { harness, refs } = input;
  if (refs.length === 0) return [];
  const ids = refs.map((r) => r.skill_id);
  const rows = await ctx.db
    .select()
    .from(skills)
    .where(
      and(eq(skills.orgId, ctx.principal.orgId), eq(skills.harnessId, harness.id), or(inArray(skills.id, ids), inArray(skills.name, ids))),
    )
    .all();
  const mine = (s: SkillRow) => s.agentId === null || s.agentId === input.agentId;
  const missing: string[] = [];
  const out: ResolvedSkillRef[] = [];
  for (const [i, ref] of refs.entries()) {
    const byId = rows.find((s) => s.id === ref.skill_id);
    const byName =
      rows.find((s) => s.name === ref.skill_id && s.agentId !== null && s.agentId === input.agentId) ??
      rows.find((s) => s.name === ref.skill_id && s.agentId === null);
    const skill = byId ?? byName;
    if (!skill) {
      missing.push(ref.skill_id);
      continue;
    }
    if (!mine(skill)) {
      throw new ApiError(
        "validation_error",
        `${input.field}[${i}]: skill ${skill.name} (${skill.id}) belongs to another agent and goes with it.`,
        {
          domain: "skills",
          operation: input.operation,
          details: { field: `${input.field}[${i}]`, skill_id: skill.id, agent_id: skill.agentId },
          actions: [
            { rel: "register", hint: "Register the skill on the harness to share it between agents.", operation_id: "skills.register" },
          ],
        },
      );
    }
    if (out.some((r) => r.skill.id === skill.id)) {
      throw new ApiError("validation_error", `${input.field}[${i}]: skill ${skill.name} is listed twice.`, {
        details: { field: `${input.field}[${i}]` },
        actions: [{ rel: "fix-input", hint: "List each skill once." }],
      });
    }
    out.push({ skill, version: ref.version ?? null, required: ref.required ?? true });
  }
  if (missing.length > 0) {
    throw new ApiError("skill_not_found", `No skill ${missing.join(", ")} on harness ${harness.slug}.`, {
      domain: "skills",
      operation: input.operation,
      details: { field: input.field, skills: missing, harness_id: harness.slug },
      actions: [
        { rel: "list", hint: "List the harness's skills.", operation_id: "skills.list", href: `/v1/harnesses/${harness.slug}/skills` },
        { rel: "register", hint: "Register the skill first.", operation_id: "skills.register" },
      ],
    });
  }
  await assertPinsExist(ctx, harness, out, input.field);
  return out;
}

/** @throws ApiError `skill_version_not_found` when a pinned version does not exist. */
async function assertPinsExist(ctx: AuthedContext, harness: HarnessRow, refs: ResolvedSkillRef[], field: string): Promise<void> {
  const pinned = refs.filter((r) => r.version !== null);
  if (pinned.length === 0) return;
  const versions = await versionsOfSkills(
    ctx,
    pinned.map((r) => r.skill.id),
  );
  for (const ref of pinned) {
    if (!versions.some((v) => v.skillId === ref.skill.id && v.version === ref.version)) {
      throw new ApiError("skill_version_not_found", `${field}: skill ${ref.skill.name} has no version ${ref.version}.`, {
        domain: "skills",
        details: { field, skill_id: ref.skill.id, version: ref.version },
        actions: [
          { rel: "versions", operation_id: "skills.listVersions", href: `/v1/harnesses/${harness.slug}/skills/${ref.skill.id}/versions` },
        ],
      });
    }
  }
}
