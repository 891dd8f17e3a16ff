import { ApiError } from "../../errors/api-error.ts";
import { sseFrame } from "../../lib/sse.ts";
import type { ToolContext, ToolStreamChunk } from "../../runtime/tools/contract.ts";
import { invokeTool, type ToolCallOutcome } from "../../runtime/tools/invoke.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertNotArchived } from "../harnesses/lifecycle.ts";
import { chargeRequest } from "../limits/quota.ts";
import { workspacePrefix } from "../storage/keys.ts";
import { workspaceStore } from "../workspace/store.ts";
import { findTool, harnessTools, type HarnessTools } from "./catalog.ts";
import { toolNotFound } from "./list.ts";
import { createOrgPort } from "./org-port.ts";

/** Input of {@link invokeHarnessTool}: Open Harness `tools.invoke` body plus the path. */
export interface InvokeToolInput {
  ref: string;
  toolId: string;
  input: Record<string, unknown>;
  /** Run the tool as this agent would (its MCP servers, network policy and access patterns). */
  agent_id?: string;
}

/** Open Harness `tools.invoke` response. */
export interface InvokeToolResult {
  success: boolean;
  output: Record<string, unknown>;
  duration_ms: number;
  error?: string;
  /** Stable code of the failure (`network_blocked`, `mcp_tool_error`, `webhook_timeout`, …). */
  code?: string;
}

/** A prepared call: the tool found, its input checked, the context it runs with. */
interface PreparedCall {
  tools: HarnessTools;
  name: string;
  ctx: ToolContext;
}

/**
 * Finds the tool, checks the input against its schema and builds the context — the part that can
 * refuse the request (4xx), before anything runs.
 * @throws ApiError `harness_not_found`, `harness_archived`, `agent_not_found`, `tool_not_found`, `validation_error`, `rate_limited`
 */
async function prepare(ctx: AuthedContext, input: InvokeToolInput, operation: string, signal?: AbortSignal): Promise<PreparedCall> {
  const tools = await harnessTools(ctx, input.ref, input.agent_id);
  assertNotArchived(tools.harness, operation);
  const tool = findTool(tools.resolved.toolset.tools, input.toolId);
  if (!tool) throw toolNotFound(tools.harness, input.toolId);
  const parsed = tool.parse(input.input);
  if (!parsed.ok) {
    throw new ApiError("validation_error", `body.input: invalid input for ${tool.name}: ${parsed.issues.join("; ")}`, {
      domain: "tools",
      operation,
      details: { field: "body.input", issues: parsed.issues },
      actions: [{ rel: "fix-input", hint: `Match the tool's input_schema (tools.get ${tool.name}).` }],
    });
  }
  await chargeRequest({ ctx, input: { surface: "execution", subject: ctx.principal.subject } });
  const toolCtx: ToolContext = {
    workspace: workspaceStore(ctx.env, ctx.db, {
      orgId: ctx.principal.orgId,
      prefix: workspacePrefix(ctx.principal.orgId, tools.harness.id),
    }),
    now: () => new Date(),
    org: createOrgPort(ctx, { subject: ctx.principal.subject, surface: "execution" }),
    log: ctx.log,
    ...(signal ? { abortSignal: signal } : {}),
    ...tools.resolved.ports,
  };
  return { tools, name: tool.name, ctx: toolCtx };
}

function result(outcome: ToolCallOutcome): InvokeToolResult {
  return {
    success: outcome.success,
    output: outcome.output ?? {},
    duration_ms: outcome.durationMs,
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(outcome.code ? { code: outcome.code } : {}),
  };
}

/**
 * tools.invoke — runs one tool outside any execution through the same path as the loop (`invokeTool`:
 * input validated, hooks, the tool's own limits and network policy). A failure of the tool is
 * `success: false` with `error` in a 200 body; a bad request is a 4xx.
 * @throws ApiError `harness_not_found`, `harness_archived`, `agent_not_found`, `tool_not_found`, `validation_error`, `rate_limited`
 */
export async function invokeHarnessTool({ ctx, input }: VerbArgs<AuthedContext, InvokeToolInput>): Promise<InvokeToolResult> {
  const call = await prepare(ctx, input, "tools.invoke");
  const outcome = await invokeTool(
    call.tools.resolved.toolset,
    { id: `tc_${crypto.randomUUID()}`, name: call.name, input: input.input },
    call.ctx,
    call.tools.resolved.hooks,
  );
  return result(outcome);
}

/**
 * tools.invokeStream — the same call, as SSE of `ToolStreamEvent` (spec §6.3): `output` and `progress`
 * as the tool produces them (a webhook answering with NDJSON or SSE is passed through chunk by chunk;
 * an MCP server's progress notifications become `progress`), then `error` on failure, then `done`.
 * Everything that can refuse the request is checked before the stream starts.
 * @throws ApiError as {@link invokeHarnessTool}
 */
export async function invokeHarnessToolStream({
  ctx,
  input,
  signal,
}: VerbArgs<AuthedContext, InvokeToolInput> & { signal?: AbortSignal }): Promise<ReadableStream<Uint8Array>> {
  const call = await prepare(ctx, input, "tools.invokeStream", signal);
  const encoder = new TextEncoder();
  let seq = 0;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: Record<string, unknown> & { type: string }) => {
        try {
          controller.enqueue(encoder.encode(sseFrame(++seq, event.type, event)));
        } catch {
          /* the client went away */
        }
      };
      let streamed = false;
      const emit = (chunk: ToolStreamChunk) => {
        if (chunk.type === "output") streamed = true;
        send(chunk);
      };
      const outcome: ToolCallOutcome = await invokeTool(
        call.tools.resolved.toolset,
        { id: `tc_${crypto.randomUUID()}`, name: call.name, input: input.input },
        { ...call.ctx, emit },
        call.tools.resolved.hooks,
      ).catch((error: unknown): ToolCallOutcome => ({
        success: false,
        code: "cancelled",
        error: `cancelled: ${error instanceof Error ? error.message : String(error)}`,
        durationMs: 0,
      }));
      if (outcome.success && !streamed) send({ type: "output", data: outcome.output ?? {} });
      if (!outcome.success) send({ type: "error", code: outcome.code ?? "tool_failed", message: outcome.error ?? "the tool failed" });
      send({ type: "done", success: outcome.success, duration_ms: outcome.durationMs });
      controller.close();
    },
  });
}
