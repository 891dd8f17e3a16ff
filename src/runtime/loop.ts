/**
 * The native agent loop, one step at a time. A step is one model call (streamed through the AI SDK)
 * followed by the tool calls it asked for (run through `tools/invoke.ts`). The caller (the `ExecutionRun` Durable Object) persists
 * what each step returns before starting the next, which is what makes a run resumable.
 * No HTTP and no storage in here: events go out through `emit`, tools act through their context.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { jsonSchema, streamText, tool, type ModelMessage, type ToolSet } from "ai";
import type { ExecutionEvent } from "./events.ts";
import type { Tool } from "./tools/contract.ts";
import type { ToolCallOutcome, ToolCallRequest } from "./tools/invoke.ts";

/** A tool call the model asked for. `input` is the parsed JSON object. */
export type RequestedToolCall = ToolCallRequest;

/** Inputs of one model step. */
export interface ModelStepInput {
  model: LanguageModelV4;
  system: string;
  messages: ModelMessage[];
  tools: Tool[];
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

function toToolSet(tools: Tool[]): ToolSet {
  const set: ToolSet = {};
  for (const t of tools) set[t.name] = tool({ description: t.description, inputSchema: jsonSchema(t.inputSchema as never) });
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
 * Tools are offered without `execute`: the run executes them itself (`tools/invoke.ts`) so each result can be checkpointed.
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
