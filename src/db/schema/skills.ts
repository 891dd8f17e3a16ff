/**
 * D1 schema: Skills (Open Harness domain 3, §2.6) — registered skills, their immutable versions, and the
 * links from agents to the skills they use.
 *
 * A skill belongs to one harness. It is either a harness skill (`agent_id` null: registered with
 * `skills.register`, name unique on the harness) or an agent's own skill (`agent_id` set: it came in
 * with the agent's package, name unique per agent; deleted with the agent). Every upload is a row of
 * `skill_versions` whose bundle is an R2 object keyed by its SHA-256 (`services/storage/keys.ts`
 * `skillBlobKey`); `skills.current_version_id` names the version in force, so a rollback moves that
 * pointer and copies no bytes.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents, harnesses } from "./harnesses.ts";

/** Where a skill came from (shown as `source` on the skill). */
export interface SkillSourceJson {
  /** `upload` (multipart or zip), `inline` (SKILL.md text), `workspace` (a folder or zip of the harness workspace), `url` (fetched), `package` (an agent package), `clone` (copied with an agent). */
  type: "upload" | "inline" | "workspace" | "url" | "package" | "clone";
  /** Workspace path for `workspace`; the URL for `url`; the skill folder inside the package for `package`. */
  path?: string;
}

/** One file of a skill version, for listings without reading the bundle. */
export interface SkillFileJson {
  /** Path relative to the skill folder, e.g. `SKILL.md`, `resources/notes.md`. */
  path: string;
  size_bytes: number;
}

/** A problem found when a version was uploaded (Open Harness `ValidationIssue`). */
export interface SkillIssueJson {
  file: string;
  line?: number;
  message: string;
  code: string;
}

export const skills = sqliteTable(
  "skills",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    /** The owning agent for a skill that came in with its package; null for a harness skill. */
    agentId: text("agent_id").references(() => agents.id, { onDelete: "cascade" }),
    /** The SKILL.md `name` (= its folder's name): 1–64 lowercase letters, digits and single hyphens. */
    name: text("name").notNull(),
    /** Title shown to people (`display_title` of skills.register), 1–100 characters. */
    displayTitle: text("display_title").notNull(),
    /** The current version's SKILL.md `description`. */
    description: text("description").notNull(),
    /** Open Harness SkillCategory: user | plugin | builtin | organization. */
    category: text("category").notNull(),
    /** SKILL.md `metadata.author` of the current version, else "". */
    vendor: text("vendor").notNull(),
    /** The version in force (a `skill_versions.id`). */
    currentVersionId: text("current_version_id").notNull(),
    source: text("source", { mode: "json" }).$type<SkillSourceJson>().notNull(),
    /** Free-form configuration sent at registration (reference client `config`), or null. */
    config: text("config", { mode: "json" }).$type<Record<string, unknown> | null>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("skills_harness_name_uq")
      .on(t.harnessId, t.name)
      .where(sql`agent_id IS NULL`),
    uniqueIndex("skills_agent_name_uq")
      .on(t.agentId, t.name)
      .where(sql`agent_id IS NOT NULL`),
    index("skills_org_harness_idx").on(t.orgId, t.harnessId, t.id),
  ],
);

/** An immutable upload of a skill. */
export const skillVersions = sqliteTable(
  "skill_versions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    skillId: text("skill_id")
      .notNull()
      .references(() => skills.id, { onDelete: "cascade" }),
    /** Semantic version label, unique per skill: SKILL.md `metadata.version`, else assigned. */
    version: text("version").notNull(),
    /** Lowercase hex SHA-256 of the stored bundle (zip) bytes. */
    sha256: text("sha256").notNull(),
    /** Size of the stored bundle, bytes. */
    sizeBytes: integer("size_bytes").notNull(),
    /** R2 key of the bundle (content-addressed: versions with equal bytes share it). */
    blobKey: text("blob_key").notNull(),
    /** The folder inside the bundle that holds SKILL.md (`""` = the archive root). */
    root: text("root").notNull(),
    /** This version's SKILL.md `description`. */
    description: text("description").notNull(),
    files: text("files", { mode: "json" }).$type<SkillFileJson[]>().notNull(),
    warnings: text("warnings", { mode: "json" }).$type<SkillIssueJson[]>().notNull(),
    changelog: text("changelog"),
    /** The principal subject that uploaded it (user id or API key id). */
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("skill_versions_label_uq").on(t.skillId, t.version), index("skill_versions_skill_idx").on(t.skillId, t.createdAt)],
);

/** An agent's use of a skill (Open Harness SkillReference), in the agent's order. */
export const agentSkills = sqliteTable(
  "agent_skills",
  {
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    skillId: text("skill_id")
      .notNull()
      .references(() => skills.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    position: integer("position").notNull(),
    required: integer("required", { mode: "boolean" }).notNull().default(true),
    /** A pinned version label; null follows the skill's current version. */
    version: text("version"),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.skillId] }), index("agent_skills_skill_idx").on(t.skillId)],
);
