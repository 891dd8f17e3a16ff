/**
 * What every skill upload (skills.register, skills.upgrade, skills.validate) turns into: the files of
 * one skill, read within the limits, and the bytes to store as the version's bundle.
 *
 * Accepted forms (spec §1.8, §9.1 #5): a zip (`application/zip`, or one `files` part that is a zip),
 * multipart `files` parts whose file names are relative paths (`my-skill/SKILL.md`), SKILL.md text
 * (`source.type: "inline"`), or a folder, SKILL.md or zip of the harness workspace
 * (`source.type: "file"`). A zip upload is stored byte for byte (skills.download returns exactly it);
 * the other forms are stored as a canonical zip of the skill folder (sorted, fixed timestamps), so the
 * same files always give the same content hash.
 */
import { zipSync, type Zippable } from "fflate";
import { ApiError } from "../../errors/api-error.ts";
import { isArchiveJunk, normalizeArchivePath, unzipSafely, ZipLimitError } from "../../lib/zip.ts";
import { ToolError } from "../../runtime/tools/contract.ts";
import { normalizeWorkspacePath } from "../../runtime/tools/workspace-paths.ts";
import { workspaceStore } from "../workspace/store.ts";
import type { SkillSourceJson } from "../../db/schema.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { workspacePrefix } from "../storage/keys.ts";
import { networkPolicyLayers, policyFetch } from "../network/policy.ts";
import { MAX_SKILL_BUNDLE_BYTES, MAX_SKILL_FILES, SKILL_NAME, type SkillIssue } from "./skill-bundle.ts";

/** One uploaded form of a skill. */
export type SkillUpload =
  | { kind: "zip"; bytes: Uint8Array }
  | { kind: "files"; files: { path: string; bytes: Uint8Array }[] }
  | { kind: "inline"; content: string }
  | { kind: "workspace"; path: string }
  | { kind: "url"; url: string };

/** Entries of the central directory read from one skill zip at most (files, folders and skipped entries). */
export const MAX_SKILL_ZIP_ENTRIES = 2 * MAX_SKILL_FILES;
/** How long fetching a skill from a URL may take, ms. */
export const SKILL_FETCH_TIMEOUT_MS = 15_000;
/** Redirects followed when fetching a skill from a URL (each hop checked again). */
const MAX_SKILL_FETCH_REDIRECTS = 3;
/** Fixed modification time written into canonical skill zips (so equal files give equal bytes). */
const CANONICAL_MTIME = new Date("2000-01-01T00:00:00Z");
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * Why an upload could not be read as a skill at all: `too_large` (413) or an unreadable / unsafe
 * archive or path (422 `invalid_skill`). skills.validate reports it in its body instead.
 */
export class SkillUploadError extends Error {
  override readonly name = "SkillUploadError";
  constructor(
    readonly issue: SkillIssue,
    readonly overLimit: boolean,
  ) {
    super(issue.message);
  }
}

/** An upload read into files. */
export interface ReadUpload {
  entries: Map<string, Uint8Array>;
  /** Bytes to store as they are (a zip upload), or null: store the canonical zip. */
  stored: Uint8Array | null;
  source: SkillSourceJson;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

function tooLarge(file: string, bytes: number): SkillUploadError {
  return new SkillUploadError(
    { file, code: "too_large", message: `the upload is ${bytes} bytes; a skill bundle is at most ${MAX_SKILL_BUNDLE_BYTES} bytes (10 MB)` },
    true,
  );
}

/** Extracts a skill zip within the skill limits. @throws SkillUploadError */
export function unzipSkill(bytes: Uint8Array, file = "bundle"): Map<string, Uint8Array> {
  if (bytes.byteLength > MAX_SKILL_BUNDLE_BYTES) throw tooLarge(file, bytes.byteLength);
  if (!isZip(bytes)) throw new SkillUploadError({ file, code: "not_a_zip", message: "the upload is not a zip archive" }, false);
  try {
    return unzipSafely(bytes, {
      maxEntries: MAX_SKILL_ZIP_ENTRIES,
      maxTotalBytes: MAX_SKILL_BUNDLE_BYTES,
      maxEntryBytes: MAX_SKILL_BUNDLE_BYTES,
    });
  } catch (error) {
    if (!(error instanceof ZipLimitError)) throw error;
    const big = error.kind === "too_large" || error.kind === "too_many_entries";
    return rethrow(new SkillUploadError({ file: error.path ?? file, code: error.kind, message: error.message }, big));
  }
}

function rethrow(error: SkillUploadError): never {
  throw error;
}

/** Multipart `files` parts as entries (paths normalised, macOS junk skipped). @throws SkillUploadError */
function readParts(files: { path: string; bytes: Uint8Array }[]): Map<string, Uint8Array> {
  if (files.length === 1 && isZip(files[0]!.bytes)) return unzipSkill(files[0]!.bytes, files[0]!.path);
  if (files.length > MAX_SKILL_FILES) {
    throw new SkillUploadError(
      { file: "files", code: "too_many_files", message: `${files.length} files; a skill has at most ${MAX_SKILL_FILES}` },
      true,
    );
  }
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  for (const part of files) {
    let path: string;
    try {
      path = normalizeArchivePath(part.path);
    } catch (error) {
      if (!(error instanceof ZipLimitError)) throw error;
      throw new SkillUploadError(
        { file: part.path, code: error.kind, message: `file name: ${error.message.replace(/^ZIP entry/, "")}` },
        false,
      );
    }
    if (path.endsWith("/") || isArchiveJunk(path)) continue;
    if (entries.has(path))
      throw new SkillUploadError({ file: path, code: "duplicate_file", message: `${path} is sent more than once` }, false);
    total += part.bytes.byteLength;
    if (total > MAX_SKILL_BUNDLE_BYTES) throw tooLarge(path, total);
    entries.set(path, part.bytes);
  }
  return entries;
}

/** Bytes of a workspace read. */
async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** A folder (or SKILL.md, or zip) of the harness workspace, read through the workspace store. @throws SkillUploadError */
async function readWorkspace(ctx: AuthedContext, harness: HarnessRow, rawPath: string): Promise<ReadUpload> {
  let rel: string;
  try {
    rel = normalizeWorkspacePath(rawPath);
  } catch (error) {
    throw new SkillUploadError(
      { file: rawPath, code: "invalid_path", message: error instanceof Error ? error.message : String(error) },
      false,
    );
  }
  const store = workspaceStore(ctx.env, ctx.db, { orgId: ctx.principal.orgId, prefix: workspacePrefix(ctx.principal.orgId, harness.id) });
  const missing = () =>
    new SkillUploadError(
      { file: `/${rel}`, code: "not_found", message: `no skill folder, SKILL.md or zip at /${rel} in the workspace` },
      false,
    );
  const stat = await store.stat(rel);
  if (!stat) throw missing();
  if (stat.type === "file" && rel.toLowerCase().endsWith(".zip")) {
    if (stat.size_bytes > MAX_SKILL_BUNDLE_BYTES) throw tooLarge(`/${rel}`, stat.size_bytes);
    const bytes = await readAll((await store.read(rel)).body);
    return { entries: unzipSkill(bytes, `/${rel}`), stored: bytes, source: { type: "workspace", path: `/${rel}` } };
  }
  const folder = stat.type === "file" ? rel.slice(0, rel.lastIndexOf("/") + 1).replace(/\/$/, "") : rel;
  const listed = await store.files(folder === "" ? "" : `${folder}/`, { limit: MAX_SKILL_FILES + 1 });
  if (listed.entries.length > MAX_SKILL_FILES) {
    throw new SkillUploadError(
      { file: `/${folder}`, code: "too_many_files", message: `more than ${MAX_SKILL_FILES} files under /${folder}` },
      true,
    );
  }
  const total = listed.entries.reduce((n, e) => n + e.size_bytes, 0);
  if (total > MAX_SKILL_BUNDLE_BYTES) throw tooLarge(`/${folder}`, total);
  const name = folder.split("/").pop() ?? "";
  const entries = new Map<string, Uint8Array>();
  for (const file of listed.entries) {
    try {
      const relPath = folder === "" ? file.path : file.path.slice(folder.length + 1);
      entries.set(name ? `${name}/${relPath}` : relPath, await readAll((await store.read(file.path)).body));
    } catch (error) {
      if (!(error instanceof ToolError)) throw error; // deleted since listing: skipped
    }
  }
  if (entries.size === 0) throw missing();
  return { entries, stored: null, source: { type: "workspace", path: `/${folder}` } };
}

function refused(url: string, reason: string): SkillUploadError {
  return new SkillUploadError({ file: url, code: "url_refused", message: `the URL cannot be fetched: ${reason}` }, false);
}

/** Reads at most `max` bytes of a body. @throws SkillUploadError `too_large` */
async function readCapped(body: ReadableStream<Uint8Array>, url: string, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(url, total);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * A skill published at a URL (the reference client's `source: {type: "url"}`; OAF well-known skills,
 * `https://<domain>/.well-known/skills/<name>/`): a zip, or SKILL.md text (a URL ending in `/` gets
 * `SKILL.md` appended). The first URL and every redirect hop pass the one outbound check (the SSRF rule
 * and the harness chain's network policy, `services/network/policy.ts`); at most
 * {@link MAX_SKILL_FETCH_REDIRECTS} redirects, {@link SKILL_FETCH_TIMEOUT_MS} and 10 MB.
 * @throws SkillUploadError
 */
async function readUrl(ctx: AuthedContext, harness: HarnessRow, raw: string): Promise<ReadUpload> {
  const target = raw.endsWith("/") ? `${raw}SKILL.md` : raw;
  const layers = await networkPolicyLayers(ctx, { harness });
  const fetchGuarded = policyFetch(ctx, layers, { maxRedirects: MAX_SKILL_FETCH_REDIRECTS });
  let response: Response;
  try {
    response = await fetchGuarded(target, { signal: AbortSignal.timeout(SKILL_FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw refused(raw, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw refused(raw, `HTTP ${response.status}`);
  }
  const bytes = await readCapped(response.body, raw, MAX_SKILL_BUNDLE_BYTES);
  if (isZip(bytes)) return { entries: unzipSkill(bytes, raw), stored: bytes, source: { type: "url", path: raw } };
  const segments = new URL(target).pathname.split("/").filter((seg) => seg !== "");
  const folder = segments.at(-1)?.toLowerCase() === "skill.md" ? segments.at(-2) : undefined;
  const name = folder && SKILL_NAME.test(folder) ? `${folder}/SKILL.md` : "SKILL.md";
  return { entries: new Map([[name, bytes]]), stored: null, source: { type: "url", path: raw } };
}

/**
 * Reads an upload into files (no validation of the skill itself: see `readSkillBundle`).
 * @throws SkillUploadError when it cannot be read within the limits.
 */
export async function readUpload(ctx: AuthedContext, harness: HarnessRow, upload: SkillUpload): Promise<ReadUpload> {
  switch (upload.kind) {
    case "zip":
      return { entries: unzipSkill(upload.bytes), stored: upload.bytes, source: { type: "upload" } };
    case "files": {
      const single = upload.files.length === 1 && isZip(upload.files[0]!.bytes);
      const entries = readParts(upload.files);
      return { entries, stored: single ? upload.files[0]!.bytes : null, source: { type: "upload" } };
    }
    case "inline": {
      const bytes = new TextEncoder().encode(upload.content);
      if (bytes.byteLength > MAX_SKILL_BUNDLE_BYTES) throw tooLarge("SKILL.md", bytes.byteLength);
      return { entries: new Map([["SKILL.md", bytes]]), stored: null, source: { type: "inline" } };
    }
    case "workspace":
      return readWorkspace(ctx, harness, upload.path);
    case "url":
      return readUrl(ctx, harness, upload.url);
  }
}

/**
 * The canonical bundle of a skill: a zip of `<name>/<path>` for every file, sorted, deflated, with a
 * fixed timestamp — equal files give equal bytes (and so the same content hash).
 */
export function canonicalSkillZip(name: string, files: Map<string, Uint8Array>): Uint8Array {
  const zippable: Zippable = Object.create(null) as Zippable;
  for (const path of [...files.keys()].sort()) zippable[`${name}/${path}`] = [files.get(path)!, { mtime: CANONICAL_MTIME }];
  return zipSync(zippable);
}

/** The problem for an upload that cannot be read (register, upgrade). */
export function uploadProblem(error: SkillUploadError, operation: string): ApiError {
  if (error.overLimit) {
    return new ApiError("payload_too_large", `The skill was refused: ${error.issue.message}.`, {
      domain: "skills",
      operation,
      details: { file: error.issue.file, reason: error.issue.code, limit_bytes: MAX_SKILL_BUNDLE_BYTES, max_files: MAX_SKILL_FILES },
      actions: [{ rel: "fix-input", hint: "Keep a skill under 10 MB and 500 files; move large data elsewhere." }],
    });
  }
  return new ApiError("invalid_skill", `The skill was refused: ${error.issue.file}: ${error.issue.message}.`, {
    domain: "skills",
    operation,
    details: { errors: [error.issue], warnings: [] },
    actions: [{ rel: "fix-input", hint: "Send a zip (or files parts) of one skill folder with SKILL.md at its root." }],
  });
}
