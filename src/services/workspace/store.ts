/**
 * The one workspace store: what the agent's file tools (through `ToolContext.workspace`) and `files.*`
 * act on. Implements the runtime's {@link WorkspacePort} over R2 and a D1 path index.
 *
 * Storage layout:
 *   R2  `${prefix}${path}`                 the bytes of each file (`prefix` = `workspacePrefix(org, harness)`
 *                                          for the harness workspace, `sessionWorkspacePrefix(…)` for a session's)
 *   D1  `workspace_files` (workspace = prefix, path)   one row per file and per directory: type, size,
 *                                          MIME type, read-only flag, modification time (`db/schema/workspace.ts`)
 * Why D1 and not the harness's Durable Object: both the Worker (`files.*`) and every run's object reach
 * D1 directly, `db.batch` makes a batch upload's index update all-or-nothing, and the path queries
 * (children of a directory, every path under a prefix) are one indexed range each; a per-harness object
 * would put one more hop on every tool call and serialise every session's files behind one object.
 *
 * Consistency: the index is the truth. A write puts the object first and then records it; a delete
 * removes the row first and then the object. A crash in between leaves only an R2 object without a row,
 * which nothing lists or reads and the next write of that path replaces. The workspace key embeds the
 * organization id (`orgs/{org}/…`), so a row can never be reached through another organization's workspace.
 */
import { and, asc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { workspaceFiles } from "../../db/schema.ts";
import { nowIso } from "../../lib/time.ts";
import { ToolError } from "../../runtime/tools/contract.ts";
import type {
  WorkspaceBody,
  WorkspaceEntry,
  WorkspacePort,
  WorkspaceRange,
  WorkspaceReadResult,
  WorkspaceWriteOptions,
} from "../../runtime/tools/ports.ts";
import { ancestorPaths, displayWorkspacePath, guessMimeType, MAX_R2_KEY_BYTES, parentPath } from "../../runtime/tools/workspace-paths.ts";

/** Paths per `IN (…)` lookup (D1 binds at most 100 parameters per statement). */
const STAT_CHUNK = 90;
/** Rows per multi-row insert (10 columns each: 90 parameters). */
const INSERT_CHUNK = 9;
/** Keys per R2 delete call (R2's limit). */
const R2_DELETE_CHUNK = 1000;
/** Index rows read per page while deleting a directory tree. */
const DELETE_PAGE_ROWS = 1000;
/** Concurrent R2 puts of a batch write (Workers allow six open connections per invocation). */
const PUT_CONCURRENCY = 6;
/** The greatest code point: `prefix + TOP` bounds every string that starts with `prefix` (binary collation). */
const TOP = "\u{10FFFF}";

type Row = typeof workspaceFiles.$inferSelect;

/** One file of a batch write ({@link WorkspaceStore.writeMany}). */
export interface BatchFile {
  path: string;
  body: Blob | Uint8Array;
  mimeType?: string;
}

/** A batch refused before anything was written: every path at fault, with its ToolError code and message. */
export class WorkspaceBatchError extends Error {
  constructor(readonly errors: { path: string; code: string; error: string }[]) {
    super(`${errors.length} file(s) of the batch cannot be written`);
  }
}

/** A starter file to seed (`seed`), decoded. */
export interface SeedFile {
  path: string;
  bytes: Uint8Array;
  readonly: boolean;
}

/** Entry of the workspace root (it has no index row). */
function rootEntry(): WorkspaceEntry {
  return { path: "", name: "", type: "directory", size_bytes: 0, mime_type: null, modified_at: new Date(0).toISOString(), readonly: false };
}

function toEntry(row: Row): WorkspaceEntry {
  return {
    path: row.path,
    name: row.name,
    type: row.type === "directory" ? "directory" : "file",
    size_bytes: row.sizeBytes,
    mime_type: row.mimeType,
    modified_at: row.modifiedAt,
    readonly: row.readonly,
  };
}

function notFound(rel: string): ToolError {
  return new ToolError("not_found", `File not found: ${displayWorkspacePath(rel)}`);
}

function readOnly(rel: string): ToolError {
  return new ToolError("read_only", `${displayWorkspacePath(rel)} is a read-only starter file; it cannot be changed or deleted.`);
}

/** Byte length of a body of known size (a stream's length is what R2 reports after the put). */
function knownLength(body: WorkspaceBody): number | undefined {
  if (typeof body === "string") return new TextEncoder().encode(body).byteLength;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof Blob) return body.size;
  return undefined;
}

/** See the module comment. Build one with {@link workspaceStore}. */
export class WorkspaceStore implements WorkspacePort {
  constructor(
    private readonly db: Db,
    private readonly bucket: R2Bucket,
    /** The organization and the workspace's R2 prefix (ends with `/`). */
    readonly scope: { orgId: string; prefix: string },
  ) {}

  // ------------------------------------------------------------------ WorkspacePort

  async stat(path: string): Promise<WorkspaceEntry | null> {
    if (path === "") return rootEntry();
    const row = (await this.rows([path])).get(path);
    return row ? toEntry(row) : null;
  }

  async read(path: string, range?: WorkspaceRange): Promise<WorkspaceReadResult> {
    if (path === "") throw new ToolError("is_a_directory", "/ is the workspace root, not a file.");
    const entry = await this.stat(path);
    if (!entry) throw notFound(path);
    if (entry.type === "directory") throw new ToolError("is_a_directory", `${displayWorkspacePath(path)} is a directory, not a file.`);
    let r2Range: R2Range | undefined;
    let served: { offset: number; length: number } | undefined;
    if (range) {
      const offset = "suffix" in range ? Math.max(0, entry.size_bytes - range.suffix) : range.offset;
      const length =
        "suffix" in range ? entry.size_bytes - offset : Math.min(range.length ?? entry.size_bytes - offset, entry.size_bytes - offset);
      served = { offset, length: Math.max(0, length) };
      r2Range = { offset, length: served.length };
    }
    const object = await this.bucket.get(this.key(path), r2Range && served!.length > 0 ? { range: r2Range } : undefined);
    if (!object) throw notFound(path); // the row outlived its object (a delete interrupted midway)
    if (served && served.length === 0) {
      await object.body.cancel();
      return { entry, body: new Response(new Uint8Array(0)).body!, size: 0, etag: object.etag, range: served };
    }
    return {
      entry,
      body: object.body,
      size: served ? served.length : object.size,
      etag: object.etag,
      ...(served ? { range: served } : {}),
    };
  }

  write(path: string, body: WorkspaceBody, options: WorkspaceWriteOptions = {}): Promise<{ entry: WorkspaceEntry; created: boolean }> {
    return this.writeFile(path, body, options);
  }

  async mkdir(path: string): Promise<{ entry: WorkspaceEntry; created: boolean }> {
    if (path === "") return { entry: rootEntry(), created: false };
    this.key(path);
    const ancestors = ancestorPaths(path);
    const rows = await this.rows([path, ...ancestors]);
    for (const dir of [...ancestors, path]) {
      if (rows.get(dir)?.type === "file") {
        throw new ToolError("not_a_directory", `${displayWorkspacePath(dir)} is a file, so it cannot be or contain a directory.`);
      }
    }
    const existing = rows.get(path);
    if (existing) return { entry: toEntry(existing), created: false };
    const at = nowIso();
    await this.applyRows(
      [...ancestors, path].filter((d) => !rows.has(d)).map((d) => this.dirRow(d, at)),
      [],
    );
    return { entry: (await this.stat(path))!, created: true };
  }

  async remove(path: string, options: { recursive?: boolean } = {}): Promise<{ removed: number }> {
    if (path === "") throw new ToolError("invalid_path", "The workspace root cannot be deleted; delete what is in it.");
    const entry = await this.stat(path);
    if (!entry) throw notFound(path);
    const ws = this.scope.prefix;
    if (entry.type === "file") {
      if (entry.readonly) throw readOnly(path);
      await this.db.delete(workspaceFiles).where(and(eq(workspaceFiles.workspace, ws), eq(workspaceFiles.path, path)));
      await this.bucket.delete(this.key(path));
      return { removed: 1 };
    }
    const below = this.under(`${path}/`);
    const child = await this.db.select({ path: workspaceFiles.path }).from(workspaceFiles).where(below).limit(1).get();
    if (child && !options.recursive) {
      throw new ToolError(
        "directory_not_empty",
        `${displayWorkspacePath(path)} is not empty; delete its contents first, or delete it with recursive=true.`,
      );
    }
    const locked = await this.db
      .select({ path: workspaceFiles.path })
      .from(workspaceFiles)
      .where(and(below, eq(workspaceFiles.readonly, true)))
      .limit(1)
      .get();
    if (locked) throw readOnly(locked.path);
    // Collect the object keys first (the index is the truth), then drop the rows in one statement.
    const keys: string[] = [];
    let after = `${path}/`;
    for (;;) {
      const page = await this.db
        .select({ path: workspaceFiles.path })
        .from(workspaceFiles)
        .where(
          and(
            eq(workspaceFiles.workspace, ws),
            eq(workspaceFiles.type, "file"),
            sql`${workspaceFiles.path} > ${after}`,
            lt(workspaceFiles.path, `${path}/${TOP}`),
          ),
        )
        .orderBy(asc(workspaceFiles.path))
        .limit(DELETE_PAGE_ROWS);
      for (const r of page) keys.push(this.key(r.path));
      if (page.length < DELETE_PAGE_ROWS) break;
      after = page[page.length - 1]!.path;
    }
    const counted = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(workspaceFiles)
      .where(or(below, and(eq(workspaceFiles.workspace, ws), eq(workspaceFiles.path, path))))
      .get();
    await this.db.delete(workspaceFiles).where(or(below, and(eq(workspaceFiles.workspace, ws), eq(workspaceFiles.path, path))));
    for (let i = 0; i < keys.length; i += R2_DELETE_CHUNK) await this.bucket.delete(keys.slice(i, i + R2_DELETE_CHUNK));
    return { removed: counted?.n ?? 0 };
  }

  async list(dir: string, options: { recursive?: boolean; limit: number }): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }> {
    if (dir !== "") {
      const entry = await this.stat(dir);
      if (!entry) throw new ToolError("not_found", `Directory not found: ${displayWorkspacePath(dir)}`);
      if (entry.type === "file") throw new ToolError("not_a_directory", `${displayWorkspacePath(dir)} is a file, not a directory.`);
    }
    const ws = this.scope.prefix;
    const rows = options.recursive
      ? await this.db
          .select()
          .from(workspaceFiles)
          .where(this.under(dir === "" ? "" : `${dir}/`))
          .orderBy(asc(workspaceFiles.path))
          .limit(options.limit + 1)
      : await this.db
          .select()
          .from(workspaceFiles)
          .where(and(eq(workspaceFiles.workspace, ws), eq(workspaceFiles.parent, dir)))
          .orderBy(asc(workspaceFiles.name))
          .limit(options.limit + 1);
    return { entries: rows.slice(0, options.limit).map(toEntry), truncated: rows.length > options.limit };
  }

  async files(prefix: string, options: { limit: number }): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }> {
    const rows = await this.db
      .select()
      .from(workspaceFiles)
      .where(and(this.under(prefix), eq(workspaceFiles.type, "file")))
      .orderBy(asc(workspaceFiles.path))
      .limit(options.limit + 1);
    return { entries: rows.slice(0, options.limit).map(toEntry), truncated: rows.length > options.limit };
  }

  // ------------------------------------------------------------------ beyond the port (services only)

  /** Entries of several paths at once (the paths that exist), by path. */
  async statMany(paths: string[]): Promise<Map<string, WorkspaceEntry>> {
    const rows = await this.rows(paths);
    return new Map([...rows].map(([p, r]) => [p, toEntry(r)]));
  }

  /**
   * Writes every file or none (`files.uploadBatch`): all paths are checked against the index and each
   * other first — a directory in the way, a parent that is a file, a read-only file, the same path twice —
   * and any fault refuses the whole batch ({@link WorkspaceBatchError}) before a byte is written. Without
   * `overwrite`, existing files are skipped. New files are put before replacements, so an R2 failure
   * midway undoes the new ones; the index records the batch in one D1 batch at the end.
   */
  async writeMany(files: BatchFile[], options: { overwrite: boolean }): Promise<{ written: WorkspaceEntry[]; skipped: string[] }> {
    const errors: { path: string; code: string; error: string }[] = [];
    const paths = files.map((f) => f.path);
    const inBatch = new Set<string>();
    for (const p of paths) {
      if (inBatch.has(p)) errors.push({ path: displayWorkspacePath(p), code: "duplicate_path", error: "the batch names this path twice" });
      inBatch.add(p);
      try {
        this.key(p);
      } catch (error) {
        errors.push({ path: displayWorkspacePath(p), code: "invalid_path", error: (error as Error).message });
      }
    }
    const dirsNeeded = new Set(paths.flatMap(ancestorPaths));
    const rows = await this.rows([...new Set([...paths, ...dirsNeeded])]);
    const skipped: string[] = [];
    const toWrite: BatchFile[] = [];
    for (const file of files) {
      const existing = rows.get(file.path);
      const shown = displayWorkspacePath(file.path);
      const fileParent = ancestorPaths(file.path).find((a) => rows.get(a)?.type === "file" || inBatch.has(a));
      if (existing?.type === "directory" || dirsNeeded.has(file.path)) {
        errors.push({ path: shown, code: "is_a_directory", error: `${shown} is a directory` });
      } else if (fileParent !== undefined) {
        errors.push({
          path: shown,
          code: "not_a_directory",
          error: `${displayWorkspacePath(fileParent)} is a file, so it cannot contain ${shown}`,
        });
      } else if (existing && !options.overwrite) {
        skipped.push(shown);
      } else if (existing?.readonly) {
        errors.push({ path: shown, code: "read_only", error: `${shown} is a read-only starter file` });
      } else {
        toWrite.push(file);
      }
    }
    if (errors.length > 0) throw new WorkspaceBatchError(errors);
    const fresh = toWrite.filter((f) => !rows.has(f.path));
    const replacing = toWrite.filter((f) => rows.has(f.path));
    const sizes = new Map<string, number>();
    const putAll = async (list: BatchFile[]) => {
      for (let i = 0; i < list.length; i += PUT_CONCURRENCY) {
        await Promise.all(
          list.slice(i, i + PUT_CONCURRENCY).map(async (f) => {
            const put = await this.bucket.put(this.key(f.path), f.body, {
              httpMetadata: { contentType: f.mimeType ?? guessMimeType(f.path) },
            });
            sizes.set(f.path, put?.size ?? knownLength(f.body) ?? 0);
          }),
        );
      }
    };
    try {
      await putAll(fresh);
    } catch (error) {
      const keys = fresh.filter((f) => sizes.has(f.path)).map((f) => this.key(f.path));
      for (let i = 0; i < keys.length; i += R2_DELETE_CHUNK) await this.bucket.delete(keys.slice(i, i + R2_DELETE_CHUNK)).catch(() => {});
      throw error;
    }
    await putAll(replacing);
    const at = nowIso();
    const dirs = [...dirsNeeded].filter((d) => !rows.has(d)).sort();
    const fileRows = toWrite.map((f) => this.fileRow(f.path, sizes.get(f.path) ?? 0, f.mimeType ?? guessMimeType(f.path), false, at));
    await this.applyRows(
      dirs.map((d) => this.dirRow(d, at)),
      fileRows,
    );
    return { written: fileRows.map((r) => toEntry(r)), skipped };
  }

  /**
   * Writes starter files (`initial_files`), read-only ones included and replacing read-only files of an
   * earlier seeding. `onlyMissing`: leave every existing file as it is (the harness workspace between
   * runs). A path blocked by a directory or a file parent is left out and reported.
   */
  async seed(files: SeedFile[], options: { onlyMissing: boolean }): Promise<{ seeded: string[]; blocked: string[] }> {
    if (files.length === 0) return { seeded: [], blocked: [] };
    const existing = await this.rows(files.map((f) => f.path));
    const seeded: string[] = [];
    const blocked: string[] = [];
    for (const file of files) {
      if (options.onlyMissing && existing.has(file.path)) continue;
      try {
        await this.writeFile(file.path, file.bytes, { readonly: file.readonly, force: true });
        seeded.push(file.path);
      } catch (error) {
        if (!(error instanceof ToolError)) throw error;
        blocked.push(file.path);
      }
    }
    return { seeded, blocked };
  }

  // ------------------------------------------------------------------ internals

  /** R2 key of a file. @throws ToolError `invalid_path` when prefix + path exceed R2's key limit. */
  key(path: string): string {
    const key = `${this.scope.prefix}${path}`;
    if (new TextEncoder().encode(key).byteLength > MAX_R2_KEY_BYTES) {
      throw new ToolError("invalid_path", `Path ${displayWorkspacePath(path)} is too long for this workspace.`);
    }
    return key;
  }

  private async writeFile(
    path: string,
    body: WorkspaceBody,
    options: WorkspaceWriteOptions & { readonly?: boolean; force?: boolean },
  ): Promise<{ entry: WorkspaceEntry; created: boolean }> {
    if (path === "") throw new ToolError("invalid_path", "/ is the workspace root, not a file.");
    const key = this.key(path);
    const ancestors = ancestorPaths(path);
    const rows = await this.rows([path, ...ancestors]);
    const self = rows.get(path);
    if (self?.type === "directory") throw new ToolError("is_a_directory", `${displayWorkspacePath(path)} is a directory, not a file.`);
    const fileParent = ancestors.find((a) => rows.get(a)?.type === "file");
    if (fileParent !== undefined) {
      throw new ToolError("not_a_directory", `${displayWorkspacePath(fileParent)} is a file, so it cannot contain other files.`);
    }
    if (self?.readonly && !options.force) throw readOnly(path);
    if (self && options.overwrite === false) {
      throw new ToolError("already_exists", `${displayWorkspacePath(path)} exists already; pass overwrite=true to replace it.`);
    }
    const mimeType = options.mimeType ?? guessMimeType(path);
    const put = await this.bucket.put(key, body, {
      httpMetadata: { contentType: mimeType },
      ...(options.ifMatch ? { onlyIf: { etagMatches: options.ifMatch } } : {}),
    });
    if (put === null)
      throw new ToolError("conflict", `${displayWorkspacePath(path)} changed while it was being edited; read it and try again.`);
    const at = nowIso();
    const row = this.fileRow(path, put.size, mimeType, options.readonly ?? false, at);
    await this.applyRows(
      ancestors.filter((a) => !rows.has(a)).map((d) => this.dirRow(d, at)),
      [row],
    );
    return { entry: toEntry(row), created: !self };
  }

  private fileRow(path: string, size: number, mimeType: string, readonly: boolean, at: string): Row {
    return {
      workspace: this.scope.prefix,
      path,
      orgId: this.scope.orgId,
      parent: parentPath(path),
      name: path.slice(path.lastIndexOf("/") + 1),
      type: "file",
      sizeBytes: size,
      mimeType,
      readonly,
      modifiedAt: at,
    };
  }

  private dirRow(path: string, at: string): Row {
    return { ...this.fileRow(path, 0, "", false, at), type: "directory", mimeType: null };
  }

  /** Records directories (kept when present) and files (replaced) in one D1 batch. */
  private async applyRows(dirs: Row[], files: Row[]): Promise<void> {
    const statements = [];
    for (let i = 0; i < dirs.length; i += INSERT_CHUNK) {
      statements.push(
        this.db
          .insert(workspaceFiles)
          .values(dirs.slice(i, i + INSERT_CHUNK))
          .onConflictDoNothing(),
      );
    }
    for (let i = 0; i < files.length; i += INSERT_CHUNK) {
      statements.push(
        this.db
          .insert(workspaceFiles)
          .values(files.slice(i, i + INSERT_CHUNK))
          .onConflictDoUpdate({
            target: [workspaceFiles.workspace, workspaceFiles.path],
            set: {
              type: sql`excluded.type`,
              sizeBytes: sql`excluded.size_bytes`,
              mimeType: sql`excluded.mime_type`,
              readonly: sql`excluded.readonly`,
              modifiedAt: sql`excluded.modified_at`,
            },
          }),
      );
    }
    if (statements.length === 0) return;
    await this.db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  }

  /** The rows of `paths` that exist, by path. */
  private async rows(paths: string[]): Promise<Map<string, Row>> {
    const found = new Map<string, Row>();
    const wanted = [...new Set(paths.filter((p) => p !== ""))];
    for (let i = 0; i < wanted.length; i += STAT_CHUNK) {
      const chunk = wanted.slice(i, i + STAT_CHUNK);
      const rows = await this.db
        .select()
        .from(workspaceFiles)
        .where(and(eq(workspaceFiles.workspace, this.scope.prefix), inArray(workspaceFiles.path, chunk)));
      for (const row of rows) found.set(row.path, row);
    }
    return found;
  }

  /** Rows of this workspace whose path starts with `prefix` (every row when `""`). */
  private under(prefix: string) {
    return and(
      eq(workspaceFiles.workspace, this.scope.prefix),
      gte(workspaceFiles.path, prefix),
      lt(workspaceFiles.path, `${prefix}${TOP}`),
    );
  }
}

/** The store of the workspace at `prefix` (an R2 prefix ending in `/`, under `orgs/{orgId}/`). */
export function workspaceStore(env: Pick<Env, "BUCKET">, db: Db, scope: { orgId: string; prefix: string }): WorkspaceStore {
  return new WorkspaceStore(db, env.BUCKET, scope);
}
