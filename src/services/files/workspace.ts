/**
 * What every `files.*` verb starts with: the workspace a request addresses (the harness workspace, or a
 * session's with `session_id`), its paths normalised by the runtime's one normalisation, and the
 * store's failures as problem bodies.
 */
import { ApiError, type AllowedAction } from "../../errors/api-error.ts";
import type { ErrorCode } from "../../errors/table.ts";
import { ToolError } from "../../runtime/tools/contract.ts";
import { displayWorkspacePath, normalizeWorkspacePath } from "../../runtime/tools/workspace-paths.ts";
import type { AuthedContext } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { findSession } from "../sessions/find.ts";
import { sessionWorkspacePrefix, workspacePrefix } from "../storage/keys.ts";
import { workspaceStore, type WorkspaceStore } from "../workspace/store.ts";

/** The manifest operation strings of the files domain (spec §8.4). */
export type FilesCapability = "read" | "write" | "delete" | "search" | "upload" | "download";

/** A resolved workspace: its harness, the session it belongs to (if any) and its store. */
export interface ResolvedWorkspace {
  harness: HarnessRow;
  sessionId: string | null;
  store: WorkspaceStore;
}

/**
 * The workspace of `{harnessId}` (or of its session `sessionId`) in the caller's organization.
 * @throws ApiError `harness_not_found`, `session_not_found`, `capability_not_supported` (a registry-only harness)
 */
export async function resolveWorkspace(
  ctx: AuthedContext,
  input: { ref: string; sessionId?: string | undefined; capability: FilesCapability; operation: string },
): Promise<ResolvedWorkspace> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  assertCapability(harness, "files", input.capability, input.operation);
  let sessionId: string | null = null;
  if (input.sessionId) sessionId = (await findSession({ ctx, input: { ref: harness.id, sessionId: input.sessionId } })).session.id;
  const prefix = sessionId
    ? sessionWorkspacePrefix(ctx.principal.orgId, harness.id, sessionId)
    : workspacePrefix(ctx.principal.orgId, harness.id);
  return { harness, sessionId, store: workspaceStore(ctx.env, ctx.db, { orgId: ctx.principal.orgId, prefix }) };
}

/**
 * A request's path, normalised (`/a/b.txt`, `a/b.txt`, `/workspace/a/b.txt` → `a/b.txt`; `""` is the root).
 * @throws ApiError `invalid_path` (traversal above the root, control characters, backslashes, drive
 *   letters, too long; the root where a file is needed)
 */
export function requestPath(raw: string, field: string, options: { file?: boolean } = {}): string {
  let rel: string;
  try {
    rel = normalizeWorkspacePath(raw);
  } catch (error) {
    if (error instanceof ToolError) throw invalidPath(error.message, field);
    throw error;
  }
  if (options.file && rel === "") throw invalidPath(`${JSON.stringify(raw)} is the workspace root, not a file.`, field);
  return rel;
}

function invalidPath(message: string, field: string): ApiError {
  return new ApiError("invalid_path", message, {
    domain: "files",
    details: { field },
    actions: [{ rel: "fix-input", hint: "Use a path inside the workspace, directories separated by /, e.g. docs/notes.md." }],
  });
}

/** The problem code for each store failure (the runtime's ToolError codes). */
const CODES: Record<string, ErrorCode> = {
  invalid_path: "invalid_path",
  not_found: "file_not_found",
  is_a_directory: "is_a_directory",
  not_a_directory: "not_a_directory",
  already_exists: "file_exists",
  directory_not_empty: "directory_not_empty",
  read_only: "file_read_only",
  conflict: "file_conflict",
  invalid_pattern: "invalid_pattern",
  file_too_large: "payload_too_large",
};

/**
 * Runs a store call, turning its expected failures into problem bodies for `operation`.
 * @throws ApiError mapped from the store's ToolError codes ({@link CODES})
 */
export async function inWorkspace<T>(operation: string, harnessSlug: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    const code = CODES[error.code];
    if (!code) throw error;
    throw new ApiError(code, error.message, { domain: "files", operation, actions: actionsFor(code, harnessSlug) });
  }
}

function actionsFor(code: ErrorCode, slug: string): AllowedAction[] {
  const list = { rel: "list", operation_id: "files.list", href: `/v1/harnesses/${slug}/files` };
  switch (code) {
    case "file_not_found":
    case "not_a_directory":
    case "is_a_directory":
      return [list];
    case "file_exists":
      return [{ rel: "fix-input", hint: "Send overwrite=true to replace the file, or choose another path." }];
    case "directory_not_empty":
      return [{ rel: "fix-input", hint: "Delete its contents first, or send recursive=true." }];
    case "file_read_only":
      return [{ rel: "configure", hint: "Read-only starter files come from the harness's initial_files; change them there." }];
    default:
      return [{ rel: "fix-input", hint: "Correct the request and send it again." }];
  }
}

/** The 404 for a path that is not there. */
export function fileNotFound(rel: string, slug: string, operation: string): ApiError {
  return new ApiError("file_not_found", `File not found: ${displayWorkspacePath(rel)}`, {
    domain: "files",
    operation,
    details: { path: displayWorkspacePath(rel) },
    actions: actionsFor("file_not_found", slug),
  });
}
