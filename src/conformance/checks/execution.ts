/** Categories 1–3 of the checklist: basic execution, streaming, tool events. */
import { streamText, type StreamReply } from "../client.ts";
import { expect, expectStatus, once, type Check, type CheckContext } from "../check.ts";

/** Runs `message` (with `extra` request fields) and returns the result, failing on anything but a finished run. */
async function result(ctx: CheckContext, message: string, extra: Record<string, unknown> = {}) {
  const reply = await ctx.client.run(ctx.harness, { message, ...extra });
  expectStatus(reply, 200, "execute then result");
  expect(reply.body?.result, "the result body has no `result`");
  return reply.body.result;
}

function streamOf(ctx: CheckContext, message: string, extra: Record<string, unknown> = {}): Promise<StreamReply> {
  return ctx.client.stream("POST", `/harnesses/${ctx.harness}/execute/stream`, { message, ...extra });
}

const KNOWN_EVENTS = new Set([
  "text",
  "thinking",
  "tool_call_start",
  "tool_call_delta",
  "tool_call_end",
  "tool_result",
  "progress",
  "error",
  "done",
  "file",
  "tool_stream_start",
  "tool_stream_data",
  "tool_stream_end",
  // MAPI's own variant, missing from the suite's list (checklist STR-04 †).
  "artifact",
]);

/** The tool-forcing prompts of category 3. */
const TOOL_PROMPTS = [
  "Use a tool to compute 5 + 5.",
  "Run a shell command to echo 'hello'.",
  "Read the current directory listing.",
  "Execute 'echo test'.",
];

export const EXECUTION_CHECKS: Check[] = [
  {
    id: "EXE-01",
    category: "execution",
    name: "Trivial prompt gives text",
    async run(ctx) {
      const r = await result(ctx, "Say hello");
      expect(typeof r.output === "string" && r.output.length > 0, "`output` is not a non-empty string");
    },
  },
  {
    id: "EXE-02",
    category: "execution",
    name: "Arithmetic is answered",
    async run(ctx) {
      const r = await result(ctx, "What is 7 * 8? Reply with just the number, nothing else.");
      expect(String(r.output).includes("56"), `output ${JSON.stringify(r.output)} does not contain 56`);
    },
  },
  {
    id: "EXE-03",
    category: "execution",
    name: "System prompt is accepted and applied",
    soft: true,
    async run(ctx) {
      const r = await result(ctx, "Greet me in one short sentence.", {
        system_prompt: "You are a pirate. Always talk like a pirate: arr, ahoy, matey.",
      });
      expect(typeof r.output === "string", "no output");
      expect(
        /\b(arr|ahoy|matey|ye|aye|captain|seas|ship)\b/i.test(r.output),
        `the answer shows no pirate persona: ${JSON.stringify(r.output)}`,
      );
    },
  },
  {
    id: "EXE-04",
    category: "execution",
    name: "Empty message is handled gracefully",
    async run(ctx) {
      const reply = await ctx.client.request("POST", `/harnesses/${ctx.harness}/execute`, { message: "" });
      expect(reply.status < 500, `an empty message answered HTTP ${reply.status}`);
      if (reply.status >= 400) {
        expect(typeof reply.body === "object" && reply.body?.error?.code, "the 4xx for an empty message is not a JSON error envelope");
      }
    },
  },
  {
    id: "EXE-05",
    category: "execution",
    name: "Long input is fine",
    async run(ctx) {
      const r = await result(ctx, "Please acknowledge this message. ".repeat(300));
      expect(String(r.output).length > 0, "empty output for a 10 KB message");
    },
  },
  {
    id: "EXE-06",
    category: "execution",
    name: "Result has a stable shape",
    async run(ctx) {
      const r = await result(ctx, "Say hello");
      expect(typeof r.output === "string", "`output` is not a string");
      expect(Array.isArray(r.tool_calls), "`tool_calls` is not an array");
      expect(r.metadata === null || typeof r.metadata === "object", "`metadata` is neither an object nor null");
    },
  },
  {
    id: "STR-01",
    category: "streaming",
    name: "A stream yields events",
    async run(ctx) {
      const s = await streamOf(ctx, "Count from 1 to 3");
      expectStatus(s, 200, "execute/stream");
      expect(s.events.length > 0, "no event arrived");
    },
  },
  {
    id: "STR-02",
    category: "streaming",
    name: "Terminal event",
    async run(ctx) {
      const s = await streamOf(ctx, "Say hello");
      const last = s.events.at(-1)?.data?.type;
      expect(last === "done" || last === "error", `the last event is ${last}, not done or error`);
    },
  },
  {
    id: "STR-03",
    category: "streaming",
    name: "Text events carry content",
    async run(ctx) {
      const s = await streamOf(ctx, "Tell me one sentence about the sea.");
      const texts = s.events.filter((e) => e.data?.type === "text");
      expect(texts.length > 0, "no text event");
      expect(
        texts.every((e) => typeof e.data.content === "string"),
        "a text event has no string content",
      );
      expect(
        texts.some((e) => e.data.content.length > 0),
        "every text event is empty",
      );
    },
  },
  {
    id: "STR-04",
    category: "streaming",
    name: "Only known event types, `type` inside the data",
    async run(ctx) {
      const s = await streamOf(ctx, "Say hello");
      expect(!s.unparsable, `a data line is not JSON: ${s.unparsable?.slice(0, 100)}`);
      for (const e of s.events) {
        expect(typeof e.data?.type === "string", "an event's data has no `type`");
        expect(KNOWN_EVENTS.has(e.data.type), `unknown event type ${e.data.type}`);
      }
    },
  },
  {
    id: "STR-05",
    category: "streaming",
    name: "Incremental delivery as text/event-stream",
    async run(ctx) {
      const s = await streamOf(ctx, "Count from 1 to 3");
      expect(s.contentType.startsWith("text/event-stream"), `content type ${s.contentType}`);
      expect(!s.unparsable, "a data line is not JSON");
      const last = s.events.at(-1)?.data?.type;
      expect(last === "done" || last === "error", "the stream did not close after a terminal event");
      const ids = s.events.map((e) => Number(e.id)).filter((n) => Number.isFinite(n));
      expect(
        ids.every((id, i) => i === 0 || id > ids[i - 1]!),
        "event ids do not increase",
      );
    },
  },
  {
    id: "STR-06",
    category: "streaming",
    name: "Stream and non-stream agree",
    async run(ctx) {
      const prompt = "What is 2 + 2? Reply with just the number.";
      const s = await streamOf(ctx, prompt);
      const r = await result(ctx, prompt);
      expect(streamText(s).includes("4"), `the streamed text ${JSON.stringify(streamText(s))} does not contain 4`);
      expect(String(r.output).includes("4"), `the output ${JSON.stringify(r.output)} does not contain 4`);
    },
  },
  ...toolEventChecks(),
];

/** Fails unless every event of `types` comes after the tool_call_start of its id; `message` names the one that does not. */
function afterStart(events: any[], types: string[], message: (e: any) => string): void {
  const started = new Set<string>();
  for (const e of events) {
    if (e.type === "tool_call_start") started.add(e.id);
    if (types.includes(e.type)) expect(started.has(e.id), message(e));
  }
}

function toolEventChecks(): Check[] {
  /** Streams every tool-forcing prompt (once per run, shared by TEV-01..04). */
  const streams = async (ctx: CheckContext) => {
    const all: StreamReply[] = [];
    for (const prompt of TOOL_PROMPTS) all.push(await streamOf(ctx, prompt));
    return all.flatMap((s) => s.events.map((e) => e.data).filter(Boolean));
  };
  const withTools = async (ctx: CheckContext): Promise<{ skipped: string } | { events: any[]; starts: any[] }> => {
    const events = await once(ctx, "tool-streams", () => streams(ctx));
    const starts = events.filter((e) => e.type === "tool_call_start");
    if (starts.length === 0) return { skipped: "no prompt led to a tool call (the harness offered no tool the model used)" };
    return { events, starts };
  };
  /** A check over the tool streams: skipped when no prompt led to a tool call, else `assert` on what they held. */
  const toolCheck = (id: string, name: string, assert: (seen: { events: any[]; starts: any[] }) => void): Check => ({
    id,
    category: "tool_events",
    name,
    async run(ctx) {
      const seen = await withTools(ctx);
      if ("skipped" in seen) return seen;
      assert(seen);
    },
  });
  return [
    toolCheck("TEV-01", "Start event is complete", (seen) => {
      for (const s of seen.starts) {
        expect(s.id !== null && s.id !== undefined, "a tool_call_start has no id");
        expect(typeof s.name === "string" && s.name.length > 0, "a tool_call_start has no name");
        expect(s.input !== null && typeof s.input === "object", "a tool_call_start has no input object");
      }
    }),
    toolCheck("TEV-02", "End matches start", (seen) =>
      afterStart(seen.events, ["tool_call_end"], (e) => `tool_call_end ${e.id} has no earlier tool_call_start`),
    ),
    toolCheck("TEV-03", "Result states the outcome", (seen) => {
      const results = seen.events.filter((e) => e.type === "tool_result");
      expect(results.length > 0, "no tool_result");
      for (const r of results) {
        expect(typeof r.success === "boolean", "a tool_result has no boolean success");
        if (r.success) expect(r.output !== undefined, "a successful tool_result has no output");
        else expect(typeof r.error === "string" && r.error.length > 0, "a failed tool_result has no error");
      }
    }),
    toolCheck("TEV-04", "Lifecycle order", (seen) =>
      afterStart(seen.events, ["tool_result", "tool_call_end"], (e) => `${e.type} ${e.id} came before its start`),
    ),
    {
      id: "TEV-05",
      category: "tool_events",
      name: "Failing tool reports an error",
      async run(ctx) {
        const s = await streamOf(ctx, "Read the file /nonexistent/path/to/xyz123.txt and tell me what it says.");
        const events = s.events.map((e) => e.data);
        const failed = events.some((e) => (e?.type === "tool_result" && e.success === false && e.error) || e?.type === "error");
        const calledTool = events.some((e) => e?.type === "tool_call_start");
        if (!calledTool) return { skipped: "the model did not try a file tool" };
        expect(failed, "reading a missing file produced neither a failed tool_result nor an error event");
        const last = events.at(-1)?.type;
        expect(last === "done" || last === "error", "the stream did not terminate normally");
      },
    },
  ];
}
