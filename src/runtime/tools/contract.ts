/**
 * The one `Tool` contract of the runtime, whatever a tool's source: built-ins from capability refs,
 * tools of connected MCP servers, custom webhook tools, skills, memory, plans, subagents.
 *
 * A tool is a name, a description the model reads, a JSON Schema of its input (what the model and
 * `tools.list` see), `parse` (validates an input against that schema, applying defaults where the
 * source knows them) and `execute(input, ctx)`, which resolves to a JSON object. Expected failures are
 * thrown as {@link ToolError} and shown to the model as a failed tool result; anything else is a bug
 * or an abort. Tools act only through their {@link ToolContext}: they never import services, the
 * database or Durable Objects — what they may touch is handed to them.
 */
import type { JsonSchemaObject } from "../../lib/json-schema.ts";
import type { Logger } from "../../lib/log.ts";
import type { OrgPort, PlanPort, SkillPort, WebPort, WorkspacePort } from "./ports.ts";

/** Where a tool comes from (Open Harness `Tool.source`, plus the runtime's own kinds). */
export type ToolSourceKind = "builtin" | "mcp" | "skill" | "custom" | "memory" | "plan" | "subagent";

/** Open Harness `Tool.source` as listed: builtin, mcp, skill or custom (runtime kinds list as builtin). */
export function listedSource(kind: ToolSourceKind): "builtin" | "mcp" | "skill" | "custom" {
  return kind === "mcp" || kind === "skill" || kind === "custom" ? kind : "builtin";
}

/** The result of {@link Tool.parse}: the input to run with, or why it cannot run. */
export type ParsedInput = { ok: true; input: Record<string, unknown> } | { ok: false; issues: string[] };

/**
 * A tool any run (or `tools.invoke`) can call.
 * `name` is unique within one resolved toolset (`^[a-zA-Z0-9_-]{1,64}$`, what model providers accept).
 */
export interface Tool {
  name: string;
  description: string;
  /** JSON Schema (2020-12) of the input object, as the model sees it. */
  inputSchema: JsonSchemaObject;
  /** The source kind and, where there is one, the id of what provided it (capability ref, MCP server id, skill id, custom tool id). */
  source: { kind: ToolSourceKind; id?: string };
  /** Validates `input` against the schema (defaults applied where the source defines them). */
  parse(input: unknown): ParsedInput;
  /** Runs the tool on an input that `parse` accepted. Rejects with {@link ToolError} for failures the caller should see. */
  execute(input: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** A workspace file a tool has just created or replaced. `path` is absolute in the workspace (`/notes/a.md`). */
export interface WrittenFile {
  path: string;
  /** Byte length of the new content. */
  size_bytes: number;
  /** Guessed from the extension, e.g. `text/markdown`; `application/octet-stream` when unknown. */
  mime_type: string;
}

/** Receives the files a tool wrote, so a run can keep them as artifacts. */
export interface ArtifactSink {
  /** Called after a workspace write succeeded. A rejection propagates out of `execute` as a non-ToolError. */
  record(file: WrittenFile): Promise<void>;
}

/** What a tool may touch during one call. */
export interface ToolContext {
  /** The run's workspace: the files the file tools act on (the same store `files.*` serves). */
  workspace: WorkspacePort;
  /** The execution the call belongs to; absent for `tools.invoke` outside any execution. */
  executionId?: string;
  /** Where written files go as artifacts; absent outside an execution. */
  artifacts?: ArtifactSink;
  /** Aborts long work (scans, waits); `execute` then rejects with the signal's reason. */
  abortSignal?: AbortSignal;
  /** The clock tools read (`current_time`); injectable so behaviour is testable. */
  now: () => Date;
  /** Organization-scoped verbs for tools that read or act on the caller's own organization; absent where none applies. */
  org?: OrgPort;
  /** Structured log bound to the call (execution id, tool name). */
  log?: Logger;
  /** Outbound HTTP under the run's network policy and SSRF rules (`web_fetch`); absent where none applies. */
  web?: WebPort;
  /** Receives a streaming tool's chunks as they arrive (`tools.invokeStream`); absent elsewhere. */
  emit?: (chunk: ToolStreamChunk) => void;
  /** The run's plan (the planning tool), handed in by the run that owns it; absent outside a run. */
  plan?: PlanPort;
  /** The id of the call being made (set by `invokeTool`): lets a tool make a redone call idempotent. */
  toolCallId?: string;
  /** The run's enabled skills: the workspace read tools show their files under `/skills/{name}/`, read-only. */
  skills?: SkillPort;
}

/** A chunk a streaming tool passes on while it runs (Open Harness `ToolStreamEvent` `output` / `progress`). */
export type ToolStreamChunk = { type: "output"; data: Record<string, unknown> } | { type: "progress"; percentage: number; message: string };

/**
 * A failure the model (or the `tools.invoke` caller) should see as a failed tool result — never a
 * crash. `code` is a stable snake_case identifier (`not_found`, `invalid_path`, `network_blocked`, …);
 * `message` is a sentence written for the model, naming the input at fault.
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
 * What a run's tools are scoped to when a source resolves them: the organization, harness and agent,
 * the capability refs in force (harness chain merged) and the agent's tool access patterns.
 */
export interface ToolScope {
  orgId: string;
  harnessId: string;
  agentId: string | null;
  capabilityRefs: { ref: string; config?: Record<string, unknown> }[];
  /** Tool-name patterns: `allow` (empty: all), `deny` (wins), `only` — a further allow list every tool must also match (a subagent's subset). */
  toolsAccess?: { allow?: string[]; deny?: string[]; only?: string[] };
  /** The execution the tools are resolved for; absent outside a run (`tools.list`, `tools.invoke`). */
  executionId?: string;
  /** The session the run is a turn of, if any. */
  sessionId?: string | null;
  /** How many delegations deep the run is (0: started by a client; 1: a subagent's task, …); absent outside a run. */
  delegationDepth?: number;
  /** Whom the run's usage is charged to: work it starts on its behalf (a subagent's task) is charged alike. */
  metering?: { subject: string; surface: string };
  /** Skill ids the execute request enabled (beside the agent's and the harness's). */
  skills?: string[];
}

/**
 * One kind of tool provider. `tools` resolves the tools it contributes for `scope`, asynchronously
 * (an MCP source lists its servers' tools at run time). Called once per run start and by `tools.list`.
 * `prompt`, when a source has one, is a section it adds to the system prompt, read again before every
 * model step (the enabled skills' names and descriptions, the agent's memory blocks); `undefined` adds
 * nothing.
 */
export interface ToolSource {
  kind: ToolSourceKind;
  tools(scope: ToolScope): Promise<Tool[]>;
  prompt?(scope: ToolScope): Promise<string | undefined>;
}
