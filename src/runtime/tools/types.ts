/**
 * The contract between the agent loop and its built-in tools (workspace files, current time, …).
 *
 * A tool is a name, a description the model reads, a zod input schema (converted to JSON Schema for
 * the model) and an `execute` that returns a JSON-serialisable object. Expected failures (missing
 * file, bad path, ambiguous edit) are thrown as {@link ToolError} and shown to the model as a
 * failed tool result; anything else is a bug or an abort and is left to the runtime.
 */
import type { z } from "zod";
import type { AuthedContext } from "../../services/context.ts";
import type { UsageSurface } from "../../services/limits/quota.ts";

/**
 * Where a run's workspace lives. An R2 key is `${prefix}${path}`, where `path` is the normalised
 * workspace-relative path (no leading slash, see `normalizeWorkspacePath`); `prefix` is empty or
 * ends with `/` (e.g. `workspacePrefix(org, harness)` from `services/storage/keys.ts`).
 */
export interface WorkspaceScope {
  bucket: R2Bucket;
  prefix: string;
}

/** A workspace file a tool has just created or replaced. `path` is absolute in the workspace (`/notes/a.md`). */
export interface WrittenFile {
  path: string;
  /** UTF-8 byte length of the new content. */
  size_bytes: number;
  /** Guessed from the extension, e.g. `text/markdown`; `application/octet-stream` when unknown. */
  mime_type: string;
}

/**
 * Organization-scoped access for tools that read or act on the run's own organization (the assistant's
 * `org_insights` and `delegate_task`). Built by the `ExecutionRun` from its spec; every service verb
 * called with `services` filters by `orgId`, so a tool cannot reach another organization.
 */
export interface OrgToolScope {
  /** The run's organization. */
  orgId: string;
  /** The subject the run is charged to (user id or API key id): delegated runs are recorded for it too. */
  subject: string;
  /** The surface the run's request came through. */
  surface: UsageSurface;
  /** A service context acting for the organization (internal principal): db handle, bindings, config. */
  services: AuthedContext;
}

/** What a tool may touch during one execution. */
export interface ToolContext {
  workspace: WorkspaceScope;
  executionId: string;
  /**
   * Called after a tool writes or edits a workspace file (after the R2 put succeeded): the runtime
   * records it as an execution artifact. A rejection propagates out of `execute` as a non-ToolError.
   */
  onFileWritten?: (file: WrittenFile) => Promise<void>;
  /** Aborts long scans (list, glob, grep) between R2 calls; `execute` then rejects with the signal's reason. */
  abortSignal?: AbortSignal;
  /** The run's organization, for tools that answer about it; absent where no organization applies. */
  org?: OrgToolScope;
}

/**
 * A failure the model should see as a tool result with `success: false` (never crashes a run).
 * `code` is a stable snake_case identifier (`not_found`, `invalid_path`, `no_match`, …); `message`
 * is a sentence written for the model, naming the path or input at fault.
 */
export class ToolError extends Error {
  override readonly name = "ToolError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A built-in tool. `name` is snake_case and unique; `inputSchema` describes the input the model sends
 * (its `.describe()` texts become the JSON Schema descriptions); `execute` receives the input already
 * parsed by `inputSchema` (defaults applied) and resolves to a JSON-serialisable object, or rejects
 * with a {@link ToolError} for failures the model should see.
 */
export interface BuiltinTool<I = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<I>;
  execute(input: I, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** Identity helper that infers `I` from the schema so `execute` is typed; returns `tool` unchanged. */
export function defineTool<I>(tool: BuiltinTool<I>): BuiltinTool<I> {
  return tool;
}
