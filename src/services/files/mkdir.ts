import type { WorkspaceEntry } from "../../runtime/tools/ports.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/**
 * files.mkdir — `mkdir -p`: creates the directory and every missing parent; `created: false` when it
 * existed already.
 * @throws ApiError `invalid_path`, `not_a_directory` (the path or a parent is a file)
 */
export async function makeDirectory({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; path: string }>): Promise<{ file: WorkspaceEntry; created: boolean }> {
  const ws = await resolveWorkspace(ctx, { ref: input.ref, sessionId: input.sessionId, capability: "write", operation: "files.mkdir" });
  const rel = requestPath(input.path, "body.path");
  const made = await inWorkspace("files.mkdir", ws.harness.slug, () => ws.store.mkdir(rel));
  return { file: made.entry, created: made.created };
}
