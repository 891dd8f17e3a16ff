/**
 * The {@link CustomToolPort}: custom tools registered on a harness (or inherited from its parents, the
 * nearest layer keeping a name) and their webhook calls. A call is a POST of
 * `{tool, tool_id, call_id, input, harness_id, execution_id?}` as JSON, signed like every outbound
 * webhook of this deployment (`lib/webhook-signature.ts`: Standard Webhooks headers and
 * `X-OpenHarness-Signature: sha256=…`, with the tool's secret), under the network policy (every redirect
 * hop) and a 30 s deadline. The answer is the tool's output: a JSON object, or a stream — NDJSON lines
 * (`application/x-ndjson`) or SSE events (`text/event-stream`) of `{type: "output", data}`,
 * `{type: "progress", percentage, message}`, `{type: "error", code, message}`, `{type: "done"}` —
 * passed on chunk by chunk as they arrive.
 */
import { and, eq, inArray } from "drizzle-orm";
import { customTools } from "../../db/schema.ts";
import { importAesKey, openString } from "../../lib/crypto.ts";
import { OutboundRefusedError, readLimited } from "../../lib/outbound-fetch.ts";
import { webhookSignatureHeaders } from "../../lib/webhook-signature.ts";
import { ToolError, type ToolStreamChunk } from "../../runtime/tools/contract.ts";
import type { CustomToolDescriptor, CustomToolPort, PortScope } from "../../runtime/tools/ports.ts";
import type { AuthedContext } from "../context.ts";
import { parentChain } from "../harnesses/chain.ts";
import { networkPolicyLayers, policyFetch } from "../network/policy.ts";
import { scopeHarness } from "./scope.ts";

/** Deadline of one webhook tool call, in milliseconds (the same as webhook deliveries, spec §8.2). */
export const CUSTOM_TOOL_TIMEOUT_MS = 30_000;
/** Largest webhook answer read, in bytes (a stream counts every chunk). */
export const MAX_CUSTOM_TOOL_RESPONSE_BYTES = 1024 * 1024;
/** Most output chunks kept from a streamed answer. */
export const MAX_CUSTOM_TOOL_CHUNKS = 1_000;

export type CustomToolRow = typeof customTools.$inferSelect;

/** Associated data of a custom tool's sealed signing secret. */
export function toolSecretAad(toolId: string): string {
  return `tool:${toolId}`;
}

/** The custom tools in force on `harness` (its own, then its parents' by name), nearest first. */
export async function customToolsInForce(ctx: AuthedContext, harnessId: string, parentIds: string[]): Promise<CustomToolRow[]> {
  const ids = [harnessId, ...parentIds];
  const rows = await ctx.db
    .select()
    .from(customTools)
    .where(and(eq(customTools.orgId, ctx.principal.orgId), inArray(customTools.harnessId, ids)))
    .orderBy(customTools.id)
    .all();
  const byName = new Map<string, CustomToolRow>();
  for (const id of ids) for (const row of rows.filter((r) => r.harnessId === id)) if (!byName.has(row.name)) byName.set(row.name, row);
  return [...byName.values()];
}

function parseChunk(value: unknown): ToolStreamChunk | { type: "error"; code: string; message: string } | { type: "done" } | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case "progress":
      return { type: "progress", percentage: Number(v.percentage ?? 0), message: String(v.message ?? "") };
    case "error":
      return { type: "error", code: String(v.code ?? "tool_failed"), message: String(v.message ?? "the webhook reported an error") };
    case "done":
      return { type: "done" };
    case "output":
      return {
        type: "output",
        data: v.data && typeof v.data === "object" && !Array.isArray(v.data) ? (v.data as Record<string, unknown>) : { value: v.data },
      };
    default:
      return { type: "output", data: v };
  }
}

/** Reads a streamed answer (NDJSON or SSE), passing every chunk on as it arrives; returns the outputs. */
async function readStream(
  response: Response,
  sse: boolean,
  onChunk: ((chunk: ToolStreamChunk) => void) | undefined,
): Promise<Record<string, unknown>[]> {
  const outputs: Record<string, unknown>[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let bytes = 0;
  const handle = (text: string) => {
    if (!text.trim()) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ToolError("webhook_bad_response", `the webhook streamed a chunk that is not JSON: ${text.slice(0, 200)}`);
    }
    const chunk = parseChunk(parsed);
    if (!chunk) return false;
    if (chunk.type === "done") return true;
    if (chunk.type === "error") throw new ToolError(chunk.code, chunk.message);
    if (chunk.type === "output") {
      if (outputs.length >= MAX_CUSTOM_TOOL_CHUNKS)
        throw new ToolError("webhook_bad_response", `the webhook streamed more than ${MAX_CUSTOM_TOOL_CHUNKS} outputs`);
      outputs.push(chunk.data);
    }
    onChunk?.(chunk);
    return false;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      if (bytes > MAX_CUSTOM_TOOL_RESPONSE_BYTES)
        throw new ToolError("webhook_bad_response", `the webhook's answer is over ${MAX_CUSTOM_TOOL_RESPONSE_BYTES} bytes`);
      buffer += value.replace(/\r\n?/g, "\n");
      const separator = sse ? "\n\n" : "\n";
      let at: number;
      while ((at = buffer.indexOf(separator)) >= 0) {
        const piece = buffer.slice(0, at);
        buffer = buffer.slice(at + separator.length);
        const text = sse
          ? piece
              .split("\n")
              .filter((l) => l.startsWith("data:"))
              .map((l) => l.slice(5).replace(/^ /, ""))
              .join("\n")
          : piece;
        if (handle(text)) return outputs;
      }
    }
    if (!sse) handle(buffer);
    return outputs;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** The custom tool port for `ctx`'s organization. */
export function createCustomToolPort(ctx: AuthedContext): CustomToolPort {
  return {
    async listTools(scope): Promise<CustomToolDescriptor[]> {
      const harness = await scopeHarness(ctx, scope);
      const parents = await parentChain(ctx, harness);
      const rows = await customToolsInForce(
        ctx,
        harness.id,
        parents.map((p) => p.id),
      );
      return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, inputSchema: r.inputSchema }));
    },

    async call({ scope, toolId, args, callId, signal, onChunk }) {
      const row = await ctx.db
        .select()
        .from(customTools)
        .where(and(eq(customTools.id, toolId), eq(customTools.orgId, ctx.principal.orgId)))
        .get();
      if (!row) throw new ToolError("tool_not_found", "This custom tool was unregistered.");
      return callWebhookTool(ctx, row, { scope, args, callId, ...(signal ? { signal } : {}), ...(onChunk ? { onChunk } : {}) });
    },
  };
}

/**
 * One signed webhook call of a custom tool.
 * @throws ToolError `network_blocked`, `webhook_timeout`, `webhook_failed` (non-2xx), `webhook_bad_response`, a streamed `error`'s code
 */
export async function callWebhookTool(
  ctx: AuthedContext,
  row: CustomToolRow,
  input: {
    scope: PortScope;
    args: Record<string, unknown>;
    callId: string;
    signal?: AbortSignal;
    onChunk?: (chunk: ToolStreamChunk) => void;
  },
): Promise<Record<string, unknown>> {
  const harness = await scopeHarness(ctx, input.scope);
  const layers = await networkPolicyLayers(ctx, { harness, agentId: input.scope.agentId, sessionId: input.scope.sessionId ?? null });
  const secret = await openString(await importAesKey(ctx.config.credentialsEncryptionKey!), row.sealedSecret, toolSecretAad(row.id));
  const body = JSON.stringify({
    tool: row.name,
    tool_id: row.id,
    call_id: input.callId,
    input: input.args,
    harness_id: harness.slug,
    ...(input.scope.executionId ? { execution_id: input.scope.executionId } : {}),
  });
  const signature = await webhookSignatureHeaders({ id: `call_${input.callId}`, at: new Date(), body, secret });
  const deadline = AbortSignal.timeout(CUSTOM_TOOL_TIMEOUT_MS);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline]) : deadline;
  let response: Response;
  try {
    response = await policyFetch(ctx, layers)(row.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, application/x-ndjson, text/event-stream", ...signature },
      body,
      signal,
    });
    if (!response.ok) {
      const text = new TextDecoder().decode((await readLimited(response, 500)).bytes);
      throw new ToolError("webhook_failed", `the tool's webhook answered HTTP ${response.status}${text ? `: ${text}` : ""}`);
    }
    const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "application/x-ndjson" || type === "application/jsonl" || type === "text/event-stream") {
      const outputs = await readStream(response, type === "text/event-stream", input.onChunk);
      return outputs.length === 1 ? outputs[0]! : { outputs };
    }
    const text = await response.text();
    if (text.length > MAX_CUSTOM_TOOL_RESPONSE_BYTES)
      throw new ToolError("webhook_bad_response", `the webhook's answer is over ${MAX_CUSTOM_TOOL_RESPONSE_BYTES} bytes`);
    if (!text.trim()) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { text };
    }
    const output = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    input.onChunk?.({ type: "output", data: output });
    return output;
  } catch (error) {
    if (input.signal?.aborted) throw input.signal.reason;
    if (error instanceof ToolError) throw error;
    if (error instanceof OutboundRefusedError) throw new ToolError("network_blocked", `${error.message} (rule: ${error.rule})`);
    if (deadline.aborted)
      throw new ToolError("webhook_timeout", `the tool's webhook did not answer within ${CUSTOM_TOOL_TIMEOUT_MS / 1000} s`);
    throw new ToolError(
      "webhook_failed",
      `the tool's webhook could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
