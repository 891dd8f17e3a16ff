import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { findSkill, type SkillVersionRow, type SkillWithVersion } from "./find.ts";
import { findVersion } from "./rollback.ts";

/** A version's bundle as stored. */
export interface SkillDownload extends SkillWithVersion {
  version: SkillVersionRow;
  body: ReadableStream<Uint8Array>;
}

/**
 * skills.download — `GET /v1/harnesses/{harnessId}/skills/{skillId}/download[?version=]`. The exact
 * stored bytes of the current version, or of `version` (a zip upload byte for byte; files uploads as the
 * canonical zip of the skill folder).
 * @throws ApiError `skill_not_found`, `skill_version_not_found`, `harness_not_found`;
 *   `upstream_unavailable` (503) when the stored bundle is missing.
 */
export async function downloadSkill({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; skillId: string; version?: string }>): Promise<SkillDownload> {
  const harness = await findHarness({ ctx, input });
  const found = await findSkill({ ctx, input: { harness, skillId: input.skillId } });
  const version = input.version === undefined ? found.current : await findVersion(ctx, harness, found, input.version);
  const object = await ctx.env.BUCKET.get(version.blobKey);
  if (!object) {
    throw new ApiError("upstream_unavailable", `The bundle of ${found.skill.name} ${version.version} could not be read; retry shortly.`, {
      retryAfterSeconds: 5,
      cause: new Error(`missing R2 object ${version.blobKey}`),
    });
  }
  return { ...found, version, body: object.body };
}
