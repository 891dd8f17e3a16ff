import { z } from "@hono/zod-openapi";
import { BooleanQuery, PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { HarnessRow } from "../../../services/harnesses/find.ts";
import { SKILL_CATEGORIES } from "../../../services/skills/common.ts";
import type { SkillVersionRow, SkillWithVersion } from "../../../services/skills/find.ts";
import { MAX_SKILL_BUNDLE_BYTES } from "../../../services/skills/skill-bundle.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";

export const SkillParams = HarnessIdParam.extend({
  skillId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "skillId", in: "path" }, description: "The typed id (`skill_…`), or the name of a harness skill." }),
});

const Category = z.enum(SKILL_CATEGORIES);

export const ListSkillsQuery = PaginationQuery.extend({
  category: Category.optional(),
  agent_id: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Only the skills this agent brought with its package; `none`: only the harness's own." }),
});

export const ValidationIssueSchema = z
  .object({ file: z.string(), line: z.number().int().optional(), message: z.string(), code: z.string() })
  .openapi("ValidationIssue");

const SkillVersionSchema = z
  .object({
    version: z.string(),
    created_at: z.string(),
    changelog: z.string().optional(),
    sha256: z.string().openapi({ description: "SHA-256 (hex) of the stored bundle." }),
    size_bytes: z.number().int(),
    uploaded_by: z.string().openapi({ description: "The principal that uploaded it (user id or API key id)." }),
    is_current: z.boolean(),
    description: z.string(),
    files: z.array(z.object({ path: z.string(), size_bytes: z.number().int() })),
    warnings: z.array(ValidationIssueSchema),
  })
  .openapi("SkillVersion");

export const SkillSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.string().openapi({ description: "The current version." }),
    vendor: z.string(),
    category: Category,
    created_at: z.string(),
    updated_at: z.string(),
    display_title: z.string(),
    harness_id: z.string(),
    agent_id: z.string().nullable().openapi({ description: "The agent whose package brought it (null: a harness skill)." }),
    author: z.string().optional().openapi({ description: "SKILL.md metadata.author (reference client)." }),
    installed_at: z.string().openapi({ description: "= created_at (reference client)." }),
    source: z.object({ type: z.string(), path: z.string().optional() }),
    config: z.record(z.string(), z.unknown()).nullable(),
    current_version: SkillVersionSchema,
  })
  .openapi("Skill");

export const SkillEnvelope = z.object({ skill: SkillSchema }).openapi("SkillResponse");
export const SkillWriteResponse = z
  .object({ skill: SkillSchema, warnings: z.array(ValidationIssueSchema) })
  .openapi("SkillRegisterResponse");
export const SkillVersionChange = z
  .object({ skill: SkillSchema, previous_version: z.string(), warnings: z.array(ValidationIssueSchema).optional() })
  .openapi("SkillVersionChange");
export const SkillPage = paginated(SkillSchema, "SkillPage");
export const SkillVersionsResponse = z
  .object({ skill_id: z.string(), current_version: z.string(), versions: z.array(SkillVersionSchema) })
  .openapi("SkillVersions");

const FilePart = z
  .custom<File>((v) => v instanceof File, { message: "must be a file part whose file name is its relative path" })
  .openapi({ type: "string", format: "binary" });

/** skills.register / upgrade / validate as multipart (spec §1.8): repeated `files` parts (or `files[]`) and a `metadata` JSON part. */
export const SkillFilesForm = z
  .object({
    files: z
      .union([FilePart, z.array(FilePart)])
      .optional()
      .openapi({
        description: "The skill's files; each part's file name is its relative path (my-skill/SKILL.md). One zip part works too.",
      }),
    "files[]": z.union([FilePart, z.array(FilePart)]).optional(),
    metadata: z
      .union([z.string().max(10_000), FilePart])
      .optional()
      .openapi({ description: 'JSON: {"display_title": "…", "category": "user"} (`name` is taken as the display title).' }),
    changelog: z.string().min(1).max(1000).optional().openapi({ description: "skills.upgrade: what changed." }),
  })
  .openapi("SkillFilesForm");

/** The `metadata` part, parsed. */
export const SkillMetadata = z.strictObject({
  display_title: z.string().min(1).max(100).optional(),
  name: z.string().min(1).max(100).optional(),
  category: Category.optional(),
  changelog: z.string().min(1).max(1000).optional(),
});

export const ZipBody = z
  .string()
  .openapi({ type: "string", format: "binary", description: `A zip of one skill folder (≤ ${MAX_SKILL_BUNDLE_BYTES} bytes).` });

/** Query fields of a raw `application/zip` upload (it has no metadata part). */
export const SkillUploadQuery = z.object({
  display_title: z.string().min(1).max(100).optional(),
  category: Category.optional(),
  changelog: z.string().min(1).max(1000).optional(),
});

const Source = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("inline"),
    content: z.string().min(1).max(MAX_SKILL_BUNDLE_BYTES).openapi({ description: "SKILL.md text." }),
  }),
  z.strictObject({
    type: z.literal("file"),
    path: z.string().min(1).max(1024).openapi({ description: "A skill folder, SKILL.md or zip in the harness workspace." }),
  }),
  z.strictObject({
    type: z.literal("url"),
    url: z.string().url().max(2048).openapi({ description: "A zip or SKILL.md URL (well-known skill URLs)." }),
  }),
]);

/** The reference client's JSON form of skills.register (spec §9.1 #5), plus the metadata fields. */
export const SkillSourceBody = z
  .strictObject({
    source: Source,
    config: z.record(z.string(), z.unknown()).optional(),
    display_title: z.string().min(1).max(100).optional(),
    category: Category.optional(),
    changelog: z.string().min(1).max(1000).optional(),
  })
  .openapi("SkillSourceRequest");

export const UpdateSkillBody = z
  .strictObject({ display_title: z.string().min(1).max(100).optional(), category: Category.optional() })
  .openapi("UpdateSkillRequest");

export const RollbackBody = z.strictObject({ version: z.string().min(1).max(100) }).openapi("RollbackSkillRequest");

export const UninstallQuery = z.object({
  force: BooleanQuery.optional().openapi({
    type: "string",
    enum: ["true", "false"],
    description: "Also remove it from the agents that use it (otherwise 409 while any does).",
  }),
});

export const DownloadQuery = z.object({ version: z.string().min(1).max(100).optional() });

export const DiscoverBody = z
  .strictObject({
    search_paths: z
      .array(z.string().min(1).max(1024))
      .max(20)
      .optional()
      .openapi({ description: "Workspace folders, `/agents` or `/agents/<agent id>` (default: the workspace and every agent package)." }),
  })
  .openapi("DiscoverSkillsRequest");

export const DiscoverResponse = z
  .object({
    discovered: z.array(
      z
        .object({
          name: z.string(),
          path: z.string(),
          category: Category,
          already_registered: z.boolean(),
          description: z.string(),
          found_in: z.enum(["workspace", "agent_package"]),
          agent_id: z.string().optional(),
          skill_id: z.string().optional(),
        })
        .openapi("DiscoveredSkill"),
    ),
    truncated: z.boolean(),
  })
  .openapi("DiscoverSkillsResponse");

export const ValidateResponse = z
  .object({
    valid: z.boolean(),
    errors: z.array(ValidationIssueSchema),
    warnings: z.array(ValidationIssueSchema),
    skill: z
      .object({
        name: z.string(),
        description: z.string(),
        version: z.string().nullable(),
        files: z.array(z.object({ path: z.string(), size_bytes: z.number().int() })),
      })
      .optional(),
  })
  .openapi("ValidateSkillResponse");

function versionView(row: SkillVersionRow, currentId: string): z.infer<typeof SkillVersionSchema> {
  return {
    version: row.version,
    created_at: row.createdAt,
    ...(row.changelog ? { changelog: row.changelog } : {}),
    sha256: row.sha256,
    size_bytes: row.sizeBytes,
    uploaded_by: row.uploadedBy,
    is_current: row.id === currentId,
    description: row.description,
    files: row.files,
    warnings: row.warnings,
  };
}

/** The Open Harness `Skill` view (plus display title, owner, source and the current version's record). */
export function toSkillView({ skill, current }: SkillWithVersion, harness: Pick<HarnessRow, "slug">): z.infer<typeof SkillSchema> {
  return {
    id: skill.id,
    name: skill.name,
    description: skill.description,
    version: current.version,
    vendor: skill.vendor,
    category: skill.category as (typeof SKILL_CATEGORIES)[number],
    created_at: skill.createdAt,
    updated_at: skill.updatedAt,
    display_title: skill.displayTitle,
    harness_id: harness.slug,
    agent_id: skill.agentId,
    ...(skill.vendor ? { author: skill.vendor } : {}),
    installed_at: skill.createdAt,
    source: skill.source,
    config: skill.config ?? null,
    current_version: versionView(current, skill.currentVersionId),
  };
}

/** Every version of a skill as skills.listVersions shows it. */
export function toVersionsView(found: SkillWithVersion, versions: SkillVersionRow[]): z.infer<typeof SkillVersionsResponse> {
  return {
    skill_id: found.skill.id,
    current_version: found.current.version,
    versions: versions.map((v) => versionView(v, found.skill.currentVersionId)),
  };
}
