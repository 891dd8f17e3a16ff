import type { AuthedContext, VerbArgs } from "../context.ts";
import { readFile, type ReadFileResult } from "./read.ts";
import { requestPath, resolveWorkspace } from "./workspace.ts";

/**
 * files.download — a file's bytes as an attachment. A path whose last segment is `download` is
 * ambiguous with unencoded slashes (spec §9.3 R4): `GET …/files/docs/download` downloads `docs` when
 * `docs` is a file, and otherwise reads the file `docs/download` if there is one (`asFile: true`: the
 * caller answers as files.read). Clients that encode the path (`%2Fdocs%2Fdownload`) never hit this.
 * @throws ApiError `invalid_path`, `file_not_found`, `is_a_directory`
 */
export async function downloadFile({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; path: string }>): Promise<ReadFileResult & { asFile: boolean }> {
  const rel = requestPath(input.path, "path.path", { file: true });
  const ws = await resolveWorkspace(ctx, {
    ref: input.ref,
    sessionId: input.sessionId,
    capability: "download",
    operation: "files.download",
  });
  const target = await ws.store.stat(rel);
  if (target?.type !== "file") {
    const literal = await ws.store.stat(`${rel}/download`);
    if (literal?.type === "file") {
      return { ...(await readFile({ ctx, input: { ...input, path: `${rel}/download` } })), asFile: true };
    }
  }
  return { ...(await readFile({ ctx, input: { ...input, operation: "files.download" } })), asFile: false };
}
