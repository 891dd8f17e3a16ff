/**
 * `npm run demo`: the end-to-end demo on real input.
 *
 * 1. Picks the model (a provider key from the environment, else the offline scripted model) and says why.
 * 2. Uses the server at `EDGEHARNESS_URL` (default http://127.0.0.1:8787) with the saved local key, or
 *    — when none answers there — prepares the local database and starts `wrangler dev` itself.
 * 3. Registers the native harness `demo` (with planning, memory and subagents), imports every Open Agent
 *    Format sample package from `../shared/fixtures/oaf-samples/`, gives the Daily Affirmation agent a
 *    memory block and a `researcher` subagent, and runs it on a real task, rendering the event stream live
 *    (reconnecting with `Last-Event-ID` if the stream drops) and the agent's plan as it changes (from the
 *    plan stream).
 * 4. Prints the execution result, the plan, the memory block and the subagent's task.
 * 5. Webhooks and hooks: before the run it starts a local receiver and registers a webhook for
 *    `execution.completed` to it; after the run it prints the delivery with both signatures verified
 *    (the `standardwebhooks` library and `X-OpenHarness-Signature`). Then it registers a blocking
 *    `pre_tool` hook (answered by the same receiver) that denies `write_file`, runs the scripted `write`
 *    model once and shows the denied call; the hook and the webhook are removed again.
 * 6. Starts a local MCP server (the official SDK, Streamable HTTP, on a free loopback port), connects it
 *    to the harness (`mcp.connect`), and runs an agent that calls one of its tools — printing
 *    `MCP OK <execution id>` when the tool call succeeded.
 * 7. Runs the imported Recipe Finder agent, whose package brought the skill `dietary-preferences`: its
 *    system prompt lists the skill, the model loads it with `load_skill` (offline: the scripted model
 *    `scripted/skills`) and answers from it; the demo says so.
 * Exit code 0 only when all of that worked; the last line is then `DEMO OK <execution id>` (the Daily
 * Affirmation run).
 *
 * Flags: `--quiet` (no live rendering; for CI). Environment: `EDGEHARNESS_URL`, `EDGEHARNESS_API_KEY`
 * (default: the key in `.local/dev-credentials.json`), `EDGEHARNESS_DEMO_MODEL`, and the provider
 * variables (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_MODEL`, …).
 */
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { readdir, readFile } from "node:fs/promises";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { join } from "node:path";
import {
  applyMigrations,
  CREDENTIALS_FILE,
  DEFAULT_PORT,
  type DevServer,
  ensureDevVars,
  envValue,
  isServerUp,
  readLocalCredentials,
  REPO_ROOT,
  repoPath,
  seedLocalOrg,
  startDevServer,
  stopOnSignals,
  tailFile,
} from "./lib/dev-server.ts";

const HARNESS = "demo";
const FIXTURES_DIR = join(REPO_ROOT, "..", "shared", "fixtures", "oaf-samples");
const DEMO_AGENT_KEY = "daily-affirmation";
const DEMO_TASK = "I have a job interview tomorrow and I feel anxious. Give me three short affirmations.";
/** What the demo harness's agents can use: the defaults plus a plan, memory and subagents. */
const DEMO_CAPABILITY_REFS = ["current_time", "workspace_files", "planning", "memory", "subagents"].map((ref) => ({ ref }));
/** The memory block the demo agent keeps (reset at every demo run, so the output is the same each time). */
const DEMO_BLOCK = { label: "human", value: "The person I help is preparing for something that matters to them." };
/** The subagent the demo agent delegates one step to. */
const DEMO_SUBAGENT = {
  name: "researcher",
  description: "Looks up a fact (such as today's date) and answers in one sentence.",
  system_prompt: "# Researcher\n\nYou look up what you are asked with your tools and answer in one short sentence.",
  tools: ["current_time"],
};
/** The agent whose package brought a skill, and the task that needs it. */
const SKILL_AGENT_KEY = "recipe-finder";
const SKILL_NAME = "dietary-preferences";
const SKILL_TASK = `I'm vegan. Use your ${SKILL_NAME} skill: what can replace eggs and butter in a cake?`;
const MAX_RECONNECTS = 3;
/** A stream silent for this long (not even a keep-alive comment) counts as dropped. */
const STREAM_IDLE_MS = 60_000;

const quiet = process.argv.includes("--quiet");
const tty = process.stdout.isTTY === true;
const ansi = (open: number, close: number) => (s: string) => (tty ? `\x1b[${open}m${s}\x1b[${close}m` : s);
const dim = ansi(2, 22);
const bold = ansi(1, 22);
const red = ansi(31, 39);
const green = ansi(32, 39);
const cyan = ansi(36, 39);

/** Thrown for a failed step; `message` is what the user sees. */
class DemoError extends Error {}

// ---------------------------------------------------------------------------------------------------
// model choice

/** The model the demo runs and the reason, in words. */
interface ModelChoice {
  model: string;
  reason: string;
  scripted: boolean;
}

/**
 * Chooses the demo model: `EDGEHARNESS_DEMO_MODEL`; else `ANTHROPIC_API_KEY` → `anthropic/claude-haiku-4-5`;
 * else `OPENAI_API_KEY` without `OPENAI_BASE_URL` → `openai/gpt-4.1-mini`; else `OPENAI_BASE_URL` →
 * `openai-compatible/${OPENAI_MODEL ?? "llama3.2"}`; else the deterministic offline `scripted/demo`.
 */
function chooseModel(): ModelChoice {
  const explicit = envValue("EDGEHARNESS_DEMO_MODEL");
  if (explicit) return { model: explicit, reason: "EDGEHARNESS_DEMO_MODEL is set", scripted: explicit.startsWith("scripted/") };
  if (envValue("ANTHROPIC_API_KEY")) return { model: "anthropic/claude-haiku-4-5", reason: "ANTHROPIC_API_KEY is set", scripted: false };
  const openaiBaseUrl = envValue("OPENAI_BASE_URL");
  if (envValue("OPENAI_API_KEY") && !openaiBaseUrl)
    return { model: "openai/gpt-4.1-mini", reason: "OPENAI_API_KEY is set", scripted: false };
  if (openaiBaseUrl) {
    const model = `openai-compatible/${envValue("OPENAI_MODEL") ?? "llama3.2"}`;
    return {
      model,
      reason: `OPENAI_BASE_URL is set (${openaiBaseUrl}${envValue("OPENAI_MODEL") ? ", model from OPENAI_MODEL" : "; set OPENAI_MODEL to pick another model"})`,
      scripted: false,
    };
  }
  return {
    model: "scripted/demo",
    reason:
      "no provider key was found (ANTHROPIC_API_KEY, OPENAI_API_KEY and OPENAI_BASE_URL are unset), so the deterministic scripted model is used — offline, with canned replies, not a real AI",
    scripted: true,
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP

interface Api {
  baseUrl: string;
  token: string;
}

interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Problem details as the API returns them (RFC 9457 + `code`). */
interface Problem {
  code?: string;
  title?: string;
  detail?: string;
}

function describeProblem(status: number, body: unknown): string {
  const problem = (typeof body === "object" && body !== null ? body : {}) as Problem;
  return `HTTP ${status}${problem.code ? ` ${problem.code}` : ""}${problem.detail ? `: ${problem.detail}` : typeof body === "string" && body ? `: ${body.slice(0, 200)}` : ""}`;
}

async function request<T>(api: Api, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${api.token}`, accept: "application/json" };
  let payload: FormData | string | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${api.baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

// ---------------------------------------------------------------------------------------------------
// steps

async function registerHarness(api: Api, model: string): Promise<void> {
  const created = await request<{ harness?: { id: string } }>(api, "POST", "/v1/harnesses", {
    id: HARNESS,
    name: "Demo Harness",
    vendor: "EdgeHarness",
    description: "Runs the Open Agent Format sample packages",
    execution_type: "hosted",
    config: {},
    system_prompt: "You are running inside the EdgeHarness demo.",
    default_model_id: model,
    capability_refs: DEMO_CAPABILITY_REFS,
  });
  if (created.status === 201) {
    console.log(`Registered harness "${HARNESS}".`);
    return;
  }
  if (created.status === 409 && (created.body as Problem)?.code === "harness_exists") {
    const updated = await request(api, "PATCH", `/v1/harnesses/${HARNESS}`, {
      default_model_id: model,
      capability_refs: DEMO_CAPABILITY_REFS,
    });
    if (updated.status !== 200)
      throw new DemoError(`Updating harness "${HARNESS}" failed: ${describeProblem(updated.status, updated.body)}`);
    console.log(`Harness "${HARNESS}" already exists: reusing it (default model set to ${model}).`);
    return;
  }
  throw new DemoError(`Registering harness "${HARNESS}" failed: ${describeProblem(created.status, created.body)}`);
}

/** An agent as the import endpoint returns it (the fields the demo reads). */
interface ImportedAgent {
  id: string;
  name: string;
  vendorKey: string;
  agentKey: string;
  skills?: unknown[];
  mcp_servers?: unknown[];
  warnings?: unknown[];
}

interface ImportResponse {
  agent?: ImportedAgent;
  agents?: ImportedAgent[];
  warnings?: unknown[];
}

async function importSamples(api: Api): Promise<ImportedAgent[]> {
  const zips = (
    await readdir(FIXTURES_DIR).catch(() => {
      throw new DemoError(`The sample packages are missing: ${FIXTURES_DIR} does not exist.`);
    })
  )
    .filter((name) => name.endsWith(".zip"))
    .sort();
  if (zips.length === 0) throw new DemoError(`No .zip packages in ${FIXTURES_DIR}.`);
  console.log(`Importing ${zips.length} Open Agent Format package(s) from ${FIXTURES_DIR}:`);
  const imported: ImportedAgent[] = [];
  for (const zip of zips) {
    const form = new FormData();
    form.append("bundle", new File([await readFile(join(FIXTURES_DIR, zip))], zip, { type: "application/zip" }));
    form.append("merge_strategy", "overwrite");
    const response = await request<ImportResponse>(api, "POST", `/v1/harnesses/${HARNESS}/agents/import`, form);
    if (response.status !== 201) throw new DemoError(`Importing ${zip} failed: ${describeProblem(response.status, response.body)}`);
    const agents = response.body.agents ?? (response.body.agent ? [response.body.agent] : []);
    const packageWarnings = response.body.warnings ?? [];
    for (const agent of agents) {
      const warnings = Array.isArray(agent.warnings) ? agent.warnings : packageWarnings;
      console.log(
        `  ${green("✓")} ${agent.name.padEnd(26)} ${dim(`${agent.vendorKey}/${agent.agentKey}`)}  skills: ${agent.skills?.length ?? 0}  MCP servers: ${agent.mcp_servers?.length ?? 0}  warnings: ${warnings.length}  ${dim(`(${zip})`)}`,
      );
      if (!quiet) for (const w of warnings.slice(0, 5)) console.log(dim(`      ⚠ ${typeof w === "string" ? w : JSON.stringify(w)}`));
    }
    imported.push(...agents);
  }
  return imported;
}

/**
 * Gives the agent its memory block (created, or reset to its first value) and its subagent (created,
 * or reused), and says so.
 */
async function prepareAgent(api: Api, agentId: string, choice: ModelChoice): Promise<void> {
  const base = `/v1/harnesses/${HARNESS}/agents/${agentId}`;
  const created = await request<Problem>(api, "POST", `${base}/memory/blocks`, DEMO_BLOCK);
  if (created.status === 409 && created.body?.code === "memory_block_exists") {
    const reset = await request(api, "PUT", `${base}/memory/blocks/${DEMO_BLOCK.label}`, { value: DEMO_BLOCK.value });
    if (reset.status !== 200) throw new DemoError(`Resetting the memory block failed: ${describeProblem(reset.status, reset.body)}`);
  } else if (created.status !== 201) {
    throw new DemoError(`Creating the memory block failed: ${describeProblem(created.status, created.body)}`);
  }
  // Spawned afresh each run, with the demo's model (an earlier run may have chosen another).
  await request(api, "DELETE", `${base}/subagents/${DEMO_SUBAGENT.name}`);
  // Offline, the subagent is the scripted researcher (one sentence); with a provider, the demo's model.
  const model = choice.scripted ? "scripted/researcher" : choice.model;
  const spawned = await request<Problem>(api, "POST", `${base}/subagents`, { ...DEMO_SUBAGENT, model });
  if (spawned.status !== 201) throw new DemoError(`Creating the subagent failed: ${describeProblem(spawned.status, spawned.body)}`);
  console.log(
    `Agent memory: block "${DEMO_BLOCK.label}" = ${JSON.stringify(DEMO_BLOCK.value)}; subagent "${DEMO_SUBAGENT.name}" (tools: ${DEMO_SUBAGENT.tools.join(", ")}).`,
  );
}

/** A task of the execution's plan. */
interface PlanTask {
  id: string;
  content: string;
  status: string;
  order: number;
}

/** The plan as the events of `planning.stream` leave it (spec §6.4). */
class PlanView {
  tasks: PlanTask[] = [];

  /** Applies one plan event. */
  apply(e: Record<string, unknown>): void {
    const task = e.task as PlanTask | undefined;
    switch (e.type) {
      case "task.added":
        this.tasks = [...this.tasks.filter((t) => t.id !== task!.id), task!];
        break;
      case "task.updated":
        this.tasks = this.tasks.map((t) => (t.id === task!.id ? task! : t));
        break;
      case "task.removed":
        this.tasks = this.tasks.filter((t) => t.id !== e.task_id);
        break;
      case "plan.reordered": {
        const order = e.task_ids as string[];
        this.tasks = order.flatMap((id, i) => {
          const t = this.tasks.find((x) => x.id === id);
          return t ? [{ ...t, order: i + 1 }] : [];
        });
        break;
      }
      default:
        break;
    }
    this.tasks.sort((a, b) => a.order - b.order);
  }

  /** The plan as lines: a header with the count, then one line per task with its status mark. */
  lines(): string[] {
    const done = this.tasks.filter((t) => t.status === "completed").length;
    const mark = (status: string) => (status === "completed" ? green("✓") : status === "in_progress" ? cyan("▶") : dim("○"));
    return [bold(`plan (${done}/${this.tasks.length} done)`), ...this.tasks.map((t) => `  ${mark(t.status)} ${t.content}`)];
  }
}

/**
 * Follows `GET …/executions/<id>/plan/stream` until the run ends, showing the plan after each change.
 * Returns the final plan; never throws (the plan is read again at the end).
 */
async function followPlan(api: Api, executionId: string, renderer: Renderer): Promise<PlanView> {
  const plan = new PlanView();
  let settle: ReturnType<typeof setImmediate> | undefined;
  try {
    const response = await fetch(`${api.baseUrl}/v1/harnesses/${HARNESS}/executions/${executionId}/plan/stream`, {
      headers: { authorization: `Bearer ${api.token}`, accept: "text/event-stream" },
      signal: AbortSignal.timeout(10 * 60_000),
    });
    if (!response.ok || !response.body) return plan;
    for await (const frame of readFrames(response.body)) {
      if (!frame?.data) continue;
      plan.apply(frame.data);
      // The events of one change arrive in one chunk: show the plan once the chunk has been read.
      if (settle) clearImmediate(settle);
      settle = setImmediate(() => renderer.planChanged(plan));
    }
  } catch {
    /* the plan is read again at the end */
  }
  return plan;
}

/** One parsed SSE frame. */
interface Frame {
  id?: string;
  event?: string;
  data?: Record<string, unknown> & { type?: string };
}

/** Splits an SSE byte stream into frames; comment frames (keep-alives) are passed as `undefined`. */
async function* readFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<Frame | undefined> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let split: number;
      while ((split = buffer.indexOf("\n\n")) >= 0) {
        const raw = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const frame: Frame = {};
        let data = "";
        let fields = 0;
        for (const line of raw.split("\n")) {
          if (line === "" || line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          fields++;
          if (field === "id") frame.id = text;
          else if (field === "event") frame.event = text;
          else if (field === "data") data += (data ? "\n" : "") + text;
        }
        if (fields === 0) {
          yield undefined;
          continue;
        }
        if (data) frame.data = JSON.parse(data) as Frame["data"];
        yield frame;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function oneLine(value: unknown, max = 120): string {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? {});
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Renders events to stdout as they arrive. */
class Renderer {
  private atLineStart = true;
  private mode: "text" | "thinking" | undefined;
  private readonly tools = new Map<string, { name: string; input: unknown; shown: boolean }>();
  /** A changed plan to show once the line in progress ends. */
  private pendingPlan: PlanView | undefined;

  private write(s: string): void {
    if (quiet || s === "") return;
    process.stdout.write(s);
    this.atLineStart = s.endsWith("\n");
  }

  private line(s: string): void {
    if (!this.atLineStart) this.write("\n");
    this.mode = undefined;
    this.showPlan();
    this.write(`${s}\n`);
  }

  /** A write_todos call: its result is the plan, shown as such. */
  private isPlanWrite(id: string): boolean {
    return this.tools.get(id)?.name === "write_todos";
  }

  private showCall(id: string): void {
    const call = this.tools.get(id);
    if (!call || call.shown) return;
    call.shown = true;
    this.line(cyan(`→ ${call.name}(${oneLine(call.input, 200)})`));
  }

  /** Renders one event. */
  event(type: string, e: Record<string, unknown>): void {
    switch (type) {
      case "text": {
        let content = String(e.content ?? "");
        if (this.mode !== "text") {
          if (!this.atLineStart) this.write("\n");
          // A new paragraph after a tool line: drop the space the model put there to join sentences.
          content = content.trimStart();
        }
        if (content === "") break;
        this.mode = "text";
        this.write(content);
        break;
      }
      case "thinking":
        if (this.mode !== "thinking") {
          if (!this.atLineStart) this.write("\n");
          this.write(dim("thinking: "));
        }
        this.mode = "thinking";
        this.write(dim(String(e.content ?? "")));
        break;
      case "tool_call_start":
        this.tools.set(String(e.id), { name: String(e.name ?? "tool"), input: e.input ?? {}, shown: false });
        break;
      case "tool_call_delta":
        break;
      case "tool_call_end": {
        const call = this.tools.get(String(e.id)) ?? { name: String(e.name ?? "tool"), input: {}, shown: false };
        call.input = e.input ?? call.input;
        this.tools.set(String(e.id), call);
        this.showCall(String(e.id));
        break;
      }
      case "tool_result":
        this.showCall(String(e.id));
        if (e.success)
          this.line(`${green("← ok")}${e.output !== undefined && !this.isPlanWrite(String(e.id)) ? dim(`  ${oneLine(e.output)}`) : ""}`);
        else this.line(red(`← failed: ${oneLine(e.error ?? "unknown error")}`));
        break;
      case "artifact":
        this.line(`📄 ${String(e.name)} (${formatBytes(Number(e.size_bytes ?? 0))}${e.mime_type ? `, ${String(e.mime_type)}` : ""})`);
        break;
      case "progress": {
        const pct = `${Math.round(Number(e.percentage ?? 0))}`.padStart(3);
        const steps = e.step_number !== undefined && e.total_steps ? ` (${String(e.step_number)}/${String(e.total_steps)})` : "";
        this.line(dim(`[${pct}%] ${String(e.step ?? "")}${steps}`));
        break;
      }
      case "error":
        this.line(red(`✖ ${String(e.code ?? "error")}: ${String(e.message ?? "")}${e.recoverable ? " (recoverable)" : ""}`));
        break;
      case "done": {
        const usage = (e.usage ?? {}) as Record<string, unknown>;
        this.line(dim(`■ done — ${String(usage.total_tokens ?? "?")} tokens, ${String(usage.duration_ms ?? "?")} ms`));
        break;
      }
      default:
        this.line(dim(`(${type}) ${oneLine(e)}`));
    }
  }

  /** A status note between events (reconnects). */
  note(s: string): void {
    if (quiet) console.log(s);
    else this.line(dim(s));
  }

  /**
   * The plan changed (one change's events have arrived from the plan stream): it is shown at once when
   * the output is between lines, else as soon as the line in progress ends.
   */
  planChanged(plan: PlanView): void {
    if (quiet) return;
    this.pendingPlan = plan;
    if (this.atLineStart && this.mode !== "text") this.showPlan();
  }

  private showPlan(): void {
    const plan = this.pendingPlan;
    this.pendingPlan = undefined;
    if (!plan || plan.tasks.length === 0) return;
    for (const l of plan.lines()) this.write(`${cyan("│")} ${l}\n`);
    this.mode = undefined;
  }
}

function isTerminal(type: string, data: Record<string, unknown>): boolean {
  return type === "done" || (type === "error" && data.recoverable !== true);
}

/**
 * Runs the agent with `POST …/execute/stream`, renders the stream, and reconnects to
 * `GET …/executions/<id>/stream` with `Last-Event-ID` (at most `MAX_RECONNECTS` times) when the
 * stream ends before a terminal event. Returns the execution id.
 */
async function runStreaming(
  api: Api,
  run: { message: string; agentId?: string; model: string },
): Promise<{ executionId: string; plan: Promise<PlanView> }> {
  const { model } = run;
  const renderer = new Renderer();
  let plan: Promise<PlanView> | undefined;
  let executionId: string | undefined;
  let lastId: string | undefined;
  let reconnects = 0;
  for (;;) {
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
    const headers: Record<string, string> = { authorization: `Bearer ${api.token}`, accept: "text/event-stream" };
    let response: Response;
    try {
      if (executionId === undefined) {
        response = await fetch(`${api.baseUrl}/v1/harnesses/${HARNESS}/execute/stream`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ message: run.message, ...(run.agentId ? { agent_id: run.agentId } : {}), model }),
          signal: idle.signal,
        });
        executionId = response.headers.get("x-execution-id") ?? undefined;
        if (!response.ok || !executionId) {
          const text = await response.text();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* keep text */
          }
          throw new DemoError(`Starting the execution failed: ${describeProblem(response.status, body)}`);
        }
        console.log(`Execution ${executionId} started ${dim(`(model ${model})`)}${quiet ? "" : ":"}`);
        if (!quiet) console.log("");
        plan = followPlan(api, executionId, renderer);
      } else {
        response = await fetch(`${api.baseUrl}/v1/harnesses/${HARNESS}/executions/${executionId}/stream`, {
          headers: { ...headers, ...(lastId !== undefined ? { "last-event-id": lastId } : {}) },
          signal: idle.signal,
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      }
      for await (const frame of readFrames(response.body!)) {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
        if (!frame) continue; // keep-alive comment
        if (frame.id !== undefined) lastId = frame.id;
        const data = frame.data ?? {};
        const type = frame.event ?? data.type ?? "message";
        renderer.event(type, data);
        if (isTerminal(type, data)) {
          clearTimeout(timer);
          return { executionId, plan: plan ?? Promise.resolve(new PlanView()) };
        }
      }
      clearTimeout(timer);
      if (reconnects >= MAX_RECONNECTS)
        throw new DemoError(`The event stream ended before the execution finished (after ${reconnects} reconnects).`);
      reconnects++;
      renderer.note(`(stream ended early; reconnecting with Last-Event-ID: ${lastId ?? "none"}, attempt ${reconnects}/${MAX_RECONNECTS})`);
    } catch (error) {
      clearTimeout(timer);
      if (error instanceof DemoError) throw error;
      if (executionId === undefined)
        throw new DemoError(`Starting the execution failed: ${error instanceof Error ? error.message : String(error)}`);
      if (reconnects >= MAX_RECONNECTS) {
        throw new DemoError(
          `The event stream failed (${error instanceof Error ? error.message : String(error)}) after ${reconnects} reconnects.`,
        );
      }
      reconnects++;
      renderer.note(
        `(stream dropped: ${idle.signal.aborted ? "idle timeout" : error instanceof Error ? error.message : String(error)}; reconnecting with Last-Event-ID: ${lastId ?? "none"}, attempt ${reconnects}/${MAX_RECONNECTS})`,
      );
      await new Promise((r) => setTimeout(r, 500 * reconnects));
    }
  }
}

/** The `ExecutionResult` fields the demo prints. */
interface ExecutionResult {
  execution_id: string;
  status: string;
  output: string;
  tool_calls: { id: string; name: string; success: boolean; duration_ms: number; status: string }[];
  artifacts: { id: string; name: string; mime_type: string; size_bytes: number; path?: string }[];
  usage: { input_tokens: number; output_tokens: number; total_tokens: number; duration_ms?: number };
  error?: string;
  metadata: Record<string, unknown>;
}

const TERMINAL_STATUSES = new Set(["completed", "failed", "cancelled"]);

/** Fetches the result, waiting briefly if the run has not recorded its final status yet. */
async function fetchResult(api: Api, executionId: string): Promise<ExecutionResult> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await request<{ result: ExecutionResult }>(api, "GET", `/v1/harnesses/${HARNESS}/executions/${executionId}/result`);
    if (response.status === 200 && (TERMINAL_STATUSES.has(response.body.result.status) || Date.now() > deadline))
      return response.body.result;
    if (response.status !== 200 && response.status !== 409) {
      throw new DemoError(`Reading the result failed: ${describeProblem(response.status, response.body)}`);
    }
    if (Date.now() > deadline)
      throw new DemoError(`The result was not available in time: ${describeProblem(response.status, response.body)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function printResult(result: ExecutionResult): void {
  const ok = result.status === "completed";
  console.log("");
  console.log(bold("Result"));
  console.log(`  status:     ${ok ? green(result.status) : red(result.status)}${result.error ? red(` — ${result.error}`) : ""}`);
  console.log(`  model:      ${String(result.metadata.model ?? "?")}${result.metadata.scripted ? dim(" (scripted)") : ""}`);
  if (quiet && result.output) console.log(`  output:     ${oneLine(result.output.replace(/\s+/g, " "), 300)}`);
  console.log(`  tool calls: ${result.tool_calls.length}`);
  for (const t of result.tool_calls)
    console.log(`    ${t.success ? green("✓") : red("✗")} ${t.name} ${dim(`(${t.status}, ${t.duration_ms} ms)`)}`);
  console.log(`  artifacts:  ${result.artifacts.length}`);
  for (const a of result.artifacts) console.log(`    📄 ${a.name} ${dim(`(${a.mime_type}, ${formatBytes(a.size_bytes)})`)}`);
  const u = result.usage;
  console.log(`  usage:      ${u.input_tokens} input + ${u.output_tokens} output = ${u.total_tokens} tokens, ${u.duration_ms ?? "?"} ms`);
}

/** Prints what the run left: its plan, the agent's memory block, and the subagent's task. */
async function printAgentState(api: Api, agentId: string, executionId: string, followed: Promise<PlanView>): Promise<void> {
  // The plan stream ends with the run; wait briefly for its last events, then read the plan itself.
  await Promise.race([followed, new Promise((r) => setTimeout(r, 2_000))]);
  const plan = await request<{ plan: { tasks: PlanTask[] } }>(api, "GET", `/v1/harnesses/${HARNESS}/executions/${executionId}/plan`);
  const view = new PlanView();
  view.tasks = plan.status === 200 ? plan.body.plan.tasks : [];
  const [header, ...tasks] = view.lines();
  console.log(`  ${view.tasks.length > 0 ? header : "plan:       (none written)"}`);
  for (const t of tasks) console.log(`  ${t}`);
  const block = await request<{ block?: { value: string; chars: number; limit: number } }>(
    api,
    "GET",
    `/v1/harnesses/${HARNESS}/agents/${agentId}/memory/blocks/${DEMO_BLOCK.label}`,
  );
  if (block.body.block) {
    const { value, chars, limit } = block.body.block;
    console.log(`  memory:     block "${DEMO_BLOCK.label}" (${chars}/${limit} characters): ${oneLine(value.replace(/\n/g, " ⏎ "), 160)}`);
  }
  const children = await request<{ data?: { id: string; status: string; subagent_id: string | null; model: string }[] }>(
    api,
    "GET",
    `/v1/harnesses/${HARNESS}/executions?parent_execution_id=${executionId}`,
  );
  for (const child of children.body.data ?? []) {
    console.log(
      `  subagent:   ${DEMO_SUBAGENT.name}'s task ${child.id} ${child.status === "completed" ? green(child.status) : red(child.status)} ${dim(`(${child.model})`)}`,
    );
  }
}

/**
 * Runs the imported agent that brought a skill and reports whether the model loaded it. Offline the
 * scripted model `scripted/skills` loads it; a real model decides for itself (not loading it is said,
 * not failed). Returns false when the execution did not complete.
 */
async function runSkillStep(api: Api, agents: ImportedAgent[], choice: ModelChoice): Promise<boolean> {
  const agent = agents.find((a) => a.agentKey === SKILL_AGENT_KEY);
  if (!agent) throw new DemoError(`No imported agent has agentKey "${SKILL_AGENT_KEY}".`);
  const model = choice.scripted ? "scripted/skills" : choice.model;
  console.log("");
  console.log(`Running ${bold(agent.name)} (${agent.id}), whose package brought the skill ${bold(SKILL_NAME)}, on: ${SKILL_TASK}`);
  const { executionId } = await runStreaming(api, { message: SKILL_TASK, agentId: agent.id, model });
  const result = await fetchResult(api, executionId);
  if (result.status !== "completed") {
    console.log(red(`DEMO FAILED: execution ${executionId} ended ${result.status}${result.error ? ` — ${result.error}` : ""}`));
    return false;
  }
  const loaded = result.tool_calls.some((t) => t.name === "load_skill" && t.success);
  if (quiet && result.output) console.log(`  output:     ${oneLine(result.output.replace(/\s+/g, " "), 300)}`);
  console.log(
    loaded
      ? green(`Skills: ${agent.name} loaded its skill "${SKILL_NAME}" with load_skill and answered from it (model ${model}).`)
      : `Skills: ${agent.name} was offered its skill "${SKILL_NAME}" but ${model} chose not to load it.`,
  );
  if (choice.scripted && !loaded) {
    console.log(red(`DEMO FAILED: the scripted model did not load the skill in execution ${executionId}`));
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------
// webhooks and hooks

/** A request the local receiver got. */
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The demo's own webhook receiver and hook endpoint on 127.0.0.1 (a real HTTP server). */
interface LocalReceiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const DENY_REASON = "the demo's policy: no file writes in this step";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * `POST /webhook` records a delivery (204); `POST /hook` answers as a blocking pre_tool hook: deny
 * `write_file`, allow anything else.
 */
async function startReceiver(): Promise<LocalReceiver> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    received.push({ path: req.url ?? "/", headers, body });
    if (req.url === "/hook") {
      const tool = (JSON.parse(body) as { data?: { tool?: { name?: string } } }).data?.tool?.name;
      const answer = tool === "write_file" ? { action: "deny", reason: DENY_REASON } : { action: "allow" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      return;
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new DemoError("The local webhook receiver did not start.");
  return { url: `http://127.0.0.1:${address.port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}

/** Registers a webhook for `execution.completed` to the receiver; its secret is shown only in this answer. */
async function registerWebhook(api: Api, receiver: LocalReceiver): Promise<{ id: string; secret: string }> {
  const res = await request<{ webhook: { id: string; secret: string } }>(api, "POST", `/v1/harnesses/${HARNESS}/webhooks`, {
    url: `${receiver.url}/webhook`,
    events: ["execution.completed"],
  });
  if (res.status !== 201)
    throw new DemoError(
      `Registering the webhook failed: ${describeProblem(res.status, res.body)} (is 127.0.0.1 in OUTBOUND_PRIVATE_HOST_ALLOWLIST?)`,
    );
  console.log(
    `Registered webhook ${res.body.webhook.id} → ${receiver.url}/webhook for execution.completed ${dim(`(secret ${res.body.webhook.secret.slice(0, 10)}…, shown once)`)}`,
  );
  return res.body.webhook;
}

/** Waits for the run's delivery and checks both signatures the way a receiver would. */
async function showWebhookDelivery(receiver: LocalReceiver, secret: string, executionId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let delivery: Received | undefined;
  while (!delivery && Date.now() < deadline) {
    delivery = receiver.received.find((r) => r.path === "/webhook" && r.body.includes(executionId));
    if (!delivery) await new Promise((r) => setTimeout(r, 200));
  }
  if (!delivery) throw new DemoError(`No webhook delivery for ${executionId} arrived within 20 s.`);
  const payload = new Webhook(secret).verify(delivery.body, delivery.headers) as { event: string; status: string; execution_id: string };
  const expected = createHmac("sha256", secret).update(delivery.body).digest();
  const sent = Buffer.from((delivery.headers["x-openharness-signature"] ?? "").replace(/^sha256=/, ""), "hex");
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new DemoError("X-OpenHarness-Signature does not verify.");
  console.log("");
  console.log(bold("Webhook"));
  console.log(`  ${green("✓")} ${payload.event} for ${payload.execution_id}: status ${payload.status}`);
  console.log(
    `  ${dim(`webhook-id ${delivery.headers["webhook-id"]}; verified with standardwebhooks and X-OpenHarness-Signature (HMAC-SHA256)`)}`,
  );
}

/** Registers a blocking pre_tool hook that denies write_file, runs one scripted write, shows the denial. */
async function showDeniedToolCall(api: Api, receiver: LocalReceiver, agentId: string): Promise<void> {
  const hook = await request<{ hook: { id: string } }>(api, "POST", `/v1/harnesses/${HARNESS}/hooks`, {
    event: "pre_tool",
    handler: { type: "webhook", url: `${receiver.url}/hook` },
    timeout_ms: 5000,
    on_error: "deny",
  });
  if (hook.status !== 201) throw new DemoError(`Registering the hook failed: ${describeProblem(hook.status, hook.body)}`);
  try {
    const started = await request<{ execution_id: string }>(api, "POST", `/v1/harnesses/${HARNESS}/execute`, {
      message: "Save a note to notes/hello.txt.",
      agent_id: agentId,
      model: "scripted/write",
    });
    if (started.status !== 202) throw new DemoError(`Starting the hooked run failed: ${describeProblem(started.status, started.body)}`);
    const result = await fetchResult(api, started.body.execution_id);
    const calls = await request<{ tool_calls: { name: string; status: string; error?: string }[] }>(
      api,
      "GET",
      `/v1/harnesses/${HARNESS}/executions/${started.body.execution_id}/tool-calls`,
    );
    const denied = calls.body.tool_calls.find((c) => c.name === "write_file");
    console.log("");
    console.log(bold("Blocking hook"));
    console.log(
      `  pre_tool hook ${hook.body.hook.id} → ${receiver.url}/hook; run ${started.body.execution_id} ${dim("(model scripted/write)")}`,
    );
    if (!denied || denied.status !== "failed" || !denied.error?.includes(DENY_REASON))
      throw new DemoError(`The hook did not deny write_file (tool call: ${JSON.stringify(denied)}).`);
    console.log(`  ${red("✗")} write_file denied: ${denied.error}`);
    console.log(`  ${dim(`the model saw it and answered: ${oneLine(result.output, 160)}`)}`);
  } finally {
    await request(api, "DELETE", `/v1/harnesses/${HARNESS}/hooks/${hook.body.hook.id}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// MCP: a local server the agent calls

/** Name of the demo's MCP server on the harness. */
const MCP_SERVER_NAME = "recipes";
/** The tool the demo agent calls (`mcp_<server>__<tool>`). */
const MCP_TOOL = `mcp_${MCP_SERVER_NAME}__search_recipes`;

const RECIPES = [
  { title: "Chickpea curry", minutes: 30, vegetarian: true },
  { title: "Lentil soup", minutes: 40, vegetarian: true },
  { title: "Roast chicken", minutes: 90, vegetarian: false },
];

/**
 * A local MCP server built with the official SDK (`@modelcontextprotocol/server`, Streamable HTTP,
 * stateless): one tool, `search_recipes`. Node's HTTP server hands each request to the SDK's Web handler.
 */
async function startRecipeMcpServer(): Promise<{ url: string; server: Server }> {
  const build = () => {
    const mcp = new McpServer({ name: "demo-recipes", version: "1.0.0" });
    mcp.registerTool(
      "search_recipes",
      {
        description: "Search the demo recipe book by a word in the title, or 'vegetarian'.",
        inputSchema: z.object({ query: z.string().describe("A word to look for, e.g. curry") }),
      },
      ({ query }) => {
        const q = query.toLowerCase();
        const found = RECIPES.filter((r) => r.title.toLowerCase().includes(q) || (q === "vegetarian" && r.vegetarian));
        return {
          content: [
            { type: "text", text: found.length ? found.map((r) => `${r.title} (${r.minutes} min)`).join("; ") : "No recipe found." },
          ],
        };
      },
    );
    return mcp;
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = Buffer.concat(chunks);
    const response = await createMcpHandler(build).fetch(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, ...(body.length ? { body } : {}) }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

interface McpServerView {
  id: string;
  name: string;
  status: string;
  protocol_version: string | null;
  last_error: string | null;
  tools: { name: string }[];
}

/** Starts the local MCP server, connects it to the harness and runs an agent that calls its tool. */
async function mcpDemo(api: Api, choice: ModelChoice): Promise<boolean> {
  console.log("");
  const { url, server } = await startRecipeMcpServer();
  try {
    console.log(`Started a local MCP server (official SDK, Streamable HTTP) at ${url}.`);
    const existing = await request<{ server?: McpServerView }>(api, "GET", `/v1/harnesses/${HARNESS}/mcp-servers/${MCP_SERVER_NAME}`);
    if (existing.status === 200) await request(api, "DELETE", `/v1/harnesses/${HARNESS}/mcp-servers/${MCP_SERVER_NAME}`);
    const connected = await request<{ server: McpServerView }>(api, "POST", `/v1/harnesses/${HARNESS}/mcp-servers`, {
      name: MCP_SERVER_NAME,
      transport: { type: "http", url },
    });
    if (connected.status !== 201) throw new DemoError(`mcp.connect failed: ${describeProblem(connected.status, connected.body)}`);
    const view = connected.body.server;
    console.log(
      `  ${view.status === "connected" ? green("✓") : red("✗")} mcp.connect ${view.name}: ${view.status}${view.protocol_version ? ` (protocol ${view.protocol_version})` : ""}, tools: ${view.tools.map((t) => t.name).join(", ") || "none"}${view.last_error ? red(` — ${view.last_error}`) : ""}`,
    );
    if (view.status !== "connected") return false;
    const model = choice.scripted ? "scripted/call" : choice.model;
    const message = choice.scripted
      ? `call ${MCP_TOOL} with {"query":"curry"}`
      : `Use the ${MCP_TOOL} tool to find a curry recipe in the recipe book, then tell me what you found.`;
    console.log(`Running an agent with the MCP server's tool on: ${message}`);
    const { executionId } = await runStreaming(api, { message, model });
    const result = await fetchResult(api, executionId);
    printResult(result);
    const called = result.tool_calls.find((t) => t.name === MCP_TOOL);
    if (result.status !== "completed" || !called?.success) {
      console.log(red(`MCP DEMO FAILED: execution ${executionId} ${called ? "called" : "did not call"} ${MCP_TOOL}`));
      return false;
    }
    console.log(green(`MCP OK ${executionId}`));
    return true;
  } finally {
    await request(api, "DELETE", `/v1/harnesses/${HARNESS}/mcp-servers/${MCP_SERVER_NAME}`).catch(() => undefined);
    server.closeAllConnections();
    server.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// main

async function connect(): Promise<{ api: Api; server?: DevServer }> {
  const explicitUrl = envValue("EDGEHARNESS_URL");
  const baseUrl = (explicitUrl ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/+$/, "");
  const explicitKey = envValue("EDGEHARNESS_API_KEY");
  if (await isServerUp(baseUrl)) {
    const token = explicitKey ?? (await readLocalCredentials())?.token;
    if (!token) {
      throw new DemoError(
        `A server answers at ${baseUrl} but there is no API key: set EDGEHARNESS_API_KEY, or start the server with npm start (it saves its key in ${repoPath(CREDENTIALS_FILE)}).`,
      );
    }
    console.log(`Using the running server at ${baseUrl}.`);
    return { api: { baseUrl, token } };
  }
  const url = new URL(baseUrl);
  if (!["127.0.0.1", "localhost"].includes(url.hostname) || url.protocol !== "http:") {
    throw new DemoError(`No EdgeHarness server answers at ${baseUrl}.`);
  }
  const port = Number(url.port || 80);
  console.log(`No server at ${baseUrl}: starting one (migrations, local key, wrangler dev) …`);
  const vars = await ensureDevVars();
  if (vars.providerVars.length > 0) console.log(dim(`  ${repoPath(vars.path)}: ${vars.providerVars.join(", ")} from the environment`));
  const applied = await applyMigrations();
  if (applied.length > 0) console.log(dim(`  applied migrations: ${applied.join(", ")}`));
  const seed = await seedLocalOrg();
  const started = Date.now();
  const server = await startDevServer({ port });
  console.log(
    `Started wrangler dev at ${server.url} in ${((Date.now() - started) / 1000).toFixed(1)} s ${dim(`(log: ${repoPath(server.logFile)}; stopped at the end)`)}`,
  );
  return { api: { baseUrl: server.url, token: explicitKey ?? seed.token }, server };
}

async function main(): Promise<number> {
  const choice = chooseModel();
  console.log(`Model: ${bold(choice.model)} — ${choice.reason}.`);
  let server: DevServer | undefined;
  let receiver: LocalReceiver | undefined;
  try {
    const connection = await connect();
    server = connection.server;
    if (server) stopOnSignals(server);
    const { api } = connection;

    await registerHarness(api, choice.model);
    const agents = await importSamples(api);
    const agent = agents.find((a) => a.agentKey === DEMO_AGENT_KEY);
    if (!agent) throw new DemoError(`No imported agent has agentKey "${DEMO_AGENT_KEY}".`);
    await prepareAgent(api, agent.id, choice);

    receiver = await startReceiver();
    const webhook = await registerWebhook(api, receiver);

    console.log("");
    console.log(`Running ${bold(agent.name)} (${agent.id}) on: ${DEMO_TASK}`);
    try {
      const { executionId, plan } = await runStreaming(api, { message: DEMO_TASK, agentId: agent.id, model: choice.model });
      const result = await fetchResult(api, executionId);
      printResult(result);
      await printAgentState(api, agent.id, executionId, plan);
      if (result.status !== "completed") {
        if (!choice.scripted && !server)
          console.log(dim("  (the server uses its own provider variables: were they set when it was started?)"));
        console.log(red(`DEMO FAILED: execution ${executionId} ended ${result.status}`));
        return 1;
      }
      await showWebhookDelivery(receiver, webhook.secret, executionId);
      await showDeniedToolCall(api, receiver, agent.id);
      if (!(await mcpDemo(api, choice))) return 1;
      if (!(await runSkillStep(api, agents, choice))) return 1;
      console.log(green(`DEMO OK ${executionId}`));
      return 0;
    } finally {
      await request(api, "DELETE", `/v1/harnesses/${HARNESS}/webhooks/${webhook.id}`);
    }
  } catch (error) {
    console.error(red(`DEMO FAILED: ${error instanceof Error ? error.message : String(error)}`));
    if (server && !(error instanceof DemoError))
      console.error(dim(`Last lines of ${repoPath(server.logFile)}:\n${await tailFile(server.logFile, 20)}`));
    return 1;
  } finally {
    await receiver?.close();
    await server?.stop();
  }
}

process.exitCode = await main();
