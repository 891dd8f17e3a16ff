import { ToolError } from "../../runtime/tools/contract.ts";
import {
  BINARY_SNIFF_BYTES,
  clipLine,
  compileSearch,
  descendantPrefix,
  globScanPrefix,
  GREP_READ_CONCURRENCY,
  MAX_GREP_FILE_BYTES,
  MAX_GREP_SCANNED_FILES,
  MAX_SCAN_KEYS,
  readBytesOrNull,
} from "../../runtime/tools/builtin/workspace.ts";
import type { WorkspaceEntry } from "../../runtime/tools/ports.ts";
import { compileGlob, normalizeGlob } from "../../runtime/tools/workspace-paths.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { inWorkspace, requestPath, resolveWorkspace } from "./workspace.ts";

/** Matching lines returned per file by a grep search; more set `truncated`. */
export const MAX_LINE_MATCHES_PER_FILE = 100;
/** `max_results` when the request gives none (spec: 100), and the most it may ask (spec: 1000). */
export const DEFAULT_SEARCH_RESULTS = 100;
export const MAX_SEARCH_RESULTS = 1000;

/** Open Harness `FileMatch`: a file and, for grep searches, its matching lines. */
export interface FileMatchResult {
  file: WorkspaceEntry;
  line_matches?: { line_number: number; content: string }[];
}

/** files.search input (spec: all optional). */
export interface SearchInput {
  ref: string;
  sessionId?: string;
  glob?: string;
  grep?: string;
  path?: string;
  max_results?: number;
}

/**
 * files.search — files under `path` (default the root) whose path relative to it matches `glob`
 * (picomatch: `*` within a directory, `**` across; without glob: every file), found in the path index;
 * with `grep`, only those whose content has a line matching the regular expression, with the lines
 * (1-based). At most `max_results` files, {@link MAX_LINE_MATCHES_PER_FILE} lines each; grep reads at
 * most {@link MAX_GREP_SCANNED_FILES} files and skips files over {@link MAX_GREP_FILE_BYTES} and binary
 * ones. `truncated` says a limit cut the answer short.
 * @throws ApiError `invalid_path`, `invalid_pattern`, `file_not_found` (path), `not_a_directory`
 */
export async function searchFiles({ ctx, input }: VerbArgs<AuthedContext, SearchInput>): Promise<{
  matches: FileMatchResult[];
  truncated: boolean;
  filesScanned: number;
  filesSkipped: number;
}> {
  const ws = await resolveWorkspace(ctx, { ref: input.ref, sessionId: input.sessionId, capability: "search", operation: "files.search" });
  const dir = requestPath(input.path ?? "/", "body.path");
  const max = input.max_results ?? DEFAULT_SEARCH_RESULTS;
  return inWorkspace("files.search", ws.harness.slug, async () => {
    if (dir !== "") {
      const at = await ws.store.stat(dir);
      if (!at) throw new ToolError("not_found", `Directory not found: /${dir}`);
      if (at.type !== "directory") throw new ToolError("not_a_directory", `/${dir} is a file, not a directory.`);
    }
    const glob = input.glob === undefined ? undefined : normalizeGlob(input.glob);
    const root = glob?.absolute ? "" : dir;
    const matcher = glob ? compileGlob(glob.pattern) : () => true;
    const regex = input.grep === undefined ? undefined : compileSearch(input.grep, false, false);
    const base = descendantPrefix(root);
    const scanned = await ws.store.files(glob ? globScanPrefix(root, glob.pattern) : base, { limit: MAX_SCAN_KEYS });
    let truncated = scanned.truncated;
    const candidates = scanned.entries.filter((e) => matcher(e.path.slice(base.length)));
    if (!regex) {
      truncated ||= candidates.length > max;
      return { matches: candidates.slice(0, max).map((file) => ({ file })), truncated, filesScanned: 0, filesSkipped: 0 };
    }
    const matches: FileMatchResult[] = [];
    let filesScanned = 0;
    let filesSkipped = 0;
    const readable = candidates.filter((e) => {
      if (e.size_bytes <= MAX_GREP_FILE_BYTES) return true;
      filesSkipped += 1;
      return false;
    });
    if (readable.length > MAX_GREP_SCANNED_FILES) truncated = true;
    const toScan = readable.slice(0, MAX_GREP_SCANNED_FILES);
    scan: for (let i = 0; i < toScan.length; i += GREP_READ_CONCURRENCY) {
      const batch = toScan.slice(i, i + GREP_READ_CONCURRENCY);
      const contents = await Promise.all(batch.map((e) => readBytesOrNull({ workspace: ws.store }, e.path)));
      for (const [j, bytes] of contents.entries()) {
        const file = batch[j]!;
        if (bytes === null) continue;
        if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
          filesSkipped += 1;
          continue;
        }
        filesScanned += 1;
        const lines: { line_number: number; content: string }[] = [];
        for (const [n, raw] of new TextDecoder().decode(bytes).split("\n").entries()) {
          const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
          if (!regex.test(line)) continue;
          if (lines.length >= MAX_LINE_MATCHES_PER_FILE) {
            truncated = true;
            break;
          }
          lines.push({ line_number: n + 1, content: clipLine(line) });
        }
        if (lines.length === 0) continue;
        if (matches.length >= max) {
          truncated = true;
          break scan;
        }
        matches.push({ file, line_matches: lines });
      }
    }
    return { matches, truncated, filesScanned, filesSkipped };
  });
}
