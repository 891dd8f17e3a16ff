import { ApiError } from "../../errors/api-error.ts";
import type { WorkspaceEntry } from "../../runtime/tools/ports.ts";
import { guessMimeType } from "../../runtime/tools/workspace-paths.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { WorkspaceBatchError } from "../workspace/store.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/** Most files in one files.uploadBatch (spec: 500). */
export const MAX_UPLOAD_BATCH_FILES = 500;
/** Most bytes of all files of one files.uploadBatch together (spec: 100 MB; here 100 MiB). */
export const MAX_UPLOAD_BATCH_BYTES = 100 * 1024 * 1024;

/** One uploaded part: its `filename` carries the path relative to `base_path` (spec §1.8). */
export interface UploadedPart {
  filename: string;
  file: Blob;
}

/**
 * files.uploadBatch — every file or none: each part's filename is a relative path below `base_path`
 * (an absolute filename, `..`, a backslash or a drive letter is refused), the limits are checked, and
 * every path is checked against the workspace before anything is written. Existing files are `skipped`
 * unless `overwrite`. `errors` is always empty in a success: a batch with a faulty file is refused whole.
 * @throws ApiError `payload_too_large` (413: over {@link MAX_UPLOAD_BATCH_FILES} files or
 *   {@link MAX_UPLOAD_BATCH_BYTES} bytes), `validation_error` (no files), `invalid_path` (base_path),
 *   `upload_rejected` (422, `details.errors` lists every file at fault and why)
 */
export async function uploadBatch({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; basePath?: string; files: UploadedPart[]; overwrite: boolean }>): Promise<{
  uploaded: WorkspaceEntry[];
  skipped: string[];
  errors: { path: string; error: string }[];
}> {
  const ws = await resolveWorkspace(ctx, {
    ref: input.ref,
    sessionId: input.sessionId,
    capability: "upload",
    operation: "files.uploadBatch",
  });
  if (input.files.length === 0) {
    throw new ApiError("validation_error", "Send at least one file in repeated `files` parts.", {
      domain: "files",
      operation: "files.uploadBatch",
      details: { field: "form.files" },
      actions: [{ rel: "fix-input", hint: "Add `files` parts whose filenames are the relative paths." }],
    });
  }
  const total = input.files.reduce((n, f) => n + f.file.size, 0);
  if (input.files.length > MAX_UPLOAD_BATCH_FILES || total > MAX_UPLOAD_BATCH_BYTES) {
    throw new ApiError(
      "payload_too_large",
      input.files.length > MAX_UPLOAD_BATCH_FILES
        ? `The batch has ${input.files.length} files; at most ${MAX_UPLOAD_BATCH_FILES} are accepted at once.`
        : `The batch holds ${total} bytes; at most ${MAX_UPLOAD_BATCH_BYTES} bytes are accepted at once.`,
      {
        domain: "files",
        operation: "files.uploadBatch",
        details: { files: input.files.length, total_bytes: total, max_files: MAX_UPLOAD_BATCH_FILES, max_bytes: MAX_UPLOAD_BATCH_BYTES },
        actions: [{ rel: "fix-input", hint: "Split the upload into several batches." }],
      },
    );
  }
  const base = requestPath(input.basePath ?? "/", "form.base_path");
  const errors: { path: string; code: string; error: string }[] = [];
  const files = input.files.flatMap(({ filename, file }) => {
    const problem = relativeProblem(filename);
    if (problem) {
      errors.push({ path: filename, code: "invalid_path", error: problem });
      return [];
    }
    try {
      const rel = requestPath(base === "" ? filename : `${base}/${filename}`, "form.files");
      const mimeType = file.type && file.type !== "application/octet-stream" ? file.type : guessMimeType(rel);
      return [{ path: rel, body: file, mimeType }];
    } catch (error) {
      errors.push({ path: filename, code: "invalid_path", error: (error as Error).message });
      return [];
    }
  });
  if (errors.length > 0) throw rejected(errors);
  try {
    const done = await inWorkspace("files.uploadBatch", ws.harness.slug, () => ws.store.writeMany(files, { overwrite: input.overwrite }));
    return { uploaded: done.written, skipped: done.skipped, errors: [] };
  } catch (error) {
    if (error instanceof WorkspaceBatchError) throw rejected(error.errors);
    throw error;
  }
}

/** Why a part's filename is not a relative path below `base_path`, or undefined when it is one. */
function relativeProblem(filename: string): string | undefined {
  if (filename === "") return "the part has no filename (it carries the file's relative path)";
  if (filename.startsWith("/")) return "absolute paths are refused: the filename is relative to base_path";
  if (filename.split(/[/\\]/).includes("..")) return "`..` segments are refused: files stay below base_path";
  return undefined;
}

function rejected(errors: { path: string; code: string; error: string }[]): ApiError {
  const first = errors[0]!;
  return new ApiError(
    "upload_rejected",
    `Nothing was uploaded: ${errors.length} file(s) cannot be written, e.g. ${first.path}: ${first.error}.`,
    {
      domain: "files",
      operation: "files.uploadBatch",
      details: { errors },
      actions: [{ rel: "fix-input", hint: "Fix or leave out the files listed in details.errors and send the batch again." }],
    },
  );
}
