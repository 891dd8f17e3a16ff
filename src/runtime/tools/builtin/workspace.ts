/**
 * Built-in workspace file tools: read_file, write_file, edit_file, list_files, glob, grep.
 *
 * They act only through the run's {@link WorkspacePort} (`ctx.workspace`): the same store `files.*`
 * serves — R2 objects beside a path index, so listing and glob never scan R2, and a starter file marked
 * read-only refuses edits here as everywhere (`read_only`). Paths go through the one normalisation of
 * `../workspace-paths.ts`: the model may write `/workspace/a.md`, `/a.md`, `./a.md` or `a.md` for the same
 * file; `.` and `..` segments are collapsed and a `..` that would leave the root is refused. Tools report
 * paths absolute in the workspace (`/a.md`, root `/`), a form every tool accepts back as input.
 *
 * Limits are constants below; anything cut short says so with `truncated: true`.
 *
 * Skills: a run's enabled skills appear as read-only folders `/skills/{name}/` (see `withSkillMount`).
 */
import picomatch from "picomatch";
import { z } from "zod";
import { RE2JS } from "re2js";
import { ToolError, type Tool, type ToolContext } from "../contract.ts";
import { defineTool } from "../define.ts";
import type { WorkspaceEntry } from "../ports.ts";
import { mountSkills } from "../skill-mount.ts";
import {
  compileGlob,
  displayWorkspacePath,
  guessMimeType,
  MAX_PATH_CHARS,
  normalizeGlob,
  normalizeWorkspacePath,
} from "../workspace-paths.ts";

export { displayWorkspacePath, guessMimeType, MAX_PATH_CHARS, MAX_R2_KEY_BYTES, normalizeWorkspacePath } from "../workspace-paths.ts";

/**
 * The context a workspace tool works in: when the run has skills, their folders appear read-only under
 * `/skills/{name}/` (`skill-mount.ts`); otherwise the workspace as it is.
 */
function withSkillMount(ctx: ToolContext): ToolContext {
  return ctx.skills ? { ...ctx, workspace: mountSkills(ctx.workspace, ctx.skills) } : ctx;
}

// ---------------------------------------------------------------------------------------------
// Limits

/** Most content read_file returns in one call, in UTF-8 bytes (256 KiB). */
export const MAX_READ_BYTES = 256 * 1024;
/** Most of one file read_file streams through while looking for lines and counting them (32 MiB). */
export const MAX_READ_SCAN_BYTES = 32 * 1024 * 1024;
/** Largest file write_file stores and edit_file edits or produces, in UTF-8 bytes (1 MiB). */
export const MAX_WRITE_BYTES = 1024 * 1024;
/** Most entries (files + directories) list_files returns. */
export const MAX_LIST_ENTRIES = 1000;
/** Most paths glob returns. */
export const MAX_GLOB_MATCHES = 1000;
/** Most index entries glob or grep examine. */
export const MAX_SCAN_KEYS = 10_000;
/** Files larger than this (bytes) are skipped by grep (1 MiB). */
export const MAX_GREP_FILE_BYTES = 1024 * 1024;
/** Most files grep reads in one call. */
export const MAX_GREP_SCANNED_FILES = 500;
/** Matches grep returns when `max_matches` is not given, and the most it may ask for. */
export const DEFAULT_GREP_MATCHES = 100;
export const MAX_GREP_MATCHES = 1000;
/** A matching line longer than this (UTF-16 code units) is cut and ends with `…`. */
export const MAX_GREP_LINE_CHARS = 500;
/** Concurrent reads by grep (Workers allow six open connections per invocation). */
export const GREP_READ_CONCURRENCY = 6;
/** How many leading bytes are checked for NUL to call a file binary. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

// ---------------------------------------------------------------------------------------------
// Shared helpers

const utf8 = new TextEncoder();

/** Normalises a path that must name a file. @throws ToolError `invalid_path` (also for the root itself). */
function resolveFilePath(path: string): string {
  const rel = normalizeWorkspacePath(path);
  if (rel === "") throw new ToolError("invalid_path", `Path ${JSON.stringify(path)} is the workspace root, not a file.`);
  return rel;
}

function binaryFile(rel: string): ToolError {
  return new ToolError("binary_file", `${displayWorkspacePath(rel)} is not a UTF-8 text file.`);
}

/** Decodes a whole file as UTF-8. @throws ToolError `binary_file` on invalid UTF-8 or a NUL in the first 8 KiB. */
function decodeText(rel: string, bytes: Uint8Array): string {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw binaryFile(rel);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw binaryFile(rel);
  }
}

/** A directory's path as a string prefix of its descendants' paths (`""` for the root, else `dir/`). */
export function descendantPrefix(dir: string): string {
  return dir === "" ? "" : `${dir}/`;
}

// ---------------------------------------------------------------------------------------------
// read_file

const pathField = z.string().max(4 * MAX_PATH_CHARS);

interface LineSlice {
  bytes: Uint8Array;
  /** Index of the first line not (fully) included in `bytes`. */
  nextLine: number;
  /** Lines in the file, or null when the scan stopped at MAX_READ_SCAN_BYTES. */
  totalLines: number | null;
  /** Whether the scan stopped at MAX_READ_SCAN_BYTES before reaching `offset`. */
  offsetUnreached: boolean;
}

/**
 * Streams `body`, keeping the bytes of lines [offset, offset + limit) up to `maxBytes` (whole lines
 * only, except that a first line longer than `maxBytes` is cut) and counting every line. Works on
 * bytes: 0x0A never occurs inside a multi-byte UTF-8 sequence, so splitting there is safe.
 */
async function sliceLines(
  body: ReadableStream<Uint8Array>,
  offset: number,
  limit: number,
  maxBytes: number,
  maxScanBytes: number,
): Promise<LineSlice> {
  const out = new Uint8Array(maxBytes);
  let used = 0;
  let lineStartUsed = 0; // `used` when the current line began, to roll back a line that does not fit
  let line = 0;
  let full = false; // stopped collecting because of maxBytes
  let nextLine = offset;
  let scanned = 0;
  let lastByte = -1;
  const end = offset + limit;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      scanned += value.byteLength;
      if (value.byteLength > 0) lastByte = value[value.byteLength - 1] ?? -1;
      let pos = 0;
      while (pos < value.byteLength) {
        const nl = value.indexOf(0x0a, pos);
        const segEnd = nl === -1 ? value.byteLength : nl + 1;
        if (!full && line >= offset && line < end) {
          const seg = value.subarray(pos, segEnd);
          if (used + seg.byteLength <= maxBytes) {
            out.set(seg, used);
            used += seg.byteLength;
          } else if (lineStartUsed > 0) {
            used = lineStartUsed; // drop the partial line; the caller continues from it
            full = true;
          } else {
            out.set(seg.subarray(0, maxBytes - used), used); // a single over-long line: cut it
            used = maxBytes;
            full = true;
            nextLine = line + 1;
          }
        }
        if (nl === -1) break;
        line += 1;
        if (!full && line > offset && line <= end) {
          lineStartUsed = used;
          nextLine = line;
        }
        pos = segEnd;
      }
      const collected = full || line >= end;
      if (collected && scanned >= maxScanBytes) {
        await reader.cancel();
        return { bytes: out.subarray(0, used), nextLine, totalLines: null, offsetUnreached: false };
      }
      if (!collected && scanned >= maxScanBytes && line < offset) {
        await reader.cancel();
        return { bytes: out.subarray(0, 0), nextLine, totalLines: null, offsetUnreached: true };
      }
    }
  } finally {
    reader.releaseLock();
  }
  const totalLines = line + (scanned > 0 && lastByte !== 0x0a ? 1 : 0);
  // An unterminated last line that was collected whole counts as read.
  if (!full && line < end && totalLines > line && line >= offset) nextLine = totalLines;
  return { bytes: out.subarray(0, used), nextLine, totalLines, offsetUnreached: false };
}

/**
 * read_file — `{path, offset_lines?, limit_lines?}` → `{path, content, total_lines, truncated,
 * next_offset_lines?}`. Returns whole lines (with their line endings) starting after `offset_lines`
 * skipped lines, at most `limit_lines` lines and {@link MAX_READ_BYTES} bytes. `total_lines` counts
 * `\n`-separated lines (a trailing newline does not start a new one; null for files larger than
 * {@link MAX_READ_SCAN_BYTES}). `truncated` means content exists after the returned part, and then
 * `next_offset_lines` is the `offset_lines` to continue from.
 *
 * @throws ToolError `invalid_path`; `not_found` ("File not found: /x"); `is_a_directory`; `binary_file` for non-UTF-8
 *   content; `file_too_large` when `offset_lines` lies beyond the first {@link MAX_READ_SCAN_BYTES}.
 */
export const readFileTool = defineTool({
  name: "read_file",
  description:
    "Read a UTF-8 text file from the workspace. Paths are relative to the workspace root: /workspace/notes.md, " +
    "/notes.md and notes.md name the same file. Returns at most 256 KiB of whole lines; for longer files " +
    "continue with offset_lines = next_offset_lines. total_lines is the file's line count.",
  inputSchema: z.object({
    path: pathField.describe("File to read, e.g. /workspace/src/app.py or src/app.py."),
    offset_lines: z.number().int().min(0).optional().describe("Number of lines to skip first (default 0)."),
    limit_lines: z.number().int().min(1).optional().describe("Maximum number of lines to return (default: all)."),
  }),
  async execute(input, callCtx) {
    const ctx = withSkillMount(callCtx);
    const rel = resolveFilePath(input.path);
    const object = await ctx.workspace.read(rel);
    const offset = input.offset_lines ?? 0;
    const slice = await sliceLines(object.body, offset, input.limit_lines ?? Number.MAX_SAFE_INTEGER, MAX_READ_BYTES, MAX_READ_SCAN_BYTES);
    if (slice.offsetUnreached) {
      throw new ToolError(
        "file_too_large",
        `${displayWorkspacePath(rel)} is larger than ${MAX_READ_SCAN_BYTES} bytes and line ${offset + 1} lies beyond them; use grep to find content in it.`,
      );
    }
    if (slice.bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw binaryFile(rel);
    let content: string;
    try {
      // stream:true holds back a multi-byte character cut at the byte limit instead of failing on it.
      content = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(slice.bytes, { stream: true });
    } catch {
      throw binaryFile(rel);
    }
    const truncated = slice.totalLines === null || slice.nextLine < slice.totalLines;
    return {
      path: displayWorkspacePath(rel),
      content,
      total_lines: slice.totalLines,
      truncated,
      ...(truncated ? { next_offset_lines: slice.nextLine } : {}),
    };
  },
});

// ---------------------------------------------------------------------------------------------
// write_file

/**
 * write_file — `{path, content}` → `{path, size_bytes, created}`. Creates or replaces a UTF-8 text file
 * (missing parent directories are created); `size_bytes` is the UTF-8 length; `created` is true
 * when no file existed before. Records the file with `ctx.artifacts` after the write.
 *
 * @throws ToolError `invalid_path`; `file_too_large` over {@link MAX_WRITE_BYTES}; `is_a_directory`
 *   when `path` is an existing directory; `not_a_directory` when a parent of `path` is a file;
 *   `read_only` for a starter file marked read-only.
 */
export const writeFileTool = defineTool({
  name: "write_file",
  description:
    "Create or overwrite a UTF-8 text file in the workspace (at most 1 MiB). Parent directories are created " +
    "as needed. Paths are relative to the workspace root (/workspace/x, /x and x are the same). To change part " +
    "of an existing file prefer edit_file.",
  inputSchema: z.object({
    path: pathField.describe("File to write, e.g. /workspace/report.md."),
    content: z.string().describe("The complete new content of the file."),
  }),
  async execute(input, callCtx) {
    const ctx = withSkillMount(callCtx);
    const rel = resolveFilePath(input.path);
    const bytes = utf8.encode(input.content);
    if (bytes.byteLength > MAX_WRITE_BYTES) {
      throw new ToolError(
        "file_too_large",
        `Content is ${bytes.byteLength} bytes; write_file accepts at most ${MAX_WRITE_BYTES} bytes (1 MiB).`,
      );
    }
    const mimeType = guessMimeType(rel);
    const { created } = await ctx.workspace.write(rel, bytes, { mimeType });
    const path = displayWorkspacePath(rel);
    await ctx.artifacts?.record({ path, size_bytes: bytes.byteLength, mime_type: mimeType });
    return { path, size_bytes: bytes.byteLength, created };
  },
});

// ---------------------------------------------------------------------------------------------
// edit_file

/** Non-overlapping occurrences of `needle` (non-empty) in `text`. */
function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count += 1;
  return count;
}

/**
 * edit_file — `{path, old_string, new_string, replace_all?}` → `{path, replacements, size_bytes}`.
 * Replaces the exact text `old_string` (which must occur once, or any number of times with
 * `replace_all`) by `new_string`, literally (no `$&` patterns). The write is conditional on the
 * file being unchanged since it was read. Records the file with `ctx.artifacts` after the write.
 *
 * @throws ToolError `invalid_path`; `not_found`; `is_a_directory`; `binary_file`; `invalid_input` when old and new are
 *   equal; `no_match`; `ambiguous_match` (message gives the count); `file_too_large` when the file or
 *   the result exceeds {@link MAX_WRITE_BYTES}; `conflict` when the file changed concurrently; `read_only`.
 */
export const editFileTool = defineTool({
  name: "edit_file",
  description:
    "Replace exact text in a workspace text file. old_string must match the file's text exactly (including " +
    "whitespace and indentation) and must occur exactly once, unless replace_all is true, in which case every " +
    "occurrence is replaced. Include surrounding context in old_string to make it unique.",
  inputSchema: z.object({
    path: pathField.describe("File to edit, e.g. /workspace/src/app.py."),
    old_string: z.string().min(1).describe("The exact text to replace."),
    new_string: z.string().describe("The text to put in its place (may be empty to delete)."),
    replace_all: z.boolean().optional().describe("Replace every occurrence instead of exactly one (default false)."),
  }),
  async execute(input, callCtx) {
    const ctx = withSkillMount(callCtx);
    const rel = resolveFilePath(input.path);
    const path = displayWorkspacePath(rel);
    if (input.old_string === input.new_string) {
      throw new ToolError("invalid_input", "old_string and new_string are identical; there is nothing to change.");
    }
    const object = await ctx.workspace.read(rel);
    if (object.entry.readonly) {
      await object.body.cancel();
      throw new ToolError("read_only", `${path} is a read-only starter file; it cannot be edited.`);
    }
    if (object.size > MAX_WRITE_BYTES) {
      await object.body.cancel();
      throw new ToolError("file_too_large", `${path} is ${object.size} bytes; edit_file edits files up to ${MAX_WRITE_BYTES} bytes.`);
    }
    const text = decodeText(rel, new Uint8Array(await new Response(object.body).arrayBuffer()));
    const count = countOccurrences(text, input.old_string);
    if (count === 0) throw new ToolError("no_match", `old_string was not found in ${path}; it must match the file exactly.`);
    if (count > 1 && input.replace_all !== true) {
      throw new ToolError(
        "ambiguous_match",
        `old_string occurs ${count} times in ${path}; add surrounding context to make it unique or set replace_all.`,
      );
    }
    let updated: string;
    if (input.replace_all === true) {
      updated = text.split(input.old_string).join(input.new_string);
    } else {
      const at = text.indexOf(input.old_string);
      updated = text.slice(0, at) + input.new_string + text.slice(at + input.old_string.length);
    }
    const bytes = utf8.encode(updated);
    if (bytes.byteLength > MAX_WRITE_BYTES) {
      throw new ToolError("file_too_large", `The edited file would be ${bytes.byteLength} bytes; the limit is ${MAX_WRITE_BYTES}.`);
    }
    const mimeType = object.entry.mime_type ?? guessMimeType(rel);
    await ctx.workspace.write(rel, bytes, { mimeType, ifMatch: object.etag });
    await ctx.artifacts?.record({ path, size_bytes: bytes.byteLength, mime_type: mimeType });
    return { path, replacements: input.replace_all === true ? count : 1, size_bytes: bytes.byteLength };
  },
});

// ---------------------------------------------------------------------------------------------
// list_files

/** One list_files entry (the spec's FileInfo, §2.13). Directories carry no size, MIME type or time. */
interface FileEntry {
  path: string;
  name: string;
  type: "file" | "directory";
  size_bytes?: number;
  mime_type?: string;
  modified_at?: string;
  readonly?: true;
}

function toFileEntry(entry: WorkspaceEntry): FileEntry {
  const base = { path: displayWorkspacePath(entry.path), name: entry.name };
  if (entry.type === "directory") return { ...base, type: "directory" };
  return {
    ...base,
    type: "file",
    size_bytes: entry.size_bytes,
    mime_type: entry.mime_type ?? guessMimeType(entry.path),
    modified_at: entry.modified_at,
    ...(entry.readonly ? { readonly: true as const } : {}),
  };
}

/**
 * list_files — `{path?, recursive?}` → `{path, entries: FileInfo[], truncated}` with entries
 * `{path, name, type: "file"|"directory", size_bytes?, mime_type?, modified_at?, readonly?}` in path
 * order (directories have only path, name, type). Non-recursive lists direct children; recursive lists
 * every file and directory below. At most {@link MAX_LIST_ENTRIES} entries.
 *
 * @throws ToolError `invalid_path`; `not_found` for a missing directory (other than the root);
 *   `not_a_directory` when `path` is a file.
 */
export const listFilesTool = defineTool({
  name: "list_files",
  description:
    "List the files and directories in a workspace directory (default: the workspace root). Set recursive to " +
    "list everything below it. Returns at most 1000 entries; truncated is true when there are more.",
  inputSchema: z.object({
    path: pathField.optional().describe("Directory to list, e.g. /workspace/src (default: the root)."),
    recursive: z.boolean().optional().describe("List all descendants, not only direct children (default false)."),
  }),
  async execute(input, callCtx) {
    const ctx = withSkillMount(callCtx);
    const dir = normalizeWorkspacePath(input.path ?? "");
    const listed = await ctx.workspace.list(dir, { recursive: input.recursive === true, limit: MAX_LIST_ENTRIES });
    return { path: displayWorkspacePath(dir), entries: listed.entries.map(toFileEntry), truncated: listed.truncated };
  },
});

// ---------------------------------------------------------------------------------------------
// glob

/**
 * The string prefix the index is narrowed to for `pattern` (normalised, relative to the directory
 * `dir`): the pattern's literal leading directories (`src/**\/*.ts` → `src/`), or the whole pattern when
 * it has no glob characters. Escapes (`\*`) and negations disable the narrowing.
 */
export function globScanPrefix(dir: string, pattern: string): string {
  const scan = picomatch.scan(pattern);
  const narrow = !scan.negated && !pattern.includes("\\");
  const literal = !narrow ? "" : scan.isGlob ? (scan.base === "" ? "" : `${scan.base}/`) : pattern;
  return descendantPrefix(dir) + literal;
}

/**
 * glob — `{pattern, path?}` → `{matches: string[], truncated}`. Matches file paths relative to the
 * directory `path` (default the root) against a picomatch pattern: `*` stays within one directory
 * (`*.txt` matches `one.txt`, not `sub/five.txt`), `**` crosses directories, `{a,b}` and `[ab]`
 * work, dotfiles match. A pattern starting with `/` or `/workspace/` is anchored at the root
 * instead. Matches are workspace paths (`/sub/five.txt`) in path order; only files match. At most
 * {@link MAX_GLOB_MATCHES} matches after examining at most {@link MAX_SCAN_KEYS} index entries.
 *
 * @throws ToolError `invalid_path`; `invalid_pattern` for a pattern picomatch rejects or with `..`.
 */
export const globTool = defineTool({
  name: "glob",
  description:
    "Find workspace files whose path matches a glob pattern, relative to path (default: the workspace root). " +
    "'*' matches within one directory ('*.txt' finds only top-level .txt files), '**' matches across " +
    "directories ('**/*.txt' finds them at any depth); braces {a,b} and classes [abc] are supported.",
  inputSchema: z.object({
    pattern: z.string().min(1).max(MAX_PATH_CHARS).describe("Glob pattern, e.g. *.md, src/**/*.ts or **/test_*.py."),
    path: pathField.optional().describe("Directory the pattern is relative to (default: the workspace root)."),
  }),
  async execute(input, callCtx) {
    const ctx = withSkillMount(callCtx);
    const glob = normalizeGlob(input.pattern);
    const dir = glob.absolute ? "" : normalizeWorkspacePath(input.path ?? "");
    const matcher = compileGlob(glob.pattern);
    const base = descendantPrefix(dir);
    const scanned = await ctx.workspace.files(globScanPrefix(dir, glob.pattern), { limit: MAX_SCAN_KEYS });
    const matches: string[] = [];
    let truncated = scanned.truncated;
    for (const entry of scanned.entries) {
      if (!matcher(entry.path.slice(base.length))) continue;
      if (matches.length >= MAX_GLOB_MATCHES) {
        truncated = true;
        break;
      }
      matches.push(displayWorkspacePath(entry.path));
    }
    return { matches, truncated };
  },
});

// ---------------------------------------------------------------------------------------------
// grep

/** A compiled search pattern: `test(line)` is true when the pattern matches anywhere in the line. */
export interface LineMatcher {
  test(line: string): boolean;
}

/**
 * Compiles a grep pattern with RE2 (re2js): JavaScript regular-expression syntax, matched in time
 * linear in the line's length, so no pattern a user or a model sends can backtrack for ever (ReDoS)
 * and stall the Worker. Backreferences and lookaround, which need backtracking, are refused.
 * @throws ToolError `invalid_pattern` for an invalid pattern, or one RE2 cannot run.
 */
export function compileSearch(pattern: string, literal: boolean, ignoreCase: boolean): LineMatcher {
  try {
    const source = literal ? RE2JS.quote(pattern) : RE2JS.translateRegExp(pattern);
    return RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    throw new ToolError(
      "invalid_pattern",
      `Invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}. Patterns use JavaScript syntax without backreferences or lookaround (matched by RE2, in linear time).`,
    );
  }
}

export function clipLine(line: string): string {
  return line.length > MAX_GREP_LINE_CHARS ? `${line.slice(0, MAX_GREP_LINE_CHARS)}…` : line;
}

/**
 * grep — `{pattern, path?, glob?, ignore_case?, literal?, max_matches?}` →
 * `{matches: [{path, line_number, content}], truncated, files_scanned, files_skipped}`. Searches the
 * lines of workspace text files for a regular expression (JavaScript syntax, run by RE2 in linear time; or, with `literal`, an exact
 * string). `path` is a file or a directory searched recursively (default the root); `glob` filters
 * files relative to it (without a `/` it matches file names at any depth, like ripgrep). Line
 * numbers are 1-based; `content` is the line without its line ending, cut at
 * {@link MAX_GREP_LINE_CHARS}. Files over {@link MAX_GREP_FILE_BYTES} and binary files are skipped
 * (`files_skipped`); at most {@link MAX_GREP_SCANNED_FILES} files are read. `truncated` is true when
 * `max_matches` (default {@link DEFAULT_GREP_MATCHES}) or a scan limit cut the search short.
 *
 * @throws ToolError `invalid_path`; `invalid_pattern` for an invalid regex or glob; `not_found` when
 *   `path` (other than the root) is neither a file nor a directory.
 */
export const grepTool = defineTool({
  name: "grep",
  description:
    "Search the contents of workspace text files for a regular expression (JavaScript syntax, without backreferences or lookaround) or, with " +
    "literal=true, an exact string. Returns matching lines with 1-based line numbers. path may be a file or a " +
    "directory (searched recursively, default: the workspace root); glob filters files, e.g. '*.py'.",
  inputSchema: z.object({
    pattern: z.string().min(1).max(1000).describe("Regular expression (or exact text with literal=true)."),
    path: pathField.optional().describe("File or directory to search (default: the workspace root)."),
    glob: z.string().min(1).max(MAX_PATH_CHARS).optional().describe("Only search files matching this glob, e.g. *.md."),
    ignore_case: z.boolean().optional().describe("Case-insensitive search (default false)."),
    literal: z.boolean().optional().describe("Treat pattern as exact text, not a regular expression (default false)."),
    max_matches: z
      .number()
      .int()
      .min(1)
      .max(MAX_GREP_MATCHES)
      .optional()
      .describe(`Maximum matching lines to return (default ${DEFAULT_GREP_MATCHES}).`),
  }),
  async execute(input, callCtx) {
    const ctx = withSkillMount(callCtx);
    const regex = compileSearch(input.pattern, input.literal === true, input.ignore_case === true);
    const root = normalizeWorkspacePath(input.path ?? "");
    const maxMatches = input.max_matches ?? DEFAULT_GREP_MATCHES;
    const filter =
      input.glob === undefined ? null : compileGlob(normalizeGlob(input.glob).pattern, { basename: !input.glob.includes("/") });
    let truncated = false;
    let skipped = 0;

    // Candidate files: `path` itself when it is a file, else everything below it.
    const candidates: string[] = [];
    const single = root === "" ? null : await ctx.workspace.stat(root);
    if (root !== "" && single === null) {
      throw new ToolError("not_found", `No file or directory found at ${displayWorkspacePath(root)}`);
    }
    if (single?.type === "file") {
      if (single.size_bytes > MAX_GREP_FILE_BYTES) skipped += 1;
      else candidates.push(root);
    } else {
      const base = descendantPrefix(root);
      const listed = await ctx.workspace.files(base, { limit: MAX_SCAN_KEYS });
      truncated ||= listed.truncated;
      for (const entry of listed.entries) {
        if (filter !== null && !filter(entry.path.slice(base.length))) continue;
        if (entry.size_bytes > MAX_GREP_FILE_BYTES) {
          skipped += 1;
          continue;
        }
        if (candidates.length >= MAX_GREP_SCANNED_FILES) {
          truncated = true;
          break;
        }
        candidates.push(entry.path);
      }
    }

    const matches: { path: string; line_number: number; content: string }[] = [];
    let scanned = 0;
    search: for (let i = 0; i < candidates.length; i += GREP_READ_CONCURRENCY) {
      ctx.abortSignal?.throwIfAborted();
      const batch = candidates.slice(i, i + GREP_READ_CONCURRENCY);
      const texts = await Promise.all(batch.map((rel) => readBytesOrNull(ctx, rel)));
      for (const [j, bytes] of texts.entries()) {
        const rel = batch[j];
        if (bytes === null || rel === undefined) continue; // deleted since listing
        if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
          skipped += 1;
          continue;
        }
        scanned += 1;
        const lines = new TextDecoder().decode(bytes).split("\n");
        for (const [n, raw] of lines.entries()) {
          const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
          if (!regex.test(line)) continue;
          if (matches.length >= maxMatches) {
            truncated = true;
            break search;
          }
          matches.push({ path: displayWorkspacePath(rel), line_number: n + 1, content: clipLine(line) });
        }
      }
    }
    return { matches, truncated, files_scanned: scanned, files_skipped: skipped };
  },
});

/** A whole file's bytes, or null when it went away since it was listed. */
export async function readBytesOrNull(ctx: Pick<ToolContext, "workspace">, rel: string): Promise<Uint8Array | null> {
  try {
    const object = await ctx.workspace.read(rel);
    return new Uint8Array(await new Response(object.body).arrayBuffer());
  } catch (error) {
    if (error instanceof ToolError && (error.code === "not_found" || error.code === "is_a_directory")) return null;
    throw error;
  }
}

/** The workspace file tools, in the order they are offered to the model. */
export const WORKSPACE_TOOLS: Tool[] = [readFileTool, writeFileTool, editFileTool, listFilesTool, globTool, grepTool];
