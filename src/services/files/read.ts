import { ApiError } from "../../errors/api-error.ts";
import type { WorkspaceRange, WorkspaceReadResult } from "../../runtime/tools/ports.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/**
 * Parses an RFC 9110 §14.1.2 `Range: bytes=…` header into one range of a `size`-byte file. Several
 * ranges, another unit or a malformed value return `undefined` (the whole file is sent, as §14.2
 * allows); a range that starts at or after the end is unsatisfiable (`"unsatisfiable"`).
 */
export function parseByteRange(header: string | undefined, size: number): WorkspaceRange | "unsatisfiable" | undefined {
  if (!header) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    const suffix = Number(last);
    return suffix === 0 ? "unsatisfiable" : { suffix };
  }
  const offset = Number(first);
  if (offset >= size) return "unsatisfiable";
  if (last === "") return { offset };
  const end = Number(last);
  if (end < offset) return undefined;
  return { offset, length: Math.min(end, size - 1) - offset + 1 };
}

/** What files.read returns: the (ranged) bytes and whether they are a part. */
export interface ReadFileResult {
  harnessSlug: string;
  file: WorkspaceReadResult;
  /** Set for a 206 answer: the served range and the whole size. */
  partial?: { offset: number; length: number; size: number };
}

/**
 * files.read — a file's bytes with its content type, whole or one byte range (`Range`).
 * @throws ApiError `invalid_path`, `file_not_found`, `is_a_directory`, `range_not_satisfiable` (416)
 */
export async function readFile({
  ctx,
  input,
}: VerbArgs<
  AuthedContext,
  { ref: string; sessionId?: string; path: string; range?: string; operation?: string }
>): Promise<ReadFileResult> {
  const operation = input.operation ?? "files.read";
  const ws = await resolveWorkspace(ctx, {
    ref: input.ref,
    sessionId: input.sessionId,
    capability: operation === "files.download" ? "download" : "read",
    operation,
  });
  const rel = requestPath(input.path, "path.path", { file: true });
  return inWorkspace(operation, ws.harness.slug, async () => {
    const entry = await ws.store.stat(rel);
    const range = entry?.type === "file" ? parseByteRange(input.range, entry.size_bytes) : undefined;
    if (range === "unsatisfiable") {
      throw new ApiError("range_not_satisfiable", `The file is ${entry!.size_bytes} bytes; the requested range starts beyond it.`, {
        domain: "files",
        operation,
        details: { size_bytes: entry!.size_bytes },
        actions: [{ rel: "fix-input", hint: `Ask for bytes within 0–${Math.max(0, entry!.size_bytes - 1)}, or omit Range.` }],
      });
    }
    const file = await ws.store.read(rel, range);
    return {
      harnessSlug: ws.harness.slug,
      file,
      ...(file.range ? { partial: { ...file.range, size: file.entry.size_bytes } } : {}),
    };
  });
}
