import type { WorkspaceEntry } from "../../runtime/tools/ports.ts";
import { guessMimeType } from "../../runtime/tools/workspace-paths.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/**
 * files.upload — stores one uploaded file at `path` (parents created). Without `overwrite` an existing
 * file is refused.
 * @throws ApiError `invalid_path`, `file_exists` (409), `is_a_directory`, `not_a_directory`, `file_read_only`
 */
export async function uploadFile({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; path: string; file: Blob; overwrite: boolean }>): Promise<{
  file: WorkspaceEntry;
  created: boolean;
}> {
  const ws = await resolveWorkspace(ctx, { ref: input.ref, sessionId: input.sessionId, capability: "upload", operation: "files.upload" });
  const rel = requestPath(input.path, "form.path", { file: true });
  const mimeType = input.file.type && input.file.type !== "application/octet-stream" ? input.file.type : guessMimeType(rel);
  const written = await inWorkspace("files.upload", ws.harness.slug, () =>
    ws.store.write(rel, input.file, { mimeType, overwrite: input.overwrite }),
  );
  return { file: written.entry, created: written.created };
}
