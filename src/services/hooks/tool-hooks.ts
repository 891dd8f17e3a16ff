import type { JsonObject } from "../../lib/json.ts";
import type { ToolScope } from "../../runtime/tools/contract.ts";
import type { ToolHooks } from "../../runtime/tools/invoke.ts";
import type { AuthedContext } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import { clipped, fireHooks, runPreToolHooks } from "./fire.ts";

/**
 * The `ToolHooks` of a run on a harness: `beforeToolCall` runs the harness's pre_tool hooks (blocking),
 * `afterToolCall` fires its post_tool hooks (queued). Hooks are read at every call, so one registered,
 * disabled or unregistered during a run takes effect at its next tool call.
 */
export function harnessToolHooks(ctx: AuthedContext, scope: ToolScope, signal?: AbortSignal): ToolHooks {
  return {
    beforeToolCall: (call) =>
      runPreToolHooks(ctx, {
        harnessId: scope.harnessId,
        call: {
          ...(call.executionId ? { executionId: call.executionId } : {}),
          sessionId: scope.sessionId ?? null,
          toolCallId: call.id,
          tool: { name: call.name, source: call.source },
          input: call.input,
        },
        ...(signal ? { signal } : {}),
      }),
    afterToolCall: async (call, outcome) => {
      const harness = await findHarness({ ctx, input: { ref: scope.harnessId } });
      await fireHooks(ctx, {
        harness: { id: harness.id, slug: harness.slug },
        event: "post_tool",
        data: {
          execution_id: call.executionId ?? null,
          session_id: scope.sessionId ?? null,
          tool_call_id: call.id,
          tool: { name: call.name, source: call.source.kind },
          input: clipped(call.input) as JsonObject,
          success: outcome.success,
          ...(outcome.output ? { output: clipped(outcome.output) as JsonObject } : {}),
          ...(outcome.error ? { error: outcome.error } : {}),
          duration_ms: outcome.durationMs,
        },
      });
    },
  };
}
