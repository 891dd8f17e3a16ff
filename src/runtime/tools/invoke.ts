/**
 * The one call path of every tool call — from the agent loop and from `tools.invoke` alike:
 * find the tool, validate the input against its schema, ask the *before* hook (which may allow, deny
 * with a reason, or rewrite the input), execute, then tell the *after* hook. A tool call never throws:
 * every failure becomes a failed outcome with a stable `code` and a message the model can act on.
 */
import { ToolError, type ToolContext } from "./contract.ts";
import type { Toolset } from "./toolset.ts";

/** A tool call to make. `input` is the parsed JSON object the caller sent. */
export interface ToolCallRequest {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Set when the model's call cannot run at all (its arguments were not JSON). */
  invalidReason?: string;
}

/** Outcome of one tool call, as recorded and as the model sees it. */
export interface ToolCallOutcome {
  success: boolean;
  output?: Record<string, unknown>;
  /** `code: message` for the model, when `success` is false. */
  error?: string;
  /** Stable snake_case code of the failure (`unknown_tool`, `invalid_input`, `hook_denied`, a ToolError's code, …). */
  code?: string;
  /** The input the tool ran with, when a before hook rewrote it. */
  rewrittenInput?: Record<string, unknown>;
  /** Wall time of the call, in milliseconds. */
  durationMs: number;
}

/** What a before hook decides about a call. */
export type BeforeToolCallVerdict =
  { action: "allow" } | { action: "deny"; reason: string } | { action: "rewrite"; input: Record<string, unknown> };

/** A call as the hooks see it: the tool's resolved name, source and the (validated) input. */
export interface HookedToolCall {
  id: string;
  name: string;
  source: { kind: string; id?: string };
  input: Record<string, unknown>;
  executionId?: string;
}

/**
 * Hook points around every tool call (`pre_tool` / `post_tool`). A before hook that throws is the
 * hook provider's failure to decide: providers apply their own `on_error` policy and return a verdict.
 */
export interface ToolHooks {
  beforeToolCall?(call: HookedToolCall): Promise<BeforeToolCallVerdict>;
  afterToolCall?(call: HookedToolCall, outcome: ToolCallOutcome): Promise<void>;
}

function failure(code: string, message: string): Omit<ToolCallOutcome, "durationMs"> {
  return { success: false, code, error: `${code}: ${message}` };
}

/**
 * Runs `call` against `toolset` through the hook points.
 * Never rejects: an unknown tool, invalid input, a denial, a {@link ToolError} or an unexpected
 * exception all become `success: false`. An abort of `ctx.abortSignal` is the one exception: its
 * reason is rethrown so the caller stops.
 */
export async function invokeTool(toolset: Toolset, call: ToolCallRequest, ctx: ToolContext, hooks?: ToolHooks): Promise<ToolCallOutcome> {
  const started = Date.now();
  const done = (o: Omit<ToolCallOutcome, "durationMs">): ToolCallOutcome => ({ ...o, durationMs: Date.now() - started });
  if (call.invalidReason) return done(failure("invalid_tool_call", call.invalidReason));
  const tool = toolset.get(call.name);
  if (!tool) {
    const available = toolset.tools.map((t) => t.name).join(", ") || "none";
    return done(failure("unknown_tool", `there is no tool ${call.name}; available: ${available}`));
  }
  let parsed = tool.parse(call.input);
  if (!parsed.ok) return done(failure("invalid_input", `invalid input for ${call.name}: ${parsed.issues.join("; ")}`));
  const hooked: HookedToolCall = {
    id: call.id,
    name: tool.name,
    source: tool.source,
    input: parsed.input,
    ...(ctx.executionId ? { executionId: ctx.executionId } : {}),
  };
  let rewritten: Record<string, unknown> | undefined;
  if (hooks?.beforeToolCall) {
    const verdict = await hooks.beforeToolCall(hooked);
    if (verdict.action === "deny") return done(failure("hook_denied", verdict.reason));
    if (verdict.action === "rewrite") {
      parsed = tool.parse(verdict.input);
      if (!parsed.ok)
        return done(failure("invalid_input", `a hook rewrote the input of ${call.name} into an invalid one: ${parsed.issues.join("; ")}`));
      rewritten = parsed.input;
      hooked.input = parsed.input;
    }
  }
  let outcome: Omit<ToolCallOutcome, "durationMs">;
  try {
    outcome = { success: true, output: await tool.execute(parsed.input, { ...ctx, toolCallId: call.id }) };
  } catch (error) {
    if (ctx.abortSignal?.aborted) throw ctx.abortSignal.reason;
    if (error instanceof ToolError) outcome = failure(error.code, error.message);
    else {
      ctx.log?.warn("tool failed unexpectedly", { tool: call.name, error });
      outcome = failure("tool_failed", `${call.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const result = done({ ...outcome, ...(rewritten ? { rewrittenInput: rewritten } : {}) });
  if (hooks?.afterToolCall) {
    try {
      await hooks.afterToolCall(hooked, result);
    } catch (error) {
      ctx.log?.warn("after-tool hook failed", { tool: call.name, error });
    }
  }
  return result;
}
