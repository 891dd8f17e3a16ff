import { Zip, ZipPassThrough } from "fflate";
import { ApiError } from "../../errors/api-error.ts";
import type { WorkspaceEntry } from "../../runtime/tools/ports.ts";
import { descendantPrefix } from "../../runtime/tools/builtin/workspace.ts";
import { displayWorkspacePath } from "../../runtime/tools/workspace-paths.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { WorkspaceStore } from "../workspace/store.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/** Most files one files.downloadBatch puts in its ZIP, directories expanded (spec: 1000). */
export const MAX_DOWNLOAD_BATCH_FILES = 1000;

/**
 * files.downloadBatch — a ZIP of the named files (a directory stands for every file below it), with
 * their workspace paths as entry names (directory structure preserved). Every path must exist; nothing
 * is read before all are found. The ZIP is streamed file by file (fflate's streaming `Zip`, entries
 * stored as they are, CRC computed on the way), so memory holds one R2 chunk at a time, whatever the
 * total size.
 * @throws ApiError `invalid_path` (naming the index), `file_not_found` (listing the missing paths),
 *   `payload_too_large` (413: more than {@link MAX_DOWNLOAD_BATCH_FILES} files after expansion)
 */
export async function downloadBatch({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId?: string; paths: string[] }>): Promise<{
  harnessSlug: string;
  files: WorkspaceEntry[];
  zip: ReadableStream<Uint8Array>;
}> {
  const ws = await resolveWorkspace(ctx, {
    ref: input.ref,
    sessionId: input.sessionId,
    capability: "download",
    operation: "files.downloadBatch",
  });
  const rels = input.paths.map((p, i) => requestPath(p, `body.paths.${i}`));
  const found = await ws.store.statMany(rels);
  const missing = rels.filter((r) => r !== "" && !found.has(r));
  if (missing.length > 0) {
    throw new ApiError(
      "file_not_found",
      `Not found: ${missing.slice(0, 10).map(displayWorkspacePath).join(", ")}${missing.length > 10 ? " …" : ""}`,
      {
        domain: "files",
        operation: "files.downloadBatch",
        details: { missing: missing.map(displayWorkspacePath) },
        actions: [{ rel: "list", operation_id: "files.list", href: `/v1/harnesses/${ws.harness.slug}/files` }],
      },
    );
  }
  const files = new Map<string, WorkspaceEntry>();
  for (const rel of rels) {
    const entry = rel === "" ? undefined : found.get(rel);
    if (entry?.type === "file") files.set(rel, entry);
    else {
      const below = await inWorkspace("files.downloadBatch", ws.harness.slug, () =>
        ws.store.files(descendantPrefix(rel), { limit: MAX_DOWNLOAD_BATCH_FILES + 1 }),
      );
      for (const e of below.entries) files.set(e.path, e);
    }
    if (files.size > MAX_DOWNLOAD_BATCH_FILES) {
      throw new ApiError("payload_too_large", `The paths name more than ${MAX_DOWNLOAD_BATCH_FILES} files; ask for fewer at once.`, {
        domain: "files",
        operation: "files.downloadBatch",
        details: { max_files: MAX_DOWNLOAD_BATCH_FILES },
        actions: [{ rel: "fix-input", hint: "Split the paths over several requests." }],
      });
    }
  }
  const list = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { harnessSlug: ws.harness.slug, files: list, zip: zipStream(ws.store, list, ctx.log) };
}

/** A ZIP of `files` read one after another from the store, produced as the reader pulls. */
function zipStream(store: WorkspaceStore, files: WorkspaceEntry[], log: AuthedContext["log"]): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  let failed: unknown;
  const zip = new Zip((error, chunk) => {
    if (error) failed = error;
    else if (chunk.byteLength > 0) writer.write(chunk).catch((e: unknown) => (failed = e));
  });
  void (async () => {
    try {
      for (const entry of files) {
        const file = new ZipPassThrough(entry.path);
        file.mtime = new Date(entry.modified_at);
        zip.add(file);
        const object = await store.read(entry.path);
        const reader = object.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          file.push(value);
          await writer.ready; // backpressure: wait until the client took what was written
          if (failed) throw failed;
        }
        file.push(new Uint8Array(0), true);
      }
      zip.end();
      await writer.ready;
      await writer.close();
    } catch (error) {
      log.warn("files.downloadBatch: the ZIP stream was cut short", { error });
      await writer.abort(error).catch(() => {});
    }
  })();
  return readable;
}
