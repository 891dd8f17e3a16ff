/**
 * The native agent loop, one step at a time. A step is one model call (streamed through the AI SDK)
 * followed by the tool calls it asked for. The caller (the `ExecutionRun` Durable Object) persists
 * what each step returns before starting the next, which is what makes a run resumable.
 * No HTTP and no storage in here: events go out through `emit`, tools act through their context.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { jsonSchema, streamText, tool, type ModelMessage, type ToolSet } from "ai";
import { z } from "zod";
import type { ExecutionEvent } from "./events.ts";
import { ToolError, type BuiltinTool, type ToolContext } from "./tools/types.ts";

/** A tool call the model asked for. `input` is the parsed JSON object. */
export interface RequestedToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Set when the model's call cannot run (unknown tool, unparsable input). */
  invalidReason?: string;
}

/** Inputs of one model step. */
export interface ModelStepInput {
  model: LanguageModelV4;
  system: string;
  messages: ModelMessage[];
  tools: BuiltinTool[];
  maxOutputTokens?: number;
  temperature?: number;
  abortSignal: AbortSignal;
  /** Appends one event to the run's log (synchronous: the log is the Durable Object's SQLite). */
  emit: (event: ExecutionEvent) => void;
}

/** What one model step produced. */
export interface ModelStepOutcome {
  /** Messages to append to the conversation (the assistant message, with reasoning and tool calls). */
  responseMessages: ModelMessage[];
  toolCalls: RequestedToolCall[];
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  finishReason: string;
}

/** The model provider failed (HTTP error, broken stream). `message` is safe to show. */
export class ModelCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ModelCallError";
  }
}

function toToolSet(tools: BuiltinTool[]): ToolSet {
  const set: ToolSet = {};
  for (const t of tools) {
    set[t.name] = tool({ description: t.description, inputSchema: jsonSchema(z.toJSONSchema(t.inputSchema, { io: "input" }) as never) });
  }
  return set;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

function describeError(error: unknown): { message: string; status?: number } {
  if (error && typeof error === "object") {
    const e = error as { message?: unknown; statusCode?: unknown; name?: unknown };
    const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
    const message = typeof e.message === "string" ? e.message : String(error);
    return { message: status ? `model provider answered HTTP ${status}: ${message}` : message, ...(status ? { status } : {}) };
  }
  return { message: String(error) };
}

/**
 * Runs one model call, streaming `text`, `thinking` and `tool_call_start/delta/end` events as they arrive.
 * Tools are offered without `execute`: the loop runs them itself so each result can be checkpointed.
 * @throws ModelCallError when the provider fails; rethrows the abort reason when `abortSignal` fires.
 */
export async function runModelStep(input: ModelStepInput): Promise<ModelStepOutcome> {
  const { emit } = input;
  let streamError: unknown;
  const result = streamText({
    model: input.model,
    system: input.system || undefined,
    messages: input.messages,
    tools: toToolSet(input.tools),
    maxOutputTokens: input.maxOutputTokens,
    temperature: input.temperature,
    abortSignal: input.abortSignal,
    maxRetries: 1,
    onError: ({ error }) => {
      streamError = error;
    },
  });
  const started = new Set<string>();
  const toolCalls: RequestedToolCall[] = [];
  let text = "";
  for await (const part of result.fullStream) {
    switch (part.type) {
      case "text-delta":
        if (part.text) {
          text += part.text;
          emit({ type: "text", content: part.text });
        }
        break;
      case "reasoning-delta":
        if (part.text) emit({ type: "thinking", content: part.text });
        break;
      case "tool-input-start":
        started.add(part.id);
        emit({ type: "tool_call_start", id: part.id, name: part.toolName, input: {} });
        break;
      case "tool-input-delta":
        if (part.delta) emit({ type: "tool_call_delta", id: part.id, input_delta: { partial_json: part.delta } });
        break;
      case "tool-call": {
        const call: RequestedToolCall = { id: part.toolCallId, name: part.toolName, input: asObject(part.input) };
        if ("invalid" in part && part.invalid) call.invalidReason = describeError((part as { error?: unknown }).error).message;
        if (!started.has(call.id)) emit({ type: "tool_call_start", id: call.id, name: call.name, input: call.input });
        emit({ type: "tool_call_end", id: call.id, input: call.input });
        toolCalls.push(call);
        break;
      }
      case "error":
        streamError = part.error;
        break;
      case "abort":
        throw input.abortSignal.reason ?? new Error("aborted");
      default:
        break;
    }
  }
  if (input.abortSignal.aborted) throw input.abortSignal.reason ?? new Error("aborted");
  if (streamError) {
    const { message, status } = describeError(streamError);
    throw new ModelCallError(message, status);
  }
  const [usage, response, finishReason] = await Promise.all([result.totalUsage, result.response, result.finishReason]);
  return {
    responseMessages: response.messages as ModelMessage[],
    toolCalls,
    text,
    usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
    finishReason,
  };
}

/** Outcome of one tool call, as recorded and as the model sees it. */
export interface ToolCallOutcome {
  success: boolean;
  output?: Record<string, unknown>;
  error?: string;
  durationMs: number;
}

/**
 * Runs one tool call. Failures — unknown tool, invalid input, a {@link ToolError}, an unexpected
 * exception — become `success: false` with an error string; a tool never crashes the run.
 */
export async function executeToolCall(call: RequestedToolCall, tools: BuiltinTool[], ctx: ToolContext): Promise<ToolCallOutcome> {
  const started = Date.now();
  const done = (o: Omit<ToolCallOutcome, "durationMs">): ToolCallOutcome => ({ ...o, durationMs: Date.now() - started });
  if (call.invalidReason) return done({ success: false, error: `invalid tool call: ${call.invalidReason}` });
  const found = tools.find((t) => t.name === call.name);
  if (!found)
    return done({ success: false, error: `unknown tool ${call.name}; available: ${tools.map((t) => t.name).join(", ") || "none"}` });
  const parsed = found.inputSchema.safeParse(call.input);
  if (!parsed.success) {
    return done({
      success: false,
      error: `invalid input for ${call.name}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`,
    });
  }
  try {
    return done({ success: true, output: await found.execute(parsed.data, ctx) });
  } catch (error) {
    if (error instanceof ToolError) return done({ success: false, error: `${error.code}: ${error.message}` });
    return done({ success: false, error: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/** The tool message that feeds `results` back to the model, in call order. */
export function toolResultMessage(
  results: { call: RequestedToolCall; outcome: Pick<ToolCallOutcome, "success" | "output" | "error"> }[],
): ModelMessage {
  return {
    role: "tool",
    content: results.map(({ call, outcome }) => ({
      type: "tool-result" as const,
      toolCallId: call.id,
      toolName: call.name,
      output: outcome.success
        ? { type: "json" as const, value: (outcome.output ?? {}) as never }
        : { type: "error-text" as const, value: outcome.error ?? "tool failed" },
    })),
  };
}
