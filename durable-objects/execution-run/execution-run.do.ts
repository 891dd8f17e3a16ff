/**
 * `ExecutionRun` — one Durable Object per execution (named by the execution id). It owns the run.
 *
 * Storage layout (SQLite, see `execution-run.sql.ts`): `run` (spec, status, output, usage), `events`
 * (the event log, `seq` = SSE id — `durable-objects/lib/event-log.ts`), `messages` (the model
 * conversation checkpoint), `tool_calls`, `artifacts`, `schedules` (the timers multiplexed onto the
 * alarm — `durable-objects/lib/schedules.ts`), and the run's plan: `plan_tasks`, `plan_meta` and its
 * event log `plan_events` (`plan.ts`).
 * Instance fields hold only what may be lost with the instance: the event log's live subscribers, the
 * abort controller of the loop in flight, whether this instance is running the loop, a handed model
 * key when there is no key to seal it with, and the queue of events not yet delivered to observers.
 *
 * Lifecycle (timers: `loop` run now, `lease` heartbeat, `input` answer deadline, `purge` retention):
 *   start()  stores the spec, arms `lease` and starts the loop at once; the lease alarm resumes it if the
 *            instance goes away, so the run outlives the request that started it.
 *   loop     one model step at a time; the assistant message and each tool result are written before the
 *            next model call. `lease` is re-armed before every step: if the object is evicted mid-run, it
 *            fires in a fresh instance, which resumes from the checkpoint — finished tool calls are not
 *            repeated, an interrupted model step is redone and `run_resumed` names the seq from which the
 *            abandoned attempt's events are to be dropped.
 *   input    an `ask_user` call stops the loop, records the question and sets `input` to its deadline;
 *            nothing runs while the run waits. `sendInput` records the answer and sets `loop` for now; the
 *            `input` timer instead records a failed answer. Either way the loop resumes from the checkpoint.
 *   observe  runs with observers (a session's turn) forward every event to them, in order, batched.
 *   finish   records the run's token usage in the D1 ledger (for whom `spec.metering` says), ends tool calls
 *            still open as failed, appends `done` or `error`, updates the D1 index row, sets `purge` and
 *            closes the plan streams; a run that ends cancelled or failed cancels the runs it delegated.
 *   purge    `STREAM_RETENTION_MS` after completion the event logs (the plan's too) and conversation are
 *            deleted; the `run` summary, tool calls, artifacts and plan stay. Streams then answer 410.
 */
import { DurableObject } from "cloudflare:workers";
import type { ModelMessage } from "ai";
import { getConfig } from "../../src/config.ts";
import { createDb } from "../../src/db/index.ts";
import { executions, type ProgressJson } from "../../src/db/schema.ts";
import { importAesKey, openString, sealString } from "../../src/lib/crypto.ts";
import { newId } from "../../src/lib/ids.ts";
import type { JsonObject } from "../../src/lib/json.ts";
import { parseLastEventId } from "../../src/lib/sse.ts";
import { nowIso } from "../../src/lib/time.ts";
import { isTerminal, type ExecutionEvent } from "../../src/runtime/events.ts";
import { ModelCallError, runModelStep, toolResultMessage, type ModelStepOutcome, type RequestedToolCall } from "../../src/runtime/loop.ts";
import { createLanguageModel } from "../../src/runtime/models/factory.ts";
import { deploymentCredential } from "../../src/services/models/resolve.ts";
import { ASK_USER_TOOL, askUserInput } from "../../src/runtime/tools/builtin/ask-user.ts";
import type { ToolContext, WrittenFile } from "../../src/runtime/tools/contract.ts";
import { invokeTool, type ToolHooks } from "../../src/runtime/tools/invoke.ts";
import type { Toolset } from "../../src/runtime/tools/toolset.ts";
import type { AuthedContext } from "../../src/services/context.ts";
import { indexRow } from "../../src/services/executions/start.ts";
import { executionFinished, executionStarted } from "../../src/services/harness-events/notify.ts";
import { recordUsage } from "../../src/services/limits/usage.ts";
import { cancelChildExecutions } from "../../src/services/subagents/cancel-children.ts";
import { artifactKey } from "../../src/services/storage/keys.ts";
import { createOrgPort } from "../../src/services/tools/org-port.ts";
import { resolveTools } from "../../src/services/tools/run-tools.ts";
import { workspaceStore } from "../../src/services/workspace/store.ts";
import { EventLog, type LoggedEvent } from "../lib/event-log.ts";
import { Schedules } from "../lib/schedules.ts";
import { internalServiceContext } from "../lib/service-context.ts";
import type {
  ArtifactRecord,
  CancelOutcome,
  ExecutionRunApi,
  PendingInput,
  RunObserver,
  RunObserverRef,
  RunSpec,
  RunStatus,
  RunSummary,
  SendInputOutcome,
  ToolCallRecord,
} from "./execution-run.protocol.ts";
import { EXECUTION_RUN_SCHEMA, upgradeExecutionRunSchema } from "./execution-run.sql.ts";
import { PlanStore, type Plan, type PlanChange, type PlanOutcome, type PlanProgress, type PlanTask, type PlanTaskPatch } from "./plan.ts";

/** How long a finished run's event stream stays replayable (spec: 1 hour). */
export const STREAM_RETENTION_MS = 60 * 60 * 1000;
/** Heartbeat: if no step starts within this window the alarm resumes the run (after an eviction). */
export const RUN_LEASE_MS = 30_000;

type Timer = "loop" | "lease" | "input" | "purge";

interface RunRow {
  execution_id: string;
  spec: string;
  sealed_api_key: string | null;
  status: RunStatus;
  step: number;
  output: string;
  input_tokens: number;
  output_tokens: number;
  progress: string | null;
  error_code: string | null;
  error_message: string | null;
  cancel_requested: number;
  events_purged: number;
  pending_input: string | null;
  step_started_seq: number | null;
  started_at: string;
  completed_at: string | null;
}

interface ToolCallRow {
  id: string;
  step: number;
  ord: number;
  name: string;
  input: string;
  output: string | null;
  status: ToolCallRecord["status"];
  error: string | null;
  invalid_reason: string | null;
  started_at: string;
  completed_at: string | null;
  duration_ms: number | null;
}

/** What the loop runs with, rebuilt each time it (re)starts: the model, the tools, their context. */
interface LoopRuntime {
  spec: RunSpec;
  model: ReturnType<typeof createLanguageModel>;
  toolset: Toolset;
  hooks: ToolHooks | undefined;
  /** The tool sources' system-prompt sections, read before every model step. */
  prompt: () => Promise<string>;
  toolCtx: ToolContext;
}

class Cancelled extends Error {
  constructor() {
    super("cancelled");
  }
}

/** Thrown inside the loop when it reaches an unanswered `ask_user`: the loop stops without finishing. */
class WaitingForInput extends Error {
  constructor() {
    super("waiting for input");
  }
}

/** Thrown when the run cannot go on and must finish as `failed` with this code. */
class RunFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TERMINAL: RunStatus[] = ["completed", "failed", "cancelled"];

export class ExecutionRun extends DurableObject<Env> implements ExecutionRunApi {
  private readonly sql: SqlStorage;
  private readonly log: EventLog<ExecutionEvent>;
  private readonly schedules: Schedules<Timer>;
  private loopActive = false;
  private loopAbort: AbortController | undefined;
  /** A handed key kept in memory only, when the deployment has no key to seal it with. */
  private memoryApiKey: string | undefined;
  /** The run's observers (from its spec), read once per instance. */
  private observerRefs: RunObserverRef[] | undefined;
  /** Events not yet delivered to the run's observers, and the delivery in progress. */
  private readonly forwardQueue: LoggedEvent<ExecutionEvent>[] = [];
  private forwarding: Promise<void> | undefined;
  /** Set while `finish` awaits the ledger write, so a concurrent finish (a cancel) does not finish twice. */
  private finishing = false;
  /** The run's plan (`plan.ts`: its tables, event log and streams). */
  private readonly planStore: PlanStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(EXECUTION_RUN_SCHEMA);
    upgradeExecutionRunSchema(this.sql);
    this.log = new EventLog<ExecutionEvent>(this.sql, "events");
    this.schedules = new Schedules<Timer>(ctx.storage);
    this.planStore = new PlanStore(
      this.sql,
      (fn) => ctx.storage.transactionSync(fn),
      (progress) => this.planChanged(progress),
    );
  }

  // ---------------------------------------------------------------- RPC

  /** Starts the run described by `spec`. Idempotent: a second call for a started run does nothing. */
  async start(spec: RunSpec): Promise<void> {
    if (this.row()) return;
    let sealed: string | null = null;
    if (spec.apiKey) {
      const key = getConfig(this.env).credentialsEncryptionKey;
      if (key) sealed = await sealString(await importAesKey(key), spec.apiKey, spec.executionId);
      else this.memoryApiKey = spec.apiKey;
    }
    const stored: RunSpec = { ...spec };
    delete stored.apiKey;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT INTO run (id, execution_id, spec, sealed_api_key, status, started_at) VALUES (1, ?, ?, ?, 'pending', ?)",
        spec.executionId,
        JSON.stringify(stored),
        sealed,
        spec.startedAt,
      );
      for (const turn of spec.history ?? []) this.insertMessage(0, { role: turn.role, content: turn.content } as ModelMessage);
      this.insertMessage(0, { role: "user", content: spec.message });
    });
    // Run at once; the lease timer resumes the run should this instance go away meanwhile.
    await this.schedules.set("lease", Date.now() + RUN_LEASE_MS);
    this.ctx.waitUntil(this.runLoop());
  }

  /** The run's summary, or `null` when no run was started in this object. */
  async summary(): Promise<RunSummary | null> {
    const row = this.row();
    return row ? this.toSummary(row) : null;
  }

  /**
   * Requests cancellation. A pending or running run stops at the next safe point: the model stream and
   * any tool waiting on the run's signal are aborted at once; a tool in flight may still finish (best
   * effort, spec execution.cancel).
   */
  async cancel(): Promise<CancelOutcome> {
    const row = this.row();
    if (!row) return { cancelled: false, status: "failed" };
    if (TERMINAL.includes(row.status)) return { cancelled: false, status: row.status };
    this.sql.exec("UPDATE run SET cancel_requested = 1 WHERE id = 1");
    this.loopAbort?.abort(new Cancelled());
    if (!this.loopActive) {
      // Nobody is running the loop in this instance: finish here rather than waiting for the alarm.
      await this.finish("cancelled", { code: "cancelled", message: "The execution was cancelled." });
    }
    return { cancelled: true, status: this.row()!.status };
  }

  /**
   * Answers the pending `ask_user` question with `data` (spec execution.sendInput / WebSocket `stdin`)
   * and resumes the loop.
   */
  async sendInput(data: string): Promise<SendInputOutcome> {
    const row = this.row();
    if (!row || TERMINAL.includes(row.status)) return { accepted: false, reason: "finished" };
    const pending = this.pendingInput(row);
    if (!pending) return { accepted: false, reason: "not_waiting" };
    this.answerInput(pending, { success: true, output: { answer: data } });
    await this.schedules.clear("input");
    await this.schedules.set("loop", Date.now());
    return { accepted: true };
  }

  /** Every tool call in call order (Open Harness DetailedToolCall). */
  async toolCalls(): Promise<ToolCallRecord[]> {
    return this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM tool_calls ORDER BY step, ord")
      .toArray()
      .map((r) => this.toToolCall(r as unknown as ToolCallRow));
  }

  /** Every artifact, oldest first. */
  async artifacts(): Promise<ArtifactRecord[]> {
    return this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM artifacts ORDER BY created_at, id")
      .toArray()
      .map((r) => ({
        id: r.id as string,
        name: r.name as string,
        path: r.path as string,
        mime_type: r.mime_type as string,
        size_bytes: r.size_bytes as number,
        r2Key: r.r2_key as string,
        created_at: r.created_at as string,
      }));
  }

  /** The run's plan (planning.get), or `null` when no run was started in this object. */
  async plan(): Promise<Plan | null> {
    const row = this.row();
    return row ? this.planStore.plan(row.execution_id, row.started_at) : null;
  }

  /** Changes the plan (planning.update); also after the run finished. */
  async updatePlan(change: PlanChange): Promise<PlanOutcome<Plan> | null> {
    const row = this.row();
    if (!row) return null;
    const outcome = this.planStore.apply(change);
    return outcome.ok ? { ok: true, value: this.planStore.plan(row.execution_id, row.started_at) } : outcome;
  }

  /** Changes one task of the plan (planning.updateTask). */
  async updatePlanTask(taskId: string, patch: PlanTaskPatch): Promise<PlanOutcome<PlanTask> | null> {
    return this.row() ? this.planStore.updateTask(taskId, patch) : null;
  }

  /**
   * `GET /stream` with `Last-Event-ID` (or `?after=`): replays the log strictly after that `seq`, then
   * follows live events until the terminal one. 404 when no run, 410 when the log was purged.
   */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/stream" && url.pathname !== "/plan/stream") return new Response("not found", { status: 404 });
    const row = this.row();
    if (!row) return new Response("no such run", { status: 404 });
    if (row.events_purged) return new Response("stream expired", { status: 410 });
    const after = parseLastEventId(request.headers.get("last-event-id") ?? url.searchParams.get("after"));
    if (url.pathname === "/plan/stream")
      return this.planStore.openStream(after, request.signal, () => TERMINAL.includes(this.row()!.status));
    return this.log.openSse(after, request.signal, {
      isTerminal,
      finished: () => TERMINAL.includes(this.row()!.status),
    });
  }

  override async alarm(): Promise<void> {
    const due = await this.schedules.takeDue();
    const row = this.row();
    if (!row) return;
    // An alarm with nothing due was set before timers existed (or forced): treat it as the heartbeat.
    if (due.length === 0) due.push(TERMINAL.includes(row.status) ? "purge" : "lease");
    if (TERMINAL.includes(row.status)) {
      if (due.includes("purge")) this.purgeLogIfDue(row);
      return;
    }
    if (this.loopActive) {
      if (due.includes("lease") || due.includes("loop")) await this.schedules.set("lease", Date.now() + RUN_LEASE_MS);
      return;
    }
    const pending = this.pendingInput(row);
    if (pending) {
      if (Date.now() < Date.parse(pending.deadline)) {
        await this.schedules.set("input", Date.parse(pending.deadline));
        return;
      }
      const seconds = (JSON.parse(row.spec) as RunSpec).inputTimeoutSeconds;
      this.answerInput(pending, { success: false, error: `input_timeout: no answer within ${seconds} seconds` });
    }
    await this.runLoop();
  }

  // ---------------------------------------------------------------- the loop

  private async runLoop(): Promise<void> {
    this.loopActive = true;
    this.loopAbort = new AbortController();
    try {
      const runtime = await this.prepareLoop(this.loopAbort.signal);
      this.markRunning();
      for (;;) {
        await this.schedules.set("lease", Date.now() + RUN_LEASE_MS);
        if (await this.advance(runtime)) return;
      }
    } catch (error) {
      await this.endLoopWith(error);
    } finally {
      this.loopActive = false;
      this.loopAbort = undefined;
    }
  }

  /** Builds the model, tools and tool context the loop runs with. */
  private async prepareLoop(signal: AbortSignal): Promise<LoopRuntime> {
    const spec = JSON.parse(this.row()!.spec) as RunSpec;
    const apiKey = await this.apiKeyFor(spec);
    if (spec.model.keySource === "handed" && !apiKey) {
      throw new RunFailure(
        "credentials_unavailable",
        "The run's model credentials were lost when its object restarted; start a new execution.",
      );
    }
    const model = createLanguageModel({ ...spec.model, ...(apiKey ? { apiKey } : {}) }, (this.env as unknown as { AI?: Ai }).AI);
    const services = this.services(spec);
    const metering = spec.metering ?? { subject: `execution:${spec.executionId}`, surface: "execution" as const };
    const { toolset, hooks, prompt, ports } = await resolveTools(services, {
      orgId: spec.orgId,
      harnessId: spec.harnessId,
      agentId: spec.agentId,
      capabilityRefs: spec.toolRefs,
      ...(spec.toolsAccess ? { toolsAccess: spec.toolsAccess } : {}),
      executionId: spec.executionId,
      sessionId: spec.sessionId,
      delegationDepth: spec.delegationDepth ?? 0,
      metering,
      ...(spec.skills ? { skills: spec.skills } : {}),
    });
    const toolCtx: ToolContext = {
      workspace: workspaceStore(this.env, createDb(this.env.DB), { orgId: spec.orgId, prefix: spec.workspacePrefix }),
      executionId: spec.executionId,
      artifacts: { record: (file) => this.recordArtifact(spec, file) },
      abortSignal: signal,
      now: () => new Date(),
      org: createOrgPort(services, metering, { executionId: spec.executionId, depth: spec.delegationDepth ?? 0 }),
      log: services.log,
      ...ports,
      plan: this.planStore.port(),
    };
    return { spec, model, toolset, hooks, prompt, toolCtx };
  }

  /**
   * A pending run becomes running. A running run without a live loop restarts after an eviction; when a
   * model step or a tool call was in flight it says so with `run_resumed` (naming, for an interrupted
   * model step, the seq from which the abandoned attempt's events are to be dropped). A run that only
   * waited for an answer goes on silently.
   */
  private markRunning(): void {
    const row = this.row()!;
    if (row.status === "pending") {
      this.sql.exec("UPDATE run SET status = 'running' WHERE id = 1");
      void this.updateIndex({ status: "running" }).catch((error) => this.logError("index update failed", error));
      const spec = JSON.parse(row.spec) as RunSpec;
      this.ctx.waitUntil(executionStarted(this.services(spec), spec));
      return;
    }
    const interruptedTool = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM tool_calls WHERE status = 'running'").one().n > 0;
    const stepInFlight = row.step_started_seq !== null;
    if (!interruptedTool && !stepInFlight) return;
    const abandoned = stepInFlight && row.step_started_seq! <= this.log.lastSeq() ? row.step_started_seq! : undefined;
    this.sql.exec("UPDATE run SET step_started_seq = NULL WHERE id = 1");
    this.append({
      type: "error",
      code: "run_resumed",
      message:
        abandoned === undefined
          ? "The run restarted and continues from its last checkpoint; an interrupted tool call is redone."
          : `The run restarted and redoes its interrupted model step: drop the events from seq ${abandoned} up to this one.`,
      recoverable: true,
      ...(abandoned === undefined ? {} : { abandoned_from_seq: abandoned }),
    });
  }

  /** Takes the run one step further; true when the loop is over (finished or waiting for input). */
  private async advance(runtime: LoopRuntime): Promise<boolean> {
    const { spec } = runtime;
    const row = this.row()!;
    if (row.cancel_requested) throw new Cancelled();
    // Resume point: the last step's tool calls have not all been fed back to the model yet (evicted
    // mid-tool, or an ask_user answered): run what is open, then write the tool message.
    const open = this.openToolCalls(row.step);
    if (open) {
      await this.runToolCalls(row.step, open, runtime);
      this.emitProgress(spec, row.step, "tools finished");
      return false;
    }
    if (row.step >= spec.maxSteps) {
      await this.finish("failed", { code: "max_steps_exceeded", message: `The agent did not finish within ${spec.maxSteps} model steps.` });
      return true;
    }
    if (row.step > 0 && this.lastMessageRole() === "assistant") {
      await this.finish("completed");
      return true;
    }
    const step = row.step + 1;
    const outcome = await this.modelStep(runtime);
    this.checkpoint(step, outcome);
    if (outcome.toolCalls.length === 0) {
      await this.finish("completed");
      return true;
    }
    await this.runToolCalls(step, this.openToolCalls(step) ?? [], runtime);
    this.emitProgress(spec, step, `step ${step}: ${outcome.toolCalls.map((c) => c.name).join(", ")}`);
    return false;
  }

  /** One model call, streaming its events; the seq it started at is kept until its checkpoint. */
  private async modelStep({ spec, model, toolset, prompt }: LoopRuntime): Promise<ModelStepOutcome> {
    const sections = await prompt();
    this.sql.exec("UPDATE run SET step_started_seq = ? WHERE id = 1", this.log.lastSeq() + 1);
    return runModelStep({
      model,
      system: sections ? `${spec.system}\n\n${sections}` : spec.system,
      messages: this.messages(),
      tools: toolset.tools,
      maxOutputTokens: spec.maxOutputTokens,
      temperature: spec.temperature,
      abortSignal: this.loopAbort!.signal,
      emit: (event) => this.append(event),
    });
  }

  /** Checkpoint: the assistant message, the requested calls, usage and output — in one transaction. */
  private checkpoint(step: number, outcome: ModelStepOutcome): void {
    this.ctx.storage.transactionSync(() => {
      for (const message of outcome.responseMessages) this.insertMessage(step, message);
      outcome.toolCalls.forEach((call, ord) => {
        this.sql.exec(
          "INSERT OR IGNORE INTO tool_calls (id, step, ord, name, input, status, invalid_reason, started_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
          call.id,
          step,
          ord,
          call.name,
          JSON.stringify(call.input),
          call.invalidReason ?? null,
          nowIso(),
        );
      });
      this.sql.exec(
        "UPDATE run SET step = ?, output = output || ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, step_started_seq = NULL WHERE id = 1",
        step,
        outcome.text,
        outcome.usage.inputTokens,
        outcome.usage.outputTokens,
      );
    });
  }

  /** How a loop that threw ends: waiting (nothing), cancelled, or failed with a code. */
  private async endLoopWith(error: unknown): Promise<void> {
    if (error instanceof WaitingForInput) return;
    if (error instanceof Cancelled || this.row()?.cancel_requested) {
      await this.finish("cancelled", { code: "cancelled", message: "The execution was cancelled." });
    } else if (error instanceof RunFailure) {
      await this.finish("failed", { code: error.code, message: error.message });
    } else if (error instanceof ModelCallError) {
      await this.finish("failed", { code: "model_error", message: error.message });
    } else {
      this.logError("the run failed unexpectedly", error);
      await this.finish("failed", { code: "internal_error", message: "The run failed unexpectedly." });
    }
  }

  /** Runs `calls` in order through the one invoke path, recording each result before the next starts, then writes the tool message. */
  private async runToolCalls(step: number, calls: ToolCallRow[], runtime: LoopRuntime): Promise<void> {
    for (const row of calls) {
      if (this.row()!.cancel_requested) throw new Cancelled();
      const call: RequestedToolCall = {
        id: row.id,
        name: row.name,
        input: JSON.parse(row.input) as Record<string, unknown>,
        ...(row.invalid_reason ? { invalidReason: row.invalid_reason } : {}),
      };
      if (call.name === ASK_USER_TOOL && !call.invalidReason && runtime.toolset.get(ASK_USER_TOOL)) {
        const asked = askUserInput.safeParse(call.input);
        if (asked.success) {
          await this.waitForInput(call.id, asked.data.prompt);
          throw new WaitingForInput();
        }
      }
      this.sql.exec("UPDATE tool_calls SET status = 'running' WHERE id = ?", row.id);
      const outcome = await invokeTool(runtime.toolset, call, runtime.toolCtx, runtime.hooks);
      this.sql.exec(
        "UPDATE tool_calls SET status = ?, output = ?, error = ?, completed_at = ?, duration_ms = ? WHERE id = ?",
        outcome.success ? "completed" : "failed",
        outcome.output ? JSON.stringify(outcome.output) : null,
        outcome.error ?? null,
        nowIso(),
        outcome.durationMs,
        row.id,
      );
      this.append({
        type: "tool_result",
        id: row.id,
        success: outcome.success,
        ...(outcome.output ? { output: outcome.output } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
    }
    const results = this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM tool_calls WHERE step = ? ORDER BY ord", step)
      .toArray()
      .map((r) => {
        const tc = r as unknown as ToolCallRow;
        return {
          call: { id: tc.id, name: tc.name, input: JSON.parse(tc.input) as Record<string, unknown> },
          outcome: {
            success: tc.status === "completed",
            ...(tc.output ? { output: JSON.parse(tc.output) as Record<string, unknown> } : {}),
            ...(tc.error ? { error: tc.error } : {}),
          },
        };
      });
    this.insertMessage(step, toolResultMessage(results));
  }

  private async finish(status: RunStatus, failure?: { code: string; message: string }): Promise<void> {
    const before = this.row();
    if (!before || TERMINAL.includes(before.status) || this.finishing) return;
    this.finishing = true;
    try {
      // Before the terminal event goes out: whoever sees the run end (a chat reply, the next request's
      // budget check) sees its tokens counted. Idempotent per execution, so a redone finish is harmless.
      await this.recordRunUsage(before);
      await this.finishRecorded(status, failure);
    } finally {
      this.finishing = false;
    }
    // A run that stopped (cancelled, failed) takes the runs it delegated with it.
    if (status !== "completed") await this.cancelChildren(JSON.parse(before.spec) as RunSpec);
  }

  /** Cancels the delegated runs (subagent tasks) still going; logged, never fatal. */
  private async cancelChildren(spec: RunSpec): Promise<void> {
    try {
      await cancelChildExecutions({ ctx: this.services(spec), input: { executionId: spec.executionId } });
    } catch (error) {
      this.logError("cancelling delegated runs failed", error);
    }
  }

  /** Writes the run's ledger row (tokens so far) for `spec.metering`; a failure is logged, never fatal. */
  private async recordRunUsage(row: RunRow): Promise<void> {
    const spec = JSON.parse(row.spec) as RunSpec;
    if (!spec.metering) return;
    try {
      await recordUsage({
        ctx: { db: createDb(this.env.DB) },
        input: {
          orgId: spec.orgId,
          subject: spec.metering.subject,
          surface: spec.metering.surface,
          executionId: spec.executionId,
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
        },
      });
    } catch (error) {
      this.logError("recording usage failed", error);
    }
  }

  private async finishRecorded(status: RunStatus, failure?: { code: string; message: string }): Promise<void> {
    const row = this.row();
    if (!row || TERMINAL.includes(row.status)) return;
    const completedAt = nowIso();
    const spec = JSON.parse(row.spec) as RunSpec;
    this.closeOpenToolCalls(status, completedAt);
    if (status === "completed") {
      this.emitProgress(spec, row.step, "completed", true);
      this.append({ type: "done", usage: { ...this.usageOf(row), duration_ms: Date.parse(completedAt) - Date.parse(row.started_at) } });
    } else if (failure) {
      this.append({ type: "error", code: failure.code, message: failure.message, recoverable: false });
    }
    this.sql.exec(
      "UPDATE run SET status = ?, completed_at = ?, error_code = ?, error_message = ?, sealed_api_key = NULL, pending_input = NULL, step_started_seq = NULL WHERE id = 1",
      status,
      completedAt,
      failure?.code ?? null,
      failure?.message ?? null,
    );
    this.memoryApiKey = undefined;
    const done = this.row()!;
    await this.updateIndex({
      status,
      completedAt,
      usage: this.usageOf(done),
      errorCode: failure?.code ?? null,
      artifactsCount: this.artifactCount(),
      progress: done.progress ? (JSON.parse(done.progress) as ProgressJson) : null,
    });
    await this.schedules.clear("loop", "lease", "input");
    await this.schedules.set("purge", Date.parse(completedAt) + STREAM_RETENTION_MS);
    this.planStore.closeStreams();
    this.ctx.waitUntil(
      executionFinished(this.services(spec), spec, {
        status: status as "completed" | "failed" | "cancelled",
        completedAt,
        usage: this.usageOf(done),
        artifacts: (await this.artifacts()).map(({ id, name, mime_type, size_bytes }) => ({ id, name, mime_type, size_bytes })),
        error: failure,
      }),
    );
    await this.forwarding;
  }

  /**
   * Tool calls still pending or running when the run ends (a cancel mid-call, a call the model made to no
   * tool) end as failed, with their `tool_result`, so no finished run shows a call still running.
   */
  private closeOpenToolCalls(status: RunStatus, completedAt: string): void {
    const open = this.sql
      .exec<{ id: string; started_at: string }>(
        "SELECT id, started_at FROM tool_calls WHERE status IN ('pending', 'running') ORDER BY step, ord",
      )
      .toArray();
    for (const call of open) {
      const error =
        status === "cancelled"
          ? "cancelled: the run was cancelled before this call finished"
          : `not_run: the run ended (${status}) without running this call to its end`;
      this.sql.exec(
        "UPDATE tool_calls SET status = 'failed', error = ?, completed_at = ?, duration_ms = ? WHERE id = ?",
        error,
        completedAt,
        Math.max(0, Date.parse(completedAt) - Date.parse(call.started_at)),
        call.id,
      );
      this.append({ type: "tool_result", id: call.id, success: false, error });
    }
  }

  // ---------------------------------------------------------------- input

  private pendingInput(row: RunRow): PendingInput | null {
    return row.pending_input ? (JSON.parse(row.pending_input) as PendingInput) : null;
  }

  /** Records the question (once) and arms the input deadline. The run holds nothing while it waits. */
  private async waitForInput(toolCallId: string, prompt: string): Promise<void> {
    const row = this.row()!;
    if (this.pendingInput(row)?.toolCallId === toolCallId) return;
    const spec = JSON.parse(row.spec) as RunSpec;
    const askedAt = Date.now();
    const pending: PendingInput = {
      toolCallId,
      prompt,
      askedAt: new Date(askedAt).toISOString(),
      deadline: new Date(askedAt + spec.inputTimeoutSeconds * 1000).toISOString(),
    };
    this.sql.exec("UPDATE run SET pending_input = ? WHERE id = 1", JSON.stringify(pending));
    this.sql.exec("UPDATE tool_calls SET status = 'running' WHERE id = ?", toolCallId);
    this.append({
      type: "progress",
      percentage: this.currentPercentage(),
      step: `waiting for input: ${prompt}`,
      step_number: row.step,
      total_steps: spec.maxSteps,
    });
    await this.schedules.clear("lease", "loop");
    await this.schedules.set("input", Date.parse(pending.deadline));
  }

  /** Resolves the pending question with an answer or a failure, as the `ask_user` tool result. */
  private answerInput(
    pending: PendingInput,
    outcome: { success: true; output: Record<string, unknown> } | { success: false; error: string },
  ): void {
    const started = this.sql
      .exec<{ started_at: string }>("SELECT started_at FROM tool_calls WHERE id = ?", pending.toolCallId)
      .toArray()[0];
    this.sql.exec(
      "UPDATE tool_calls SET status = ?, output = ?, error = ?, completed_at = ?, duration_ms = ? WHERE id = ?",
      outcome.success ? "completed" : "failed",
      outcome.success ? JSON.stringify(outcome.output) : null,
      outcome.success ? null : outcome.error,
      nowIso(),
      started ? Date.now() - Date.parse(started.started_at) : null,
      pending.toolCallId,
    );
    this.sql.exec("UPDATE run SET pending_input = NULL WHERE id = 1");
    this.append({
      type: "tool_result",
      id: pending.toolCallId,
      success: outcome.success,
      ...(outcome.success ? { output: outcome.output } : { error: outcome.error }),
    });
  }

  private currentPercentage(): number {
    const progress = this.row()?.progress;
    return progress ? (JSON.parse(progress) as ProgressJson).percentage : 0;
  }

  // ---------------------------------------------------------------- events and observers

  /** Appends one event to the log (subscribers get it at once) and queues it for the observers. */
  private append(event: ExecutionEvent): void {
    const logged = this.log.append(event);
    if (this.observers().length > 0) this.forward(logged);
  }

  /** The objects following this run: the spec's, or — for runs started before observers existed — its session. */
  private observers(): RunObserverRef[] {
    if (!this.observerRefs) {
      const spec = JSON.parse(this.row()!.spec) as RunSpec;
      this.observerRefs = spec.observers ?? (spec.sessionId ? [{ binding: "SESSION", name: spec.sessionId }] : []);
    }
    return this.observerRefs;
  }

  /** Queues `logged` for the observers; one delivery at a time keeps the order. */
  private forward(logged: LoggedEvent<ExecutionEvent>): void {
    this.forwardQueue.push(logged);
    this.forwarding ??= this.flushForward();
  }

  private async flushForward(): Promise<void> {
    try {
      while (this.forwardQueue.length > 0) {
        const batch = this.forwardQueue.splice(0);
        const executionId = this.row()!.execution_id;
        for (const ref of this.observers()) {
          try {
            await observerStub(this.env, ref).runEvents(executionId, batch);
          } catch (error) {
            // An observer reconciles a finished run from its summary; log and go on.
            this.logError("event delivery to an observer failed", error, { observer: ref.name });
          }
        }
      }
    } finally {
      this.forwarding = undefined;
    }
  }

  private purgeLogIfDue(row: RunRow): void {
    const due = Date.parse(row.completed_at ?? row.started_at) + STREAM_RETENTION_MS;
    if (Date.now() < due) {
      void this.schedules.set("purge", due);
      return;
    }
    this.ctx.storage.transactionSync(() => {
      this.log.purge();
      this.planStore.purgeEvents();
      this.sql.exec("DELETE FROM messages");
      this.sql.exec("UPDATE run SET events_purged = 1 WHERE id = 1");
    });
  }

  // ---------------------------------------------------------------- helpers

  /** The service context the run's verbs act with: an internal principal of the run's organization. */
  private services(spec: RunSpec): AuthedContext {
    return internalServiceContext(this.env, {
      orgId: spec.orgId,
      subject: `execution:${spec.executionId}`,
      log: { execution_id: spec.executionId },
    });
  }

  private logError(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
    const row = this.row();
    const spec = row ? (JSON.parse(row.spec) as RunSpec) : undefined;
    (spec ? this.services(spec).log : internalServiceContext(this.env, { orgId: "unknown", subject: "execution" }).log).error(msg, {
      where: "ExecutionRun",
      error,
      ...fields,
    });
  }

  private row(): RunRow | undefined {
    return this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM run WHERE id = 1").toArray()[0] as RunRow | undefined;
  }

  private insertMessage(step: number, message: ModelMessage): void {
    this.sql.exec("INSERT INTO messages (step, json) VALUES (?, ?)", step, JSON.stringify(message));
  }

  private messages(): ModelMessage[] {
    return this.sql
      .exec<{ json: string }>("SELECT json FROM messages ORDER BY idx")
      .toArray()
      .map((r) => JSON.parse(r.json) as ModelMessage);
  }

  private lastMessageRole(): string | undefined {
    const last = this.sql.exec<{ json: string }>("SELECT json FROM messages ORDER BY idx DESC LIMIT 1").toArray()[0];
    return last ? (JSON.parse(last.json) as ModelMessage).role : undefined;
  }

  /**
   * The calls of `step` still without a result, when the step is open — it asked for tools and their
   * tool message is not written yet (it is appended once every call has a result). `undefined` when the
   * step is closed; an empty list when only the tool message is missing.
   */
  private openToolCalls(step: number): ToolCallRow[] | undefined {
    if (step === 0) return undefined;
    const rows = this.sql
      .exec<Record<string, SqlStorageValue>>("SELECT * FROM tool_calls WHERE step = ? ORDER BY ord", step)
      .toArray() as unknown as ToolCallRow[];
    if (rows.length === 0 || this.lastMessageRole() === "tool") return undefined;
    return rows.filter((r) => r.status === "pending" || r.status === "running");
  }

  private usageOf(row: RunRow) {
    return { input_tokens: row.input_tokens, output_tokens: row.output_tokens, total_tokens: row.input_tokens + row.output_tokens };
  }

  private artifactCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM artifacts").one().n;
  }

  private emitProgress(spec: RunSpec, step: number, label: string, final = false): void {
    // With a plan, progress is the plan's: tasks completed of tasks planned.
    const planned = final ? null : this.planStore.progress();
    const total = planned ? planned.total : final ? Math.max(step, 1) : spec.maxSteps;
    const done = planned ? planned.completed : step;
    const percentage = final ? 100 : planned ? Math.round((done / total) * 100) : Math.min(95, Math.round((step / spec.maxSteps) * 100));
    const progress: ProgressJson = { percentage, current_step: label, steps_completed: done, steps_total: total };
    this.sql.exec("UPDATE run SET progress = ? WHERE id = 1", JSON.stringify(progress));
    this.append({ type: "progress", percentage, step: label, step_number: done, total_steps: total });
    if (!final) void this.updateIndex({ progress }).catch(() => {});
  }

  /** The plan changed: while the run goes on, a `progress` event reports it (tasks completed of tasks planned). */
  private planChanged(plan: PlanProgress): void {
    const row = this.row();
    if (!row || TERMINAL.includes(row.status) || plan.total === 0) return;
    const label = plan.current ? `plan: ${plan.current}` : `plan: ${plan.completed} of ${plan.total} tasks completed`;
    this.emitProgress(JSON.parse(row.spec) as RunSpec, row.step, label);
  }

  private async recordArtifact(spec: RunSpec, written: WrittenFile): Promise<void> {
    const file = { ...written, path: written.path.replace(/^\/+/, "") };
    const existing = this.sql.exec<{ id: string }>("SELECT id FROM artifacts WHERE path = ?", file.path).toArray()[0];
    const id = existing?.id ?? newId("artifact");
    const key = artifactKey(spec.orgId, spec.harnessId, spec.executionId, id);
    const source = await this.env.BUCKET.get(`${spec.workspacePrefix}${file.path}`);
    if (!source) return;
    await this.env.BUCKET.put(key, await source.arrayBuffer(), { httpMetadata: { contentType: file.mime_type } });
    const name = file.path.split("/").pop() ?? file.path;
    this.sql.exec(
      "INSERT INTO artifacts (id, path, name, mime_type, size_bytes, r2_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size_bytes = excluded.size_bytes, mime_type = excluded.mime_type",
      id,
      file.path,
      name,
      file.mime_type,
      file.size_bytes,
      key,
      nowIso(),
    );
    this.append({ type: "artifact", id, name, mime_type: file.mime_type, size_bytes: file.size_bytes });
  }

  private async apiKeyFor(spec: RunSpec): Promise<string | undefined> {
    if (spec.model.keySource === "deployment") return deploymentCredential(spec.model.provider, getConfig(this.env)).apiKey;
    if (spec.model.keySource === "none") return undefined;
    if (this.memoryApiKey) return this.memoryApiKey;
    const sealed = this.row()?.sealed_api_key;
    const key = getConfig(this.env).credentialsEncryptionKey;
    if (!sealed || !key) return undefined;
    return openString(await importAesKey(key), sealed, spec.executionId);
  }

  /** Writes `patch` into the run's D1 index row, creating the row if the starter's insert has not landed yet. */
  private async updateIndex(patch: Partial<typeof executions.$inferInsert>): Promise<void> {
    const spec = JSON.parse(this.row()!.spec) as RunSpec;
    await createDb(this.env.DB)
      .insert(executions)
      .values({ ...indexRow(spec), ...patch })
      .onConflictDoUpdate({ target: executions.id, set: patch });
  }

  private toSummary(row: RunRow): RunSummary {
    return {
      executionId: row.execution_id,
      status: row.status,
      output: row.output,
      usage: this.usageOf(row),
      progress: row.progress ? (JSON.parse(row.progress) as ProgressJson) : null,
      artifactsCount: this.artifactCount(),
      startedAt: row.started_at,
      completedAt: row.completed_at,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      eventsPurged: row.events_purged === 1,
      lastSeq: this.log.lastSeq(),
      durationMs: row.completed_at ? Date.parse(row.completed_at) - Date.parse(row.started_at) : null,
      waitingForInput: this.pendingInput(row),
    };
  }

  private toToolCall(r: ToolCallRow): ToolCallRecord {
    return {
      id: r.id,
      name: r.name,
      input: JSON.parse(r.input) as JsonObject,
      ...(r.output ? { output: JSON.parse(r.output) as JsonObject } : {}),
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
      started_at: r.started_at,
      ...(r.completed_at ? { completed_at: r.completed_at } : {}),
      ...(r.duration_ms !== null ? { duration_ms: r.duration_ms } : {}),
    };
  }
}

/** The observer `ref` names, through its namespace binding (no import of the observer's code). */
function observerStub(env: Env, ref: RunObserverRef): RunObserver {
  const ns = env[ref.binding] as unknown as DurableObjectNamespace;
  return ns.get(ns.idFromName(ref.name)) as unknown as RunObserver;
}
