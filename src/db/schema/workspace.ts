/** D1 schema: the path index of workspaces (the file bytes live in R2). */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One file or directory of a workspace. `workspace` is the workspace's R2 key prefix
 * (`orgs/{org}/harnesses/{harness}/workspace/` or `…/sessions/{session}/workspace/`), `path` the
 * normalised workspace-relative path (`notes/a.md`, never empty: the root has no row), `parent` the
 * path of its directory (`""` at the root). The file's bytes are the R2 object `${workspace}${path}`.
 *
 * The index is the truth: a listing, a glob or a stat never scans R2, and an R2 object without a row
 * (a write whose index update failed) is invisible and replaced by the next write of that path.
 * Directories are explicit rows (`mkdir -p` semantics): writing `a/b/c.txt` also records `a` and `a/b`.
 */
export const workspaceFiles = sqliteTable(
  "workspace_files",
  {
    workspace: text("workspace").notNull(),
    path: text("path").notNull(),
    orgId: text("org_id").notNull(),
    parent: text("parent").notNull(),
    name: text("name").notNull(),
    /** file | directory. */
    type: text("type").notNull(),
    /** Bytes (0 for directories). */
    sizeBytes: integer("size_bytes").notNull().default(0),
    mimeType: text("mime_type"),
    /** A starter file marked `is_readonly`: no edit or delete through any path. */
    readonly: integer("readonly", { mode: "boolean" }).notNull().default(false),
    modifiedAt: text("modified_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.path] }), index("workspace_files_parent_idx").on(t.workspace, t.parent, t.name)],
);
