/**
 * `scripted/<name>`: a deterministic language model that replays a script of turns — text deltas,
 * thinking, tool calls, errors and delays — through the real AI SDK model interface
 * (`LanguageModelV4`), so the agent loop, event log and streams run exactly as with a real provider.
 * Used by tests, the offline demo and the conformance self-test; every run that uses it reports the
 * model id `scripted/<name>`, so it is never mistaken for a real model.
 *
 * A script picks its turn from the prompt: `turn` counts assistant messages since the last user message.
 */
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Prompt, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { sleep } from "../../lib/time.ts";
import { approxTokens } from "../../lib/tokens.ts";

/** One scripted action inside a turn. */
export type ScriptPart =
  | { text: string; delayMs?: number }
  | { thinking: string }
  | { tool: string; input: Record<string, unknown> }
  | { error: string }
  | { delayMs: number };

/** What a script sees when choosing its turn. */
export interface ScriptInput {
  prompt: LanguageModelV4Prompt;
  /** Assistant turns since the last user message (0 = first reply to the user). */
  turn: number;
  lastUserText: string;
  /** Every user message's text, oldest first. */
  userTexts: string[];
  systemText: string;
  toolNames: string[];
  /** The offered tools with their descriptions and input schemas (a `task` tool lists its subagents there). */
  toolSpecs: { name: string; description?: string; inputSchema?: unknown }[];
  /** Tool results of the previous turn, in call order. */
  lastToolResults: { toolName: string; output: unknown }[];
}

type Script = (input: ScriptInput) => ScriptPart[];

const MAX_COUNT = 2000;
const MAX_DELAY_MS = 1000;

function agentName(systemText: string): string {
  return /^#\s+(.+)$/m.exec(systemText)?.[1]?.trim() ?? "the agent";
}

function toolOutput(input: ScriptInput, name: string): unknown {
  return input.lastToolResults.find((r) => r.toolName === name)?.output;
}

/** A tool result as the scripted assistant reads it: the tool's JSON output, or the error text of a failed call. */
type AnyResult = Record<string, unknown>;

function asResult(output: unknown): AnyResult | string {
  return output && typeof output === "object" ? (output as AnyResult) : String(output ?? "");
}

function items(result: AnyResult, key: string): Record<string, unknown>[] {
  const value = result[key];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/** The scripted assistant's final answer from the tool it called (see the `assistant` script). */
function assistantAnswer(toolName: string, output: unknown): string {
  const result = asResult(output);
  if (typeof result === "string") return `I could not do that: ${result}`;
  switch (toolName) {
    case "list_harnesses": {
      const list = items(result, "harnesses").map((h) => String(h.id));
      return `You have ${list.length} harness(es): ${list.join(", ")}.`;
    }
    case "list_agents": {
      const list = items(result, "agents").map((a) => `${String(a.harness_id)}/${String(a.slug)}`);
      return list.length === 0 ? "You have no agents yet." : `You have ${list.length} agent(s): ${list.join(", ")}.`;
    }
    case "recent_executions": {
      const list = items(result, "executions").map((e) => `${String(e.id)} on ${String(e.harness_id)} (${String(e.status)})`);
      return list.length === 0 ? "There are no executions yet." : `Your ${list.length} most recent execution(s): ${list.join("; ")}.`;
    }
    case "usage_today": {
      const requests = (result.requests ?? {}) as Record<string, unknown>;
      const tokens = (result.tokens ?? {}) as Record<string, unknown>;
      return `Today (${String(result.date)}) you made ${String(requests.you)} of ${String(requests.quota_per_user)} requests; the organization used ${String(tokens.used)} of ${String(tokens.budget)} tokens.`;
    }
    case "delegate_task": {
      const who = `${String(result.harness_id)}${result.agent_id ? `/${String(result.agent_id)}` : ""}`;
      if (result.status === "completed") return `I asked ${who}. ${who} answered: ${String(result.output)}`;
      return `I asked ${who}, but its run ${String(result.execution_id)} is ${String(result.status)}${result.error ? `: ${String(result.error)}` : "."}`;
    }
    default:
      return `Done: ${JSON.stringify(result)}`;
  }
}

/**
 * The reply to "my name is X" / "what is my name?" from the conversation so far (earlier user messages
 * come from the history a session gives the run); `undefined` for any other message.
 */
function nameReply(lastUserText: string, userTexts: string[]): string | undefined {
  const said = /my name is (\w+)/i.exec(lastUserText)?.[1];
  if (said) return `Nice to meet you, ${said}.`;
  if (!/what is my name/i.test(lastUserText)) return undefined;
  const earlier = userTexts
    .slice(0, -1)
    .map((t) => /my name is (\w+)/i.exec(t)?.[1])
    .filter(Boolean)
    .at(-1);
  return earlier ? `Your name is ${earlier}.` : "I don't know your name yet.";
}

/** `a op b` with small integers, as the conformance prompts ask ("7 * 8", "2 + 2", "15 * 7"); `undefined` otherwise. */
function arithmetic(text: string): number | undefined {
  const m = /(-?\d+)\s*([+\-*/x×])\s*(-?\d+)/.exec(text);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[3])];
  switch (m[2]) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "/":
      return b === 0 ? undefined : a / b;
    default:
      return a * b;
  }
}

/** A workspace path named in a prompt (`/dir/file.txt`), without the leading slash. */
function pathIn(text: string): string | undefined {
  return /\/(?:[\w.-]+\/)*[\w.-]+\.\w+/.exec(text)?.[0];
}

/** The conformance self-test's first reply to `input`: a tool call when the prompt asks for one and the tool exists, else text. */
function conformanceTurn(input: ScriptInput): ScriptPart[] {
  const planned = conformancePlanOrDelegation(input);
  if (planned) return planned;
  const text = input.lastUserText;
  const has = (tool: string) => input.toolNames.includes(tool);
  const path = pathIn(text);
  if (/replace the word (\w+) with (\w+)/i.test(text) && path && has("edit_file")) {
    const [, from, to] = /replace the word (\w+) with (\w+)/i.exec(text)!;
    return [{ tool: "edit_file", input: { path, old_string: from!, new_string: to!, replace_all: true } }];
  }
  if (/^create the file ([\w.-]+) in the directory (\S+) containing the word (\w+)/i.test(text) && has("write_file")) {
    const [, name, dir, word] = /^create the file ([\w.-]+) in the directory (\S+) containing the word (\w+)/i.exec(text)!;
    return [{ tool: "write_file", input: { path: `${dir!.replace(/\/+$/, "")}/${name}`, content: `${word}\n` } }];
  }
  if (/\bread (the file )?/i.test(text) && path && has("read_file")) return [{ tool: "read_file", input: { path } }];
  if (/director(y|ies)|list the current/i.test(text) && has("list_files")) return [{ tool: "list_files", input: { path: "/" } }];
  if (/use a tool|what time|current environment/i.test(text) && has("current_time")) return [{ tool: "current_time", input: {} }];
  const n = arithmetic(text);
  if (n !== undefined) return [{ text: String(n) }];
  if (/pirate/i.test(input.systemText)) return [{ text: "Arr, ahoy matey! Welcome aboard the ship." }];
  if (/python/i.test(input.systemText) && /hello world/i.test(text)) return [{ text: 'In Python: print("Hello, world!")' }];
  if (/count from 1 to (\d+)/i.test(text)) {
    const to = Math.min(Number(/count from 1 to (\d+)/i.exec(text)![1]), 100);
    return [{ text: Array.from({ length: to }, (_, i) => i + 1).join(", ") }];
  }
  const name = nameReply(text.replace(/^remember this:\s*/i, ""), input.userTexts);
  if (name) return [{ text: /remember/i.test(text) ? `I will remember that. ${name}` : name }];
  if (/^\/(\S+)/.test(text)) return [{ text: `There is no skill named ${/^\/(\S+)/.exec(text)![1]} here; I have no such skill.` }];
  if (/skills/i.test(text)) return [{ text: "I have no skills loaded right now." }];
  if (/acknowledge/i.test(text)) return [{ text: "Acknowledged." }];
  if (/shell|execute '|echo/i.test(text)) return [{ text: "I cannot run shell commands here; the answer would be: hello." }];
  if (/sea/i.test(text)) return [{ text: "The sea covers most of our planet." }];
  return [{ text: "Hello! How can I help you today?" }];
}

/** The conformance self-test's answer once its tool has answered. */
function conformanceAfterTool(input: ScriptInput): ScriptPart[] {
  const last = input.lastToolResults[0];
  const result = asResult(last?.output);
  if (typeof result === "string") return [{ text: `That did not work: ${result}. The file does not exist or cannot be read.` }];
  switch (last?.toolName) {
    case "read_file":
      return [{ text: `The file says: ${String(result.content ?? "")}` }];
    case "list_files":
      return [
        {
          text: `The directory holds: ${
            items(result, "entries")
              .map((e) => String(e.name ?? e.path))
              .join(", ") || "nothing"
          }.`,
        },
      ];
    case "current_time": {
      const n = arithmetic(input.lastUserText);
      return [{ text: `${n !== undefined ? `${n}. ` : ""}It is ${String(result.iso)} (UTC).` }];
    }
    case "write_todos":
      return [
        {
          text: `The plan: ${items(result, "todos")
            .map((t) => `${String(t.content)} (${String(t.status)})`)
            .join(", ")}.`,
        },
      ];
    case "task":
      return [{ text: `${String(result.subagent)} answered: ${String(result.output)}` }];
    default:
      return [{ text: "Done." }];
  }
}

/**
 * The conformance self-test's plan or delegation, when the prompt asks for one and the tool is there:
 * quoted todos ("…") for `write_todos` (the first completed when asked to mark it so; "a N-step plan"
 * without quotes: N steps, all done), "delegate to / use the <name> subagent to <task>" for `task`.
 */
function conformancePlanOrDelegation(input: ScriptInput): ScriptPart[] | undefined {
  const text = input.lastUserText;
  if (input.toolNames.includes("write_todos") && /\b(todos?|plan|planning)\b/i.test(text)) {
    const quoted = [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const steps = Number(/\b(\d+)-step plan\b/i.exec(text)?.[1] ?? 0);
    const contents = quoted.length > 0 ? quoted : Array.from({ length: Math.min(steps, 10) }, (_, i) => `Step ${i + 1}`);
    if (contents.length > 0) {
      const firstDone = /mark the first (one |todo |task )?(as )?(completed|done)/i.test(text);
      const allDone = quoted.length === 0;
      const todos = contents.map((content, i) => ({ content, status: allDone || (firstDone && i === 0) ? "completed" : "pending" }));
      return [{ tool: "write_todos", input: { todos } }];
    }
  }
  const delegate = /\b(?:delegate to|use|ask) the ([\p{L}\p{N}_.-]+) subagent to ([\s\S]+)/iu.exec(text);
  if (delegate && input.toolNames.includes("task")) return [{ tool: "task", input: { subagent: delegate[1]!, task: delegate[2]!.trim() } }];
  return undefined;
}

/** The value of memory block `label` as the system prompt shows it (`<block label="…" …>value</block>`). */
function memoryBlockValue(systemText: string, label: string): string | undefined {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`<block label="${escaped}"[^>]*>\\n([\\s\\S]*?)\\n</block>`).exec(systemText)?.[1];
}

/** One step of the demo script: a tool it calls when it has the tool, and how it reports it. */
interface DemoAction {
  label: string;
  tool: string;
  say?: (name: string) => string;
  input: (input: ScriptInput, name: string) => Record<string, unknown>;
  /** What it did, for the final answer ("" to leave it out). */
  did: (input: ScriptInput) => string;
}

/** The output of the latest call of tool `name` since the last user message (any earlier step). */
function earlierToolOutput(input: ScriptInput, name: string): unknown {
  let lastUser = -1;
  input.prompt.forEach((m, i) => {
    if (m.role === "user") lastUser = i;
  });
  for (const message of input.prompt.slice(lastUser + 1).reverse()) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type === "tool-result" && part.toolName === name) return (part.output as { value?: unknown }).value ?? part.output;
    }
  }
  return undefined;
}

/** The demo's steps, as far as its tools allow (see the `demo` script). */
function demoActions(input: ScriptInput): DemoAction[] {
  const has = (tool: string) => input.toolNames.includes(tool);
  const time = () => (earlierToolOutput(input, "current_time") as { iso?: string } | undefined)?.iso ?? "now";
  const block = /<block label="([^"]+)"(?![^>]*read_only)[^>]*>/.exec(input.systemText)?.[1];
  const subagents = (
    input.toolSpecs.find((t) => t.name === "task")?.inputSchema as { properties?: { subagent?: { enum?: string[] } } } | undefined
  )?.properties?.subagent?.enum;
  const subagent = subagents?.[0];
  const actions: DemoAction[] = [];
  if (has("current_time")) {
    actions.push({
      label: "Check the time",
      tool: "current_time",
      say: (name) => `As ${name}, I'll start by checking the time.`,
      input: () => ({}),
      did: () => "noted the time",
    });
  }
  if (has("memory_block_append") && block) {
    actions.push({
      label: "Keep a note in memory",
      tool: "memory_block_append",
      say: () => " Noting this in my memory.",
      input: () => ({ label: block, text: `${time()}: asked "${input.lastUserText.slice(0, 200)}"` }),
      did: () => `kept a note in my memory block "${block}"`,
    });
  }
  if (has("task") && subagent) {
    actions.push({
      label: `Ask ${subagent} for help`,
      tool: "task",
      say: () => ` Asking ${subagent} for help.`,
      input: () => ({
        subagent,
        task: `Please use current_time and give me one short, encouraging sentence for someone who asked: ${input.lastUserText.slice(0, 500)}`,
      }),
      did: () => {
        const answer = earlierToolOutput(input, "task");
        return answer && typeof answer === "object"
          ? `asked ${subagent}, who said: "${String((answer as { output?: unknown }).output).trim()}"`
          : `asked ${subagent} (no answer)`;
      },
    });
  }
  if (has("write_file")) {
    actions.push({
      label: "Draft the answer into the workspace",
      tool: "write_file",
      say: () => " Now drafting the answer.",
      input: (_, name) => ({
        path: "demo/answer.md",
        content: `# ${name}\n\nTask: ${input.lastUserText}\n\nDrafted at ${time()} by the scripted demo model.\n`,
      }),
      did: () => "saved a draft to demo/answer.md in the workspace",
    });
  }
  return actions;
}

/**
 * The tool calls a message asks for: every "call <tool>" or "call <tool> with <JSON object>", in order
 * (`input` undefined when the JSON does not parse).
 */
function toolCallsIn(text: string): { tool: string; input: Record<string, unknown> | undefined }[] {
  const found: { tool: string; input: Record<string, unknown> | undefined }[] = [];
  const pattern = /\bcall ([A-Za-z0-9_-]+)( with \{)?/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (!match[2]) {
      found.push({ tool: match[1]!, input: {} });
      continue;
    }
    const start = match.index + match[0].length - 1;
    let depth = 0;
    let end = -1;
    for (let i = start; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    let input: Record<string, unknown> | undefined;
    try {
      input = end > 0 ? (JSON.parse(text.slice(start, end)) as Record<string, unknown>) : undefined;
    } catch {
      input = undefined;
    }
    found.push({ tool: match[1]!, input });
    if (end > 0) pattern.lastIndex = end;
  }
  return found;
}

/** The skills listed in a system prompt's "## Skills" section (`- name: description` lines). */
function listedSkills(systemText: string): string[] {
  // The last such section: an agent's own instructions may have a "## Skills" heading of their own.
  const parts = systemText.split(/^## Skills$/m);
  const section = parts.length > 1 ? parts.at(-1)! : "";
  return [...section.matchAll(/^- ([a-z0-9-]+): /gm)].map((m) => m[1]!);
}

/**
 * The skill script: picks the listed skill the user names (else the first listed), loads it with
 * `load_skill`, then answers from what it read — so a test or the demo can show the body reaching the
 * model only after the tool call.
 */
function skillsScript(input: ScriptInput): ScriptPart[] {
  const listed = listedSkills(input.systemText);
  if (input.turn === 0) {
    if (listed.length === 0) return [{ text: "No skills are enabled for this run." }];
    const named = listed.find((name) => input.lastUserText.includes(name)) ?? listed[0]!;
    return [
      { text: `I have ${listed.length} skill(s): ${listed.join(", ")}. Loading ${named}.` },
      { tool: "load_skill", input: { name: named } },
    ];
  }
  const loaded = toolOutput(input, "load_skill");
  if (!loaded || typeof loaded !== "object") return [{ text: `The skill could not be loaded: ${String(loaded)}` }];
  const skill = loaded as { name?: string; version?: string; instructions?: string; files?: string[] };
  const firstLine = (skill.instructions ?? "").split("\n").find((l) => l.trim() !== "") ?? "";
  return [
    {
      text: `Loaded skill ${String(skill.name)} ${String(skill.version)}; its instructions begin: "${firstLine.trim().slice(0, 160)}" (${(skill.files ?? []).length} more file(s)). Following it for: ${input.lastUserText}`,
    },
  ];
}

/** The built-in scripts. */
const SCRIPTS: Record<string, Script> = {
  /** Loads the skill the user names (else the first listed) with load_skill, then answers from it. */
  skills: skillsScript,

  /** Replies with the user's message. */
  echo: ({ lastUserText }) => [{ text: `Echo: ${lastUserText}` }],

  /** Lists what it was given: the user messages of the whole conversation. */
  history: ({ userTexts }) => [{ text: `I have seen ${userTexts.length} user message(s): ${userTexts.join(" | ")}` }],

  /** Thinks, then answers. */
  think: ({ lastUserText }) => [
    { thinking: `The user asked: ${lastUserText}. A short answer will do.` },
    { text: "Here is my considered answer." },
  ],

  /** Counts to N (`count to N`, default 20) with an optional pause (`every Mms`) between numbers. */
  count: ({ lastUserText }) => {
    const n = Math.min(Number(/count to (\d+)/i.exec(lastUserText)?.[1] ?? 20), MAX_COUNT);
    const delayMs = Math.min(Number(/every (\d+)\s*ms/i.exec(lastUserText)?.[1] ?? 0), MAX_DELAY_MS);
    return Array.from({ length: n }, (_, i) => ({ text: i === 0 ? "1" : ` ${i + 1}`, delayMs }));
  },

  /** Starts answering, then the provider stream fails. */
  fail: () => [{ text: "Starting the task" }, { error: "scripted provider failure" }],

  /** Exercises the workspace tools: current_time, write, read, a failing read, then a summary. */
  tools: (input) => {
    switch (input.turn) {
      case 0:
        return [{ text: "Checking the time." }, { tool: "current_time", input: {} }];
      case 1:
        return [{ tool: "write_file", input: { path: "notes/hello.txt", content: "hello from the scripted model\n" } }];
      case 2:
        return [{ tool: "read_file", input: { path: "notes/hello.txt" } }];
      case 3:
        return [{ tool: "read_file", input: { path: "notes/missing.txt" } }];
      default:
        return [{ text: "Done: wrote and read notes/hello.txt; notes/missing.txt does not exist." }];
    }
  },

  /**
   * Writes a file, edits it, then pauses before answering — a window in which a test can evict the
   * run's object and check that the resumed run does not repeat the finished tool calls.
   */
  resumable: (input) => {
    switch (input.turn) {
      case 0:
        return [{ tool: "write_file", input: { path: "state.txt", content: "v1" } }];
      case 1:
        return [{ tool: "edit_file", input: { path: "state.txt", old_string: "v1", new_string: "v2" } }];
      default:
        return [{ delayMs: 400 }, { text: "Finished after the pause." }];
    }
  },

  /** Writes notes/hello.txt once, then says what came back (hook tests and the demo's denied call). */
  write: (input) => {
    if (input.turn === 0) return [{ tool: "write_file", input: { path: "notes/hello.txt", content: "hello from the scripted model\n" } }];
    return [{ text: `write_file answered: ${JSON.stringify(input.lastToolResults[0]?.output ?? null)}` }];
  },

  /** Remembers a name across turns from the history it is given ("my name is X" … "what is my name?"). */
  recall: ({ lastUserText, userTexts }) => [{ text: nameReply(lastUserText, userTexts) ?? `Echo: ${lastUserText}` }],

  /** Asks the person a question (ask_user), then reports the answer — or that none came. */
  ask: (input) => {
    if (input.turn === 0) return [{ tool: "ask_user", input: { prompt: "Do you want to continue? [y/n]" } }];
    const answer = (toolOutput(input, "ask_user") as { answer?: string } | undefined)?.answer;
    return [{ text: answer === undefined ? "No answer arrived." : `You answered: ${answer.trim()}` }];
  },

  /**
   * The assistant, deterministically: picks one tool from the user's message, then answers from its
   * result. "ask <harness>[/<agent>] to <task>" → delegate_task; "…agents…" → list_agents;
   * "…harnesses…" → list_harnesses; "…executions/runs…" → recent_executions; "…usage/tokens/quota…" →
   * usage_today; otherwise no tool (it remembers "my name is X" across turns, from the history).
   */
  assistant: ({ turn, lastUserText, userTexts, lastToolResults }) => {
    if (turn > 0) {
      const last = lastToolResults[0];
      return [{ text: last ? assistantAnswer(last.toolName, last.output) : "Done." }];
    }
    const ask = /\bask\s+([a-z0-9][a-z0-9_-]*)(?:\/([\w.-]+))?\s+to\s+([\s\S]+)/i.exec(lastUserText);
    if (ask) {
      return [{ tool: "delegate_task", input: { harness_id: ask[1]!, ...(ask[2] ? { agent_id: ask[2] } : {}), task: ask[3]!.trim() } }];
    }
    if (/\bagents?\b/i.test(lastUserText)) return [{ tool: "list_agents", input: {} }];
    if (/\bharness(es)?\b/i.test(lastUserText)) return [{ tool: "list_harnesses", input: {} }];
    if (/\b(executions?|runs?)\b/i.test(lastUserText)) return [{ tool: "recent_executions", input: {} }];
    if (/\b(usage|tokens?|quota|budget|limits?)\b/i.test(lastUserText)) return [{ tool: "usage_today", input: {} }];
    return [
      {
        text:
          nameReply(lastUserText, userTexts) ??
          'I am the EdgeHarness assistant (scripted). Ask me about your harnesses, agents, executions or usage, or say "ask <harness> to <task>".',
      },
    ];
  },

  /**
   * Keeps memory (the `memory` tools): "remember [in <label>:] <fact>" appends the fact to block `label`
   * (default `human`), saves it to the archive, searches the archive for it, then answers with what the
   * block holds now — read from the system prompt, which is re-rendered before every step. A refused
   * append (read-only, over the limit) is reported and nothing else is tried.
   */
  memory: ({ turn, lastUserText, systemText, lastToolResults }) => {
    const said = /remember(?:\s+in\s+([a-z0-9_-]+):)?\s+(?:that\s+)?([\s\S]+)/i.exec(lastUserText);
    if (!said) return [{ text: 'Say "remember [in <label>:] <fact>" and I will keep it.' }];
    const label = said[1] ?? "human";
    const fact = said[2]!.trim();
    const failed = lastToolResults.find((r) => typeof r.output === "string");
    if (failed) return [{ text: `I could not remember that: ${String(failed.output)}` }];
    switch (turn) {
      case 0:
        return [{ tool: "memory_block_append", input: { label, text: fact } }];
      case 1:
        return [{ tool: "memory_archive_insert", input: { content: fact, tags: ["remembered"] } }];
      case 2:
        return [{ tool: "memory_archive_search", input: { query: fact, limit: 3 } }];
      default: {
        const search = lastToolResults.find((r) => r.toolName === "memory_archive_search")?.output as { count?: number } | undefined;
        const hits = search?.count ?? 0;
        return [
          {
            text: `Remembered. Block ${label} now reads: ${memoryBlockValue(systemText, label) ?? "(not shown)"} — archive search found ${hits} hit(s).`,
          },
        ];
      }
    }
  },

  /**
   * Works through a plan with `write_todos`: "plan: a; b; c" (default: Research topic; Write draft;
   * Review and edit) writes the list with the first task in progress, then completes one task per step,
   * then answers. "slowly" pauses 300 ms before each step (a window to evict the run in).
   */
  planner: ({ turn, lastUserText }) => {
    const listed = /plan:\s*([^\n]+)/i.exec(lastUserText)?.[1];
    const tasks = (listed ? listed.split(";") : ["Research topic", "Write draft", "Review and edit"]).map((t) => t.trim()).filter(Boolean);
    const pause: ScriptPart[] = /\bslowly\b/i.test(lastUserText) ? [{ delayMs: 300 }] : [];
    if (turn > tasks.length) return [...pause, { text: `Plan done: ${tasks.length} of ${tasks.length} tasks completed.` }];
    const todos = tasks.map((content, i) => ({ content, status: i < turn ? "completed" : i === turn ? "in_progress" : "pending" }));
    return [
      ...pause,
      { text: turn === 0 ? "Planning the work." : `Finished: ${tasks[turn - 1]}.` },
      { tool: "write_todos", input: { todos } },
    ];
  },

  /**
   * Delegates to a subagent (the `task` tool): "ask [the] <name> [subagent] to <task>" hands <task> to
   * subagent <name>, then answers with what it said — or why it could not.
   */
  delegator: ({ turn, lastUserText, lastToolResults }) => {
    if (turn > 0) {
      const result = asResult(lastToolResults[0]?.output);
      if (typeof result === "string") return [{ text: `The subagent could not do it: ${result}` }];
      return [{ text: `${String(result.subagent)} answered: ${String(result.output)}` }];
    }
    const ask = /\b(?:ask|use|delegate to)\s+(?:the\s+)?([\p{L}\p{N}_.-]+)(?:\s+subagent)?\s+to\s+([\s\S]+)/iu.exec(lastUserText);
    if (!ask) return [{ text: 'Say "ask <subagent> to <task>" and I will delegate it.' }];
    return [{ tool: "task", input: { subagent: ask[1]!, task: ask[2]!.trim() } }];
  },

  /**
   * Calls the tool the message names — "call <tool> with <JSON object>" (several such phrases: one
   * call each, in order, one per turn) — then reports each result: `<tool> answered: <output>` or
   * `<tool> failed: <error>`. For tests and the demo of MCP and custom tools.
   */
  call: (input) => {
    const calls = toolCallsIn(input.lastUserText);
    const next = calls[input.turn];
    const previous = input.lastToolResults[0];
    const report = previous
      ? [{ text: `${previous.toolName} answered: ${JSON.stringify(previous.output).slice(0, 300)}${next ? " " : ""}` }]
      : [];
    if (!next) return report.length ? report : [{ text: "Nothing to call: say call <tool> with <JSON>." }];
    if (!next.input) return [...report, { text: `The input for ${next.tool} is not a JSON object.` }];
    return [...report, { tool: next.tool, input: next.input }];
  },

  /**
   * The conformance self-test (`npm run conformance`): answers the checklist's prompts the way a
   * capable model would — arithmetic, a pirate persona, remembered names, counting — and uses the
   * workspace and time tools when a prompt asks for them. Always reported as `scripted/conformance`.
   */
  conformance: (input) => (input.turn === 0 ? conformanceTurn(input) : conformanceAfterTool(input)),

  /**
   * The demo's subagent: checks the time when it has `current_time`, then answers in one encouraging
   * sentence that names the day.
   */
  researcher: ({ turn, toolNames, lastToolResults }) => {
    if (turn === 0 && toolNames.includes("current_time")) return [{ tool: "current_time", input: {} }];
    const iso = (lastToolResults.find((r) => r.toolName === "current_time")?.output as { iso?: string } | undefined)?.iso;
    const day = iso
      ? new Date(iso).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
      : "Today";
    return [{ text: `${day} is a good day to show what you have prepared: you are ready.` }];
  },

  /**
   * The offline demo: works through whichever of these its tools allow, one per step — check the time
   * (`current_time`), keep a note in its first writable memory block (`memory_block_append`), ask its first
   * subagent for help (`task`), draft the answer into the workspace (`write_file`) — keeping a plan of
   * them with `write_todos` when it has it (one task in progress at a time, all completed before it
   * answers), then answers with what it did.
   */
  demo: (input) => {
    const name = agentName(input.systemText);
    const actions = demoActions(input);
    const planned = input.toolNames.includes("write_todos");
    const plan = (done: number): ScriptPart[] =>
      planned
        ? [
            {
              tool: "write_todos",
              input: {
                todos: actions.map((a, i) => ({
                  content: a.label,
                  status: i < done ? "completed" : i === done ? "in_progress" : "pending",
                })),
              },
            },
          ]
        : [];
    if (input.turn < actions.length) {
      const action = actions[input.turn]!;
      return [
        ...(input.turn === 0
          ? [{ thinking: `I am ${name}. Plan: ${actions.map((a) => a.label.toLowerCase()).join(", ")}, then reply.` }]
          : []),
        ...(action.say ? [{ text: action.say(name), delayMs: 20 }] : []),
        ...plan(input.turn),
        { tool: action.tool, input: action.input(input, name) },
      ];
    }
    if (planned && actions.length > 0 && input.turn === actions.length) return plan(actions.length);
    const did = actions.map((a) => a.did(input)).filter(Boolean);
    const summary = did.length > 1 ? `${did.slice(0, -1).join(", ")}, and ${did.at(-1)}` : (did[0] ?? "answered directly");
    return [
      {
        text: ` Here is my answer to "${input.lastUserText}": I followed ${name}'s instructions, ${summary}. (This reply comes from the scripted demo model; set ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL to use a real one.)`,
        delayMs: 15,
      },
    ];
  },
};

/** Names of the built-in scripts (`scripted/<name>`). */
export const SCRIPT_NAMES = Object.keys(SCRIPTS);

/** True when `name` is a built-in script. */
export function hasScript(name: string): boolean {
  return Object.hasOwn(SCRIPTS, name);
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p: { type?: string; text?: string }) => (p.type === "text" ? (p.text ?? "") : "")).join("");
}

/** Builds what a script sees from the SDK prompt. */
export function scriptInput(options: LanguageModelV4CallOptions): ScriptInput {
  const prompt = options.prompt;
  let lastUser = -1;
  prompt.forEach((m, i) => {
    if (m.role === "user") lastUser = i;
  });
  const after = prompt.slice(lastUser + 1);
  const lastTool = [...prompt].reverse().find((m) => m.role === "tool");
  const lastToolResults =
    lastTool && prompt.indexOf(lastTool) > lastUser
      ? lastTool.content.flatMap((p) =>
          p.type === "tool-result" ? [{ toolName: p.toolName, output: (p.output as { value?: unknown }).value ?? p.output }] : [],
        )
      : [];
  return {
    prompt,
    turn: after.filter((m) => m.role === "assistant").length,
    lastUserText: lastUser >= 0 ? textOf(prompt[lastUser]!.content) : "",
    userTexts: prompt.filter((m) => m.role === "user").map((m) => textOf(m.content)),
    systemText: prompt
      .filter((m) => m.role === "system")
      .map((m) => m.content)
      .join("\n"),
    toolNames: (options.tools ?? []).map((t) => t.name),
    toolSpecs: (options.tools ?? []).map((t) => ({
      name: t.name,
      ...(t.type === "function" ? { description: t.description, inputSchema: t.inputSchema } : {}),
    })),
    lastToolResults,
  };
}

function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}

/** A `LanguageModelV4` replaying the built-in script `name`. Throws if there is no such script. */
export function createScriptedModel(name: string): LanguageModelV4 {
  const script = SCRIPTS[name];
  if (!script) throw new Error(`no scripted model named ${name}`);
  const model: LanguageModelV4 = {
    specificationVersion: "v4",
    provider: "scripted",
    modelId: name,
    supportedUrls: {},
    async doStream(options) {
      const input = scriptInput(options);
      const parts = script(input);
      const promptChars = JSON.stringify(options.prompt).length;
      const signal = options.abortSignal;
      let outputChars = 0;
      let callIndex = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          try {
            controller.enqueue({ type: "stream-start", warnings: [] });
            let textOpen = false;
            for (const part of parts) {
              if ("delayMs" in part && !("text" in part)) {
                await sleep(part.delayMs, signal);
              } else if ("text" in part) {
                if (!textOpen) controller.enqueue({ type: "text-start", id: "t0" });
                textOpen = true;
                for (const word of words(part.text)) {
                  if (part.delayMs) await sleep(part.delayMs, signal);
                  outputChars += word.length;
                  controller.enqueue({ type: "text-delta", id: "t0", delta: word });
                }
              } else if ("thinking" in part) {
                controller.enqueue({ type: "reasoning-start", id: "r0" });
                for (const word of words(part.thinking)) controller.enqueue({ type: "reasoning-delta", id: "r0", delta: word });
                controller.enqueue({ type: "reasoning-end", id: "r0" });
              } else if ("tool" in part) {
                const id = `call_${input.turn}_${callIndex++}`;
                const json = JSON.stringify(part.input);
                outputChars += json.length;
                controller.enqueue({ type: "tool-input-start", id, toolName: part.tool });
                const half = Math.ceil(json.length / 2);
                for (const chunk of [json.slice(0, half), json.slice(half)].filter(Boolean)) {
                  controller.enqueue({ type: "tool-input-delta", id, delta: chunk });
                }
                controller.enqueue({ type: "tool-input-end", id });
                controller.enqueue({ type: "tool-call", toolCallId: id, toolName: part.tool, input: json });
              } else if ("error" in part) {
                controller.enqueue({ type: "error", error: new Error(part.error) });
                controller.close();
                return;
              }
            }
            if (textOpen) controller.enqueue({ type: "text-end", id: "t0" });
            const calledTools = parts.some((p) => "tool" in p);
            controller.enqueue({
              type: "finish",
              finishReason: { unified: calledTools ? "tool-calls" : "stop", raw: calledTools ? "tool_calls" : "stop" },
              usage: {
                inputTokens: { total: approxTokens(promptChars), noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
                outputTokens: { total: approxTokens(outputChars), text: undefined, reasoning: undefined },
              },
            });
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream };
    },
    async doGenerate() {
      throw new Error("the scripted model only streams");
    },
  };
  return model;
}
