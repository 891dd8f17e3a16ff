import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness } from "../harnesses/find.ts";
import { readSkillBundle, type SkillIssue } from "./skill-bundle.ts";
import { readUpload, SkillUploadError, type SkillUpload } from "./upload.ts";

/** What skills.validate answers (spec §3 domain 3), plus what the skill would be. */
export interface SkillValidation {
  valid: boolean;
  errors: SkillIssue[];
  warnings: SkillIssue[];
  /** Name, description, version and files as read (absent when the upload could not be read at all). */
  skill?: { name: string; description: string; version: string | null; files: { path: string; size_bytes: number }[] };
}

/**
 * skills.validate — `POST /v1/harnesses/{harnessId}/skills/validate`. A dry run: reads the upload and
 * applies every rule skills.register applies, reporting each problem with its file and line, errors
 * apart from warnings. Installs nothing. Problems are in the 200 body, not HTTP errors — an archive
 * that cannot be read (unsafe path, link, bomb, over the limits) is an error there too.
 * @throws ApiError `harness_not_found`, `capability_not_supported`.
 */
export async function validateSkill({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; upload: SkillUpload }>): Promise<SkillValidation> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "skills", "validate", "skills.validate");
  let upload;
  try {
    upload = await readUpload(ctx, harness, input.upload);
  } catch (error) {
    if (error instanceof SkillUploadError) return { valid: false, errors: [error.issue], warnings: [] };
    throw error;
  }
  const bundle = readSkillBundle(upload.entries, { mode: "strict" });
  return {
    valid: bundle.errors.length === 0,
    errors: bundle.errors,
    warnings: bundle.warnings,
    skill: {
      name: bundle.name,
      description: bundle.description,
      version: bundle.version ?? null,
      files: [...bundle.files.entries()].map(([path, bytes]) => ({ path, size_bytes: bytes.byteLength })),
    },
  };
}
