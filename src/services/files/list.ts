import type { WorkspaceEntry } from "../../runtime/tools/ports.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/** Most entries files.list returns (the listing says `truncated` beyond it). */
export const MAX_LIST_FILES = 5000;

/**
 * files.list — the entries of a directory (`path`, default the root), or everything below it with
 * `recursive`, in path order, from the path index (R2 is not scanned).
 * @throws ApiError `harness_not_found`, `session_not_found`, `invalid_path`, `file_not_found`, `not_a_directory`
 */
export async function listFiles({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; path?: string; recursive: boolean }>): Promise<{
  dir: string;
  entries: WorkspaceEntry[];
  truncated: boolean;
}> {
  const ws = await resolveWorkspace(ctx, { ref: input.ref, sessionId: input.sessionId, capability: "read", operation: "files.list" });
  const dir = requestPath(input.path ?? "/", "query.path");
  const listed = await inWorkspace("files.list", ws.harness.slug, () =>
    ws.store.list(dir, { recursive: input.recursive, limit: MAX_LIST_FILES }),
  );
  return { dir, ...listed };
}
