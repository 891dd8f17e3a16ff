import { z } from "@hono/zod-openapi";
import type { WorkspaceEntry } from "../../../runtime/tools/ports.ts";
import { displayWorkspacePath } from "../../../runtime/tools/workspace-paths.ts";
import { BooleanQuery } from "../../../openapi/schemas.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";

/** Open Harness `FileInfo` (§2.13), plus `is_readonly` for read-only starter files. */
export const FileInfo = z
  .object({
    path: z.string().openapi({ description: "Absolute in the workspace: `/docs/notes.md` (the root is `/`)." }),
    name: z.string(),
    type: z.enum(["file", "directory"]),
    size_bytes: z.number().int().optional(),
    mime_type: z.string().optional(),
    modified_at: z.string(),
    is_readonly: z.boolean().optional().openapi({ description: "A read-only starter file: edits and deletes are refused (409)." }),
  })
  .openapi("FileInfo");

export function toFileInfo(entry: WorkspaceEntry): z.infer<typeof FileInfo> {
  const base = {
    path: displayWorkspacePath(entry.path),
    name: entry.path === "" ? "/" : entry.name,
    type: entry.type,
    modified_at: entry.modified_at,
  };
  if (entry.type === "directory") return base;
  return { ...base, size_bytes: entry.size_bytes, mime_type: entry.mime_type ?? "application/octet-stream", is_readonly: entry.readonly };
}

const sessionId = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .openapi({ description: "Act on this session's workspace instead of the harness workspace (each session has its own)." });

/** `?session_id=` of every files operation. */
export const WorkspaceQuery = z.object({ session_id: sessionId });

export const FilePathParams = HarnessIdParam.extend({
  path: z
    .string()
    .min(1)
    .max(4096)
    .openapi({
      param: { name: "path", in: "path" },
      description: "Workspace path: several segments (`docs/a.md`) or one URL-encoded segment (`%2Fdocs%2Fa.md`).",
      example: "docs/notes.md",
    }),
});

export const ListQuery = WorkspaceQuery.extend({
  path: z.string().max(4096).optional().openapi({ description: 'Directory to list (default "/").' }),
  recursive: BooleanQuery.optional().openapi({ type: "boolean", description: "Everything below the directory (default false)." }),
});

export const ListResponse = z
  .object({
    files: z.array(FileInfo),
    path: z.string(),
    truncated: z.boolean().openapi({ description: "More entries exist than the listing returns (5000)." }),
  })
  .openapi("FileList");

export const DeleteQuery = WorkspaceQuery.extend({
  recursive: BooleanQuery.optional().openapi({ type: "boolean", description: "Delete a non-empty directory with everything in it." }),
});

export const FileResult = z.object({ file: FileInfo, created: z.boolean() }).openapi("FileWriteResult");

export const SearchRequest = z
  .strictObject({
    glob: z.string().min(1).max(1024).optional().openapi({ example: "**/*.ts" }),
    grep: z.string().min(1).max(1000).optional().openapi({ description: "Regular expression (JavaScript syntax) over file contents." }),
    path: z.string().max(4096).optional().openapi({ description: 'Start directory (default "/").' }),
    max_results: z.number().int().min(1).max(1000).optional().openapi({ description: "Most files returned, 1–1000 (default 100)." }),
  })
  .openapi("FileSearchRequest");

export const SearchResponse = z
  .object({
    matches: z.array(
      z.object({
        file: FileInfo,
        line_matches: z.array(z.object({ line_number: z.number().int(), content: z.string() })).optional(),
      }),
    ),
    truncated: z.boolean(),
    files_scanned: z.number().int(),
    files_skipped: z.number().int(),
  })
  .openapi("FileSearchResult");

export const UploadBatchResponse = z
  .object({
    uploaded: z.array(FileInfo),
    skipped: z.array(z.string()).openapi({ description: "Paths left alone because they exist (overwrite=false)." }),
    errors: z.array(z.object({ path: z.string(), error: z.string() })),
  })
  .openapi("FileUploadBatchResult");

export const DownloadBatchRequest = z
  .strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) })
  .openapi("FileDownloadBatchRequest");

export const MkdirRequest = z.strictObject({ path: z.string().min(1).max(4096) }).openapi("FileMkdirRequest");

/** Multipart parts as documented (read by the handler itself, so the body is not buffered twice). */
export const UploadForm = {
  type: "object" as const,
  required: ["path", "file"],
  properties: {
    path: { type: "string" as const, description: "Target path of the file." },
    file: { type: "string" as const, format: "binary" },
    overwrite: { type: "string" as const, enum: ["true", "false"], description: "Replace an existing file (default false)." },
  },
};

export const UploadBatchForm = {
  type: "object" as const,
  required: ["files"],
  properties: {
    base_path: { type: "string" as const, description: 'Directory the filenames are relative to (default "/").' },
    files: {
      type: "array" as const,
      items: { type: "string" as const, format: "binary" },
      description: "Repeated parts; each filename is a relative path.",
    },
    overwrite: {
      type: "string" as const,
      enum: ["true", "false"],
      description: "Replace existing files (default false: they are skipped).",
    },
  },
};
