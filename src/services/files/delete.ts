import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/**
 * files.delete — deletes a file, or a directory that is empty (everything below it with `recursive`).
 * @throws ApiError `invalid_path` (also the root), `file_not_found`, `directory_not_empty` (409),
 *   `file_read_only` (409: the file, or a read-only file below the directory)
 */
export async function deleteFile({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; path: string; recursive: boolean }>): Promise<{ removed: number }> {
  const ws = await resolveWorkspace(ctx, { ref: input.ref, sessionId: input.sessionId, capability: "delete", operation: "files.delete" });
  const rel = requestPath(input.path, "path.path", { file: true });
  return inWorkspace("files.delete", ws.harness.slug, () => ws.store.remove(rel, { recursive: input.recursive }));
}
