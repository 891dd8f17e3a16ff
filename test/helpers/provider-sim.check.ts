/**
 * Verifies the provider simulator against the real Vercel AI SDK providers.
 *
 * Run with: `./node_modules/.bin/node test/helpers/provider-sim.check.ts`
 * Prints one PASS/FAIL line per check and exits non-zero when any check fails.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, jsonSchema, streamText, tool } from "ai";
import type { LanguageModel, ModelMessage, TextStreamPart, ToolSet } from "ai";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { SIM_ANTHROPIC_KEY, SIM_OPENAI_KEY, startProviderSimulator } from "./provider-sim.ts";
import type { SimRecordedRequest } from "./provider-sim.ts";

const sim = await startProviderSimulator();
const openaiBase = `${sim.url}/openai/v1`;
const anthropicBase = `${sim.url}/anthropic/v1`;

const openai = createOpenAI({ apiKey: SIM_OPENAI_KEY, baseURL: openaiBase });
const anthropic = createAnthropic({
  apiKey: SIM_ANTHROPIC_KEY,
  baseURL: anthropicBase,
});
const compatible = createOpenAICompatible({
  name: "sim",
  baseURL: openaiBase,
  apiKey: SIM_OPENAI_KEY,
});

const tools = {
  current_time: tool({
    description: "Returns the current time.",
    inputSchema: z.object({}),
  }),
  write_file: tool({
    description: "Writes a file.",
    inputSchema: jsonSchema<{ path: string; content: string }>({
      type: "object",
      properties: { path: { type: "string" }, content: { type: "string" } },
      required: ["path", "content"],
      additionalProperties: false,
    }),
  }),
};

let failures = 0;

/** Runs one named check; a thrown error or a false return is a failure. */
async function check(name: string, fn: () => Promise<string | void>): Promise<void> {
  try {
    const detail = await fn();
    console.log(`PASS ${name}${detail ? ` — ${detail}` : ""}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name} — ${error instanceof Error ? error.message : String(error)}`);
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

interface Run {
  parts: TextStreamPart<ToolSet>[];
  text: string;
  finishReason: string;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  messages: ModelMessage[];
}

/** streamText with the real SDK, collecting every stream part (errors surface as `error` parts). */
async function run(
  model: LanguageModel,
  options: {
    prompt?: string;
    messages?: ModelMessage[];
    instructions?: string;
    withTools?: boolean;
  },
): Promise<Run> {
  // onError: errors are collected from fullStream below instead of being logged by the SDK.
  const common = {
    model,
    maxRetries: 0,
    onError: () => {},
    ...(options.withTools ? { tools } : {}),
  };
  const result =
    options.messages !== undefined
      ? streamText({
          ...common,
          messages: options.messages,
          instructions: options.instructions,
        })
      : streamText({
          ...common,
          prompt: options.prompt ?? "",
          instructions: options.instructions,
        });
  const parts: TextStreamPart<ToolSet>[] = [];
  for await (const part of result.fullStream) parts.push(part as TextStreamPart<ToolSet>);
  const error = parts.find((part) => part.type === "error");
  if (error && error.type === "error") throw error.error;
  const usage = await result.totalUsage;
  return {
    parts,
    text: await result.text,
    finishReason: await result.finishReason,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    messages: (await result.response).messages,
  };
}

function textDeltas(parts: TextStreamPart<ToolSet>[]): number {
  return parts.filter((part) => part.type === "text-delta").length;
}

function toolCalls(parts: TextStreamPart<ToolSet>[]) {
  return parts.flatMap((part) => (part.type === "tool-call" ? [part] : []));
}

/** Expects `fn` to reject (or stream an error) with an APICallError of the given status. */
async function expectApiError(fn: () => Promise<unknown>, status: number): Promise<string> {
  try {
    await fn();
  } catch (error) {
    assert(APICallError.isInstance(error), `expected APICallError, got ${String(error)}`);
    assertEqual(error.statusCode, status, "statusCode");
    return `APICallError ${error.statusCode}: ${error.message}`;
  }
  throw new Error("expected an error, call succeeded");
}

async function recorded(): Promise<SimRecordedRequest[]> {
  const response = await fetch(`${sim.url}/__requests`);
  return (await response.json()) as SimRecordedRequest[];
}

try {
  // (a)
  await check("(a) openai chat: streamed text reply", async () => {
    const r = await run(openai.chat("gpt-4o-mini"), {
      prompt: "hello there, simulator",
    });
    assertEqual(r.text, "Simulated openai reply to: hello there, simulator", "text");
    assert(textDeltas(r.parts) > 1, `expected several text deltas, got ${textDeltas(r.parts)}`);
    assertEqual(r.finishReason, "stop", "finishReason");
    return `${JSON.stringify(r.text)} in ${textDeltas(r.parts)} deltas`;
  });

  // (b) + (c)
  let openaiToolCallId = "";
  const openaiPrompt: ModelMessage[] = [{ role: "user", content: "Please use current_time to tell me the time." }];
  let openaiStep1Messages: ModelMessage[] = [];
  await check("(b) openai chat: current_time tool call", async () => {
    const r = await run(openai.chat("gpt-4o-mini"), {
      messages: openaiPrompt,
      withTools: true,
    });
    const calls = toolCalls(r.parts);
    assertEqual(calls.length, 1, "tool-call count");
    const call = calls[0]!;
    assertEqual(call.toolName, "current_time", "toolName");
    assertEqual(call.input, {}, "input");
    assertEqual(r.finishReason, "tool-calls", "finishReason");
    assertEqual(r.text, "Checking the time.", "preamble text");
    const inputDeltas = r.parts.filter((part) => part.type === "tool-input-delta").length;
    assert(inputDeltas >= 2, `expected arguments split over several chunks, got ${inputDeltas}`);
    openaiToolCallId = call.toolCallId;
    openaiStep1Messages = r.messages;
    return `toolCallId=${call.toolCallId} input=${JSON.stringify(call.input)} (${inputDeltas} argument deltas)`;
  });

  await check("(c) openai chat: tool result -> text", async () => {
    assert(openaiToolCallId, "no tool call from (b)");
    const messages: ModelMessage[] = [
      ...openaiPrompt,
      ...openaiStep1Messages,
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: openaiToolCallId,
            toolName: "current_time",
            output: { type: "text", value: "2025-06-01T12:00:00.000Z" },
          },
        ],
      },
    ];
    const r = await run(openai.chat("gpt-4o-mini"), {
      messages,
      withTools: true,
    });
    assertEqual(r.text, "Tool result received: 2025-06-01T12:00:00.000Z", "text");
    assertEqual(r.finishReason, "stop", "finishReason");
    const last = (await recorded()).at(-1);
    assert(last, "request was recorded");
    const sent = (last.body as { messages: { role: string; tool_call_id?: string }[] }).messages;
    assertEqual(sent.at(-1)?.role, "tool", "last message role sent");
    assertEqual(sent.at(-1)?.tool_call_id, openaiToolCallId, "tool_call_id sent");
    return JSON.stringify(r.text);
  });

  // (d)
  await check("(d) anthropic: streamed text reply", async () => {
    const r = await run(anthropic("claude-sonnet-4-5"), {
      prompt: "hello from the check",
      instructions: "Be brief.",
    });
    assertEqual(r.text, "Simulated anthropic reply to: hello from the check", "text");
    assert(textDeltas(r.parts) > 1, "expected several text deltas");
    assertEqual(r.finishReason, "stop", "finishReason");
    return `${JSON.stringify(r.text)} in ${textDeltas(r.parts)} deltas`;
  });

  // (e)
  await check("(e) anthropic: current_time tool call, then tool result -> text", async () => {
    const prompt: ModelMessage[] = [{ role: "user", content: "use current_time please" }];
    const r = await run(anthropic("claude-sonnet-4-5"), {
      messages: prompt,
      withTools: true,
    });
    const calls = toolCalls(r.parts);
    assertEqual(calls.length, 1, "tool-call count");
    const call = calls[0]!;
    assertEqual(call.toolName, "current_time", "toolName");
    assertEqual(call.input, {}, "input");
    assertEqual(r.finishReason, "tool-calls", "finishReason");
    assert(call.toolCallId.startsWith("toolu_"), `unexpected tool id ${call.toolCallId}`);
    const step2 = await run(anthropic("claude-sonnet-4-5"), {
      withTools: true,
      messages: [
        ...prompt,
        ...r.messages,
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: call.toolCallId,
              toolName: "current_time",
              output: {
                type: "json",
                value: { now: "2025-06-01T12:00:00Z" },
              },
            },
          ],
        },
      ],
    });
    assertEqual(step2.text, 'Tool result received: {"now":"2025-06-01T12:00:00Z"}', "step 2 text");
    return `tool-call ${call.toolCallId} then ${JSON.stringify(step2.text)}`;
  });

  // (f)
  await check("(f) openai-compatible: text + write_file tool call", async () => {
    const model = compatible.chatModel("sim-model");
    const text = await run(model, { prompt: "just say something" });
    assertEqual(text.text, "Simulated openai reply to: just say something", "text");
    const r = await run(model, {
      prompt: "please use write_file now",
      withTools: true,
    });
    const calls = toolCalls(r.parts);
    assertEqual(calls.length, 1, "tool-call count");
    assertEqual(calls[0]!.toolName, "write_file", "toolName");
    assertEqual(calls[0]!.input, { path: "notes/sim.txt", content: "written by the simulator" }, "input");
    assertEqual(r.finishReason, "tool-calls", "finishReason");
    assert((text.inputTokens ?? 0) > 0, "usage reported without include_usage");
    return `text ok; write_file ${JSON.stringify(calls[0]!.input)}`;
  });

  // (g)
  await check("(g) openai wrong key -> APICallError 401", () =>
    expectApiError(() => run(createOpenAI({ apiKey: "wrong-key", baseURL: openaiBase }).chat("gpt-4o-mini"), { prompt: "hi" }), 401),
  );
  await check("(g) anthropic wrong key -> APICallError 401", () =>
    expectApiError(() => run(createAnthropic({ apiKey: "wrong-key", baseURL: anthropicBase })("claude-sonnet-4-5"), { prompt: "hi" }), 401),
  );
  await check("(g) openai-compatible wrong key -> APICallError 401", () =>
    expectApiError(
      () =>
        run(
          createOpenAICompatible({
            name: "sim",
            baseURL: openaiBase,
            apiKey: "nope",
          }).chatModel("x"),
          {
            prompt: "hi",
          },
        ),
      401,
    ),
  );

  // (h)
  await check("(h) usage numbers arrive (openai + anthropic)", async () => {
    // prompt chars: "abcdefghij" (10) -> 3 input tokens; output "Simulated openai reply to: abcdefghij" (37) -> 10.
    const o = await run(openai.chat("gpt-4o-mini"), { prompt: "abcdefghij" });
    assert((o.inputTokens ?? 0) > 0, "openai inputTokens > 0");
    assertEqual([o.inputTokens, o.outputTokens], [3, 10], "openai [input, output] tokens");
    // system "Sys." (4) + "abcdefghij" (10) = 14 chars -> 4; "Simulated anthropic reply to: abcdefghij" (40) -> 10.
    const a = await run(anthropic("claude-sonnet-4-5"), {
      prompt: "abcdefghij",
      instructions: "Sys.",
    });
    assert((a.inputTokens ?? 0) > 0, "anthropic inputTokens > 0");
    assertEqual([a.inputTokens, a.outputTokens], [4, 10], "anthropic [input, output] tokens");
    return `openai in=${o.inputTokens} out=${o.outputTokens}; anthropic in=${a.inputTokens} out=${a.outputTokens}`;
  });

  // Extra checks beyond the brief.
  await check("(i) non-streaming generateText (openai + anthropic, tool call)", async () => {
    const o = await generateText({
      model: openai.chat("gpt-4o-mini"),
      prompt: "plain",
      maxRetries: 0,
    });
    assertEqual(o.text, "Simulated openai reply to: plain", "openai text");
    assert((o.usage.inputTokens ?? 0) > 0, "openai usage");
    const a = await generateText({
      model: anthropic("claude-haiku-4-5"),
      prompt: "use write_file",
      tools,
      maxRetries: 0,
    });
    assertEqual(a.toolCalls[0]?.toolName, "write_file", "anthropic tool");
    assertEqual(a.toolCalls[0]?.input, { path: "notes/sim.txt", content: "written by the simulator" }, "anthropic input");
    assertEqual(a.finishReason, "tool-calls", "anthropic finishReason");
    return "ok";
  });

  await check("(j) 'use current_time' without the tool offered", async () => {
    const o = await run(openai.chat("gpt-4o-mini"), {
      prompt: "use current_time",
    });
    const a = await run(anthropic("claude-sonnet-4-5"), {
      prompt: "use current_time",
    });
    assertEqual([o.text, a.text], ["No current_time tool offered.", "No current_time tool offered."], "texts");
    assertEqual(toolCalls(o.parts).length + toolCalls(a.parts).length, 0, "no tool calls");
  });

  await check("(k) 'fail please' -> APICallError 500 (both providers)", async () => {
    const o = await expectApiError(() => run(openai.chat("gpt-4o-mini"), { prompt: "fail please" }), 500);
    const a = await expectApiError(() => run(anthropic("claude-sonnet-4-5"), { prompt: "fail please" }), 500);
    return `${o} | ${a}`;
  });

  await check("(l) GET /models: 200 with key, 401 provider error shape otherwise", async () => {
    const ok = await fetch(`${openaiBase}/models`, {
      headers: { authorization: `Bearer ${SIM_OPENAI_KEY}` },
    });
    assertEqual(ok.status, 200, "openai status");
    const list = (await ok.json()) as {
      object: string;
      data: { id: string }[];
    };
    assert(list.object === "list" && list.data.length > 0, "openai list");
    const bad = await fetch(`${openaiBase}/models`, {
      headers: { authorization: "Bearer nope" },
    });
    assertEqual(bad.status, 401, "openai bad status");
    const badBody = (await bad.json()) as {
      error: { code: string; type: string };
    };
    assertEqual([badBody.error.type, badBody.error.code], ["invalid_request_error", "invalid_api_key"], "openai error");
    const aok = await fetch(`${anthropicBase}/models`, {
      headers: {
        "x-api-key": SIM_ANTHROPIC_KEY,
        "anthropic-version": "2023-06-01",
      },
    });
    assertEqual(aok.status, 200, "anthropic status");
    const alist = (await aok.json()) as {
      data: { type: string; id: string }[];
      has_more: boolean;
    };
    assert(alist.data.length > 0 && alist.data[0]?.type === "model", "anthropic list");
    const abad = await fetch(`${anthropicBase}/models`, {
      headers: { "x-api-key": "nope", "anthropic-version": "2023-06-01" },
    });
    assertEqual(abad.status, 401, "anthropic bad status");
    const abadBody = (await abad.json()) as {
      type: string;
      error: { type: string };
    };
    assertEqual([abadBody.type, abadBody.error.type], ["error", "authentication_error"], "anthropic error");
    const noVersion = await fetch(`${anthropicBase}/models`, {
      headers: { "x-api-key": SIM_ANTHROPIC_KEY },
    });
    assertEqual(noVersion.status, 400, "anthropic without anthropic-version");
    return `openai models ${list.data.map((m) => m.id).join(",")}; anthropic models ${alist.data.map((m) => m.id).join(",")}`;
  });

  await check("(m) /__requests records system prompt and history; DELETE clears", async () => {
    await fetch(`${sim.url}/__requests`, { method: "DELETE" });
    assertEqual((await recorded()).length, 0, "cleared");
    await run(openai.chat("gpt-4o-mini"), {
      instructions: "You are the EdgeHarness test agent.",
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: "answer" },
        { role: "user", content: "second" },
      ],
    });
    await run(anthropic("claude-sonnet-4-5"), {
      instructions: "Anthropic system.",
      prompt: "hi",
    });
    const [o, a] = await recorded();
    assert(o && a, "two recorded requests");
    assertEqual([o.method, o.path, o.status], ["POST", "/openai/v1/chat/completions", 200], "openai record");
    assertEqual([o.headers.authorization, o.headers["x-api-key"]], [true, false], "openai header presence");
    const oBody = o.body as {
      messages: { role: string; content: string }[];
      stream: boolean;
    };
    assertEqual(
      oBody.messages.map((m) => [m.role, m.content]),
      [
        ["system", "You are the EdgeHarness test agent."],
        ["user", "first"],
        ["assistant", "answer"],
        ["user", "second"],
      ],
      "openai messages",
    );
    assertEqual(
      [a.path, a.headers["x-api-key"], a.headers["anthropic-version"]],
      ["/anthropic/v1/messages", true, "2023-06-01"],
      "anthropic record",
    );
    const aBody = a.body as { system: { text: string }[] };
    assertEqual(aBody.system[0]?.text, "Anthropic system.", "anthropic system");
    return `${(await recorded()).length} requests recorded`;
  });
} finally {
  await sim.close();
}

console.log(failures === 0 ? "ALL CHECKS PASSED" : `${failures} CHECK(S) FAILED`);
process.exit(failures === 0 ? 0 : 1);
