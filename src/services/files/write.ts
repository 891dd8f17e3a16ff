import type { WorkspaceBody, WorkspaceEntry } from "../../runtime/tools/ports.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/** Largest single workspace file written through files.write or files.upload, in bytes (100 MiB). */
export const MAX_WORKSPACE_FILE_BYTES = 100 * 1024 * 1024;

/**
 * files.write — creates or replaces the file at `path` with `body` (raw bytes), creating missing parent
 * directories. `created` is true when no file was there before.
 * @throws ApiError `invalid_path`, `is_a_directory`, `not_a_directory` (a parent is a file), `file_read_only`
 */
export async function writeFile({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; path: string; body: WorkspaceBody; mimeType?: string }>): Promise<{
  file: WorkspaceEntry;
  created: boolean;
}> {
  const ws = await resolveWorkspace(ctx, { ref: input.ref, sessionId: input.sessionId, capability: "write", operation: "files.write" });
  const rel = requestPath(input.path, "path.path", { file: true });
  const written = await inWorkspace("files.write", ws.harness.slug, () =>
    ws.store.write(rel, input.body, input.mimeType ? { mimeType: input.mimeType } : {}),
  );
  return { file: written.entry, created: written.created };
}
