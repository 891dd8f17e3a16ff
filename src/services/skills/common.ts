/** What the skill verbs share: refusals, the built-in guard, and turning a read bundle into a problem. */
import { ApiError } from "../../errors/api-error.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { builtInReadOnly } from "../harnesses/lifecycle.ts";
import { issueText, type SkillBundle } from "./skill-bundle.ts";

/** Open Harness SkillCategory (§2.2). */
export const SKILL_CATEGORIES = ["user", "plugin", "builtin", "organization"] as const;
export type SkillCategory = (typeof SKILL_CATEGORIES)[number];

/** Most skills one harness holds (its own and its agents'). */
export const MAX_SKILLS_PER_HARNESS = 1000;

/** @throws ApiError `harness_read_only` for a built-in harness (its skills cannot be changed). */
export function assertSkillsWritable(harness: HarnessRow, what: string): void {
  if (harness.isBuiltIn) throw builtInReadOnly(harness, what);
}

/** 422 `invalid_skill` listing every error (with file and line) and the warnings, for register and upgrade. */
export function invalidSkill(bundle: SkillBundle, operation: string): ApiError {
  const first = bundle.errors.slice(0, 3).map(issueText).join("; ");
  const more = bundle.errors.length > 3 ? ` (and ${bundle.errors.length - 3} more)` : "";
  return new ApiError("invalid_skill", `The skill breaks ${bundle.errors.length} rule(s): ${first}${more}.`, {
    domain: "skills",
    operation,
    details: { errors: bundle.errors, warnings: bundle.warnings },
    actions: [
      { rel: "fix-input", hint: "Fix the files named in details.errors (file and line are given)." },
      { rel: "validate", hint: "Check a skill without installing it.", operation_id: "skills.validate" },
    ],
  });
}

/** True when `error` is a D1 unique-constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
  return /UNIQUE constraint failed/i.test(text);
}
