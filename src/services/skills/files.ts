import { and, eq } from "drizzle-orm";
import { skillVersions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext } from "../context.ts";
import type { SkillRow, SkillVersionRow } from "./find.ts";
import { unzipSkill } from "./upload.ts";

/** The files of a version's stored bundle, relative to the skill folder (SKILL.md included). */
export function filesOfBundle(bytes: Uint8Array, root: string): Map<string, Uint8Array> {
  const entries = unzipSkill(bytes);
  if (root === "") return entries;
  const prefix = `${root}/`;
  return new Map([...entries].filter(([p]) => p.startsWith(prefix)).map(([p, b]) => [p.slice(prefix.length), b] as const));
}

/**
 * The files of `version` of `skill` (a row, or a version label), read from its stored bundle.
 * @throws ApiError `skill_version_not_found` for an unknown label; `upstream_unavailable` when the bundle is missing.
 */
export async function skillVersionFiles(
  ctx: AuthedContext,
  skill: SkillRow,
  version: SkillVersionRow | string,
): Promise<Map<string, Uint8Array>> {
  const row =
    typeof version === "string"
      ? await ctx.db
          .select()
          .from(skillVersions)
          .where(and(eq(skillVersions.orgId, ctx.principal.orgId), eq(skillVersions.skillId, skill.id), eq(skillVersions.version, version)))
          .get()
      : version;
  if (!row) {
    throw new ApiError("skill_version_not_found", `Skill ${skill.name} has no version ${String(version)}.`, {
      domain: "skills",
      details: { skill_id: skill.id, version },
      actions: [{ rel: "versions", operation_id: "skills.listVersions" }],
    });
  }
  const object = await ctx.env.BUCKET.get(row.blobKey);
  if (!object) {
    throw new ApiError("upstream_unavailable", `The bundle of ${skill.name} ${row.version} could not be read; retry shortly.`, {
      retryAfterSeconds: 5,
      cause: new Error(`missing R2 object ${row.blobKey}`),
    });
  }
  return filesOfBundle(new Uint8Array(await object.arrayBuffer()), row.root);
}
