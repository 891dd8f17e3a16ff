/**
 * Workspace paths, MIME types and globs: the ONE normalisation every path of a workspace goes through,
 * whether the agent's file tools or `files.*` sent it (`/workspace/x`, `/x`, `./x` and `x` name the same
 * file; traversal above the root, control characters, backslashes and drive letters are refused).
 */
import picomatch from "picomatch";
import { ToolError } from "./contract.ts";

/** Longest normalised workspace path, in UTF-16 code units (`a/b.txt` is 7). */
export const MAX_PATH_CHARS = 1024;
/** R2's own limit on a whole key (prefix + path), in UTF-8 bytes. */
export const MAX_R2_KEY_BYTES = 1024;

// ---------------------------------------------------------------------------------------------
// Paths

/** The mount point the model is told about; `/workspace/x` is the workspace file `x`. */
export const WORKSPACE_MOUNT = "/workspace";

/**
 * Normalises a path the model sent into a workspace-relative path: no leading or trailing slash,
 * no `.`/`..`/empty segments; `""` is the workspace root. Accepts `/workspace/x`, `/x`, `./x`, `x`
 * (all → `x`); `a/./b/../c` → `a/c`.
 *
 * @throws ToolError `invalid_path` if the path contains NUL or another control character, a backslash or a
 *   leading drive letter (`C:`), if a `..`
 *   would climb above the root, or if the result is longer than {@link MAX_PATH_CHARS}.
 */
export function normalizeWorkspacePath(path: string): string {
  // Control characters are refused outright: NUL truncates paths in many tools and CR/LF break output.
  // oxlint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new ToolError("invalid_path", `Path ${JSON.stringify(path)} contains a NUL or control character.`);
  }
  // Backslashes and drive letters are Windows separators and absolute paths: a ZIP of the workspace
  // unpacked on Windows would otherwise place `..\\x` or `C:\\x` outside its folder.
  if (path.includes("\\") || /^[A-Za-z]:/.test(path)) {
    throw new ToolError("invalid_path", `Path ${JSON.stringify(path)} uses a backslash or a drive letter; separate directories with /.`);
  }
  let rest = path;
  if (rest === WORKSPACE_MOUNT || rest.startsWith(`${WORKSPACE_MOUNT}/`)) rest = rest.slice(WORKSPACE_MOUNT.length);
  const segments: string[] = [];
  for (const segment of rest.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length === 0) {
        throw new ToolError("invalid_path", `Path ${JSON.stringify(path)} escapes the workspace root.`);
      }
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const normalized = segments.join("/");
  if (normalized.length > MAX_PATH_CHARS) {
    throw new ToolError("invalid_path", `Path is longer than ${MAX_PATH_CHARS} characters.`);
  }
  return normalized;
}

/** The form tools report paths in: `""` → `/`, `a/b.txt` → `/a/b.txt`. Input is a normalised path. */
export function displayWorkspacePath(normalized: string): string {
  return `/${normalized}`;
}

// ---------------------------------------------------------------------------------------------
// MIME types

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  cjs: "text/javascript",
  ts: "text/typescript",
  tsx: "text/typescript",
  jsx: "text/javascript",
  py: "text/x-python",
  rb: "text/x-ruby",
  go: "text/x-go",
  rs: "text/x-rust",
  java: "text/x-java",
  c: "text/x-c",
  h: "text/x-c",
  cpp: "text/x-c++",
  sh: "application/x-sh",
  sql: "application/sql",
  json: "application/json",
  jsonl: "application/jsonl",
  xml: "application/xml",
  yaml: "application/yaml",
  yml: "application/yaml",
  toml: "application/toml",
  pdf: "application/pdf",
  zip: "application/zip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
};

/**
 * Guesses a MIME type from a path's extension (case-insensitive): `a/notes.MD` → `text/markdown`,
 * `x.py` → `text/x-python`; no or unknown extension → `application/octet-stream`.
 */
export function guessMimeType(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return "application/octet-stream";
  return MIME_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? "application/octet-stream";
}

/** Builds a picomatch matcher. @throws ToolError `invalid_pattern` if picomatch rejects the pattern. */
export function compileGlob(pattern: string, options: picomatch.PicomatchOptions = {}): (path: string) => boolean {
  try {
    return picomatch(pattern, { dot: true, windows: false, ...options });
  } catch (err) {
    throw new ToolError("invalid_pattern", `Invalid glob ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/**
 * Normalises a glob: `./` and, for an absolute pattern, `/workspace/` and `/` are stripped. Returns
 * the pattern and whether it was absolute (anchored at the workspace root rather than at `path`).
 * @throws ToolError `invalid_pattern` for `..` segments, which would look outside the search root.
 */
export function normalizeGlob(pattern: string): { pattern: string; absolute: boolean } {
  let rest = pattern;
  let absolute = false;
  if (rest === WORKSPACE_MOUNT || rest.startsWith(`${WORKSPACE_MOUNT}/`)) {
    rest = rest.slice(WORKSPACE_MOUNT.length);
    absolute = true;
  }
  if (rest.startsWith("/")) absolute = true;
  rest = rest.replace(/^(?:\.?\/)+/, "");
  if (rest.split("/").includes("..")) {
    throw new ToolError("invalid_pattern", `Glob ${JSON.stringify(pattern)} may not contain "..".`);
  }
  if (rest === "") throw new ToolError("invalid_pattern", `Glob ${JSON.stringify(pattern)} matches no file.`);
  return { pattern: rest, absolute };
}

/** The parent directory of a normalised path (`a/b/c` → `a/b`, `a` → `""`). */
export function parentPath(normalized: string): string {
  const at = normalized.lastIndexOf("/");
  return at < 0 ? "" : normalized.slice(0, at);
}

/** The normalised paths of every ancestor directory of `normalized`, outermost first (`a/b/c` → `a`, `a/b`). */
export function ancestorPaths(normalized: string): string[] {
  const parts = normalized.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}
