/**
 * The contract between the Worker and an `ExecutionRun` Durable Object: what `start` receives and
 * what the read methods return. Plain JSON-serialisable shapes (they cross the RPC boundary).
 */
import type { AgentConfigJson, CapabilityRef, ProgressJson, UsageJson } from "../../src/db/schema.ts";
import type { ProviderName } from "../../src/runtime/models/providers.ts";
import type { JsonObject } from "../../src/lib/json.ts";
import type { ExecutionEvent } from "../../src/runtime/events.ts";
import type { LoggedEvent } from "../lib/event-log.ts";
import type { UsageSurface } from "../../src/services/context.ts";
import type { Plan, PlanChange, PlanOutcome, PlanTask, PlanTaskPatch } from "./plan.ts";

/** Where the run's model key comes from: re-read from deployment secrets, or handed over sealed. */
export type KeySource = "deployment" | "handed" | "none";

/** Who a run's usage is recorded for: the subject it was charged to and the surface it came through. */
export interface RunMetering {
  /** User id or API key id (for a session turn: the session's owner). */
  subject: string;
  surface: UsageSurface;
}

/** A {@link RunMetering} handed to `startExecution`, saying whether the request was already charged. */
export interface ChargedMetering extends RunMetering {
  /** True when the request that led to the run was charged already (the run must not be charged again). */
  charged: boolean;
}

/**
 * A Durable Object that follows a run's events (a session relaying its turn to WebSockets; later a
 * parent run following a subagent): named by binding and object name so this module never imports
 * the observer's code.
 */
export interface RunObserverRef {
  /** The namespace binding of the observer's class (e.g. `SESSION`). */
  binding: "SESSION";
  /** `idFromName` name of the observer object. */
  name: string;
}

/** What an observer implements: the run's events in order, in batches. */
export interface RunObserver {
  runEvents(executionId: string, events: LoggedEvent<ExecutionEvent>[]): Promise<void>;
}

/** Everything a run needs, fixed when it starts. Contains no plaintext secret except `apiKey` (sealed at rest). */
export interface RunSpec {
  executionId: string;
  orgId: string;
  harnessId: string;
  harnessSlug: string;
  agentId: string | null;
  sessionId: string | null;
  /** The task, 1–100000 characters. */
  message: string;
  /** The stacked system prompt (harness chain, agent instructions, request system_prompt). */
  system: string;
  model: { modelId: string; provider: ProviderName; model: string; baseUrl?: string; keySource: KeySource };
  /** Provider key when `keySource` is `handed` (stored or inline credentials). Sealed before it is written. */
  apiKey?: string;
  toolRefs: CapabilityRef[];
  /** The agent's tool patterns; `only`: a further allow list every tool must also match (a subagent's tool subset). */
  toolsAccess?: AgentConfigJson["tools_access"] & { only?: string[] };
  /** Skill ids the execute request enabled, beside the agent's and the harness's (absent: none). */
  skills?: string[];
  /** Upper bound on model steps (model calls). */
  maxSteps: number;
  temperature?: number;
  maxOutputTokens?: number;
  /** Earlier turns of the session this run continues (oldest first), put before `message`. */
  history?: { role: "user" | "assistant"; content: string }[];
  /** How long an `ask_user` question waits for an answer, in seconds. */
  inputTimeoutSeconds: number;
  /** R2 key prefix of the harness workspace the file tools act on. */
  workspacePrefix: string;
  /** ISO 8601 start time (the index row's `started_at`). */
  startedAt: string;
  /** Whom `finish()` writes the usage ledger row for; absent on runs started before metering existed. */
  metering?: RunMetering;
  /** Objects that receive every event of the run (absent on runs started before observers existed: then the session, if any). */
  observers?: RunObserverRef[];
  /** The run that delegated this one (a subagent task, a `delegate_task` call), if any. */
  parentExecutionId?: string | null;
  /** The subagent this run is a task of, if any. */
  subagentId?: string | null;
  /** Delegations between this run and the one a client started (0 or absent: none). */
  delegationDepth?: number;
}

export type RunStatus = "pending" | "running" | "completed" | "failed" | "cancelled";

/** The run's summary: what `execution.get` and `execution.result` read. Survives the retention cleanup. */
export interface RunSummary {
  executionId: string;
  status: RunStatus;
  output: string;
  usage: UsageJson;
  progress: ProgressJson | null;
  artifactsCount: number;
  startedAt: string;
  completedAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** True once the event log was removed (retention passed): streams answer 410. */
  eventsPurged: boolean;
  /** Highest `seq` appended so far. */
  lastSeq: number;
  durationMs: number | null;
  /** Set while the run waits for an answer to `ask_user`. */
  waitingForInput: PendingInput | null;
}

/** A question the run is waiting on: the `ask_user` call, its prompt, and when it times out (ISO 8601). */
export interface PendingInput {
  toolCallId: string;
  prompt: string;
  askedAt: string;
  deadline: string;
}

/** Result of `sendInput`: accepted, or why not (`not_waiting` → 409, `finished` → 410). */
export type SendInputOutcome = { accepted: true } | { accepted: false; reason: "not_waiting" | "finished" };

/** Open Harness `DetailedToolCall`. */
export interface ToolCallRecord {
  id: string;
  name: string;
  input: JsonObject;
  output?: JsonObject;
  status: "pending" | "running" | "completed" | "failed";
  error?: string;
  started_at: string;
  completed_at?: string;
  duration_ms?: number;
}

/** An artifact of the run (a workspace file it wrote), with the R2 key of its snapshot. */
export interface ArtifactRecord {
  id: string;
  name: string;
  path: string;
  mime_type: string;
  size_bytes: number;
  r2Key: string;
  created_at: string;
}

/** Result of a cancel request. */
export interface CancelOutcome {
  cancelled: boolean;
  status: RunStatus;
}

/**
 * The RPC surface of an `ExecutionRun` as callers see it (the class implements it). Callers use this
 * interface rather than the runtime's inferred stub types, which cannot express JSON payloads.
 */
export interface ExecutionRunApi {
  /** Starts the run; idempotent. */
  start(spec: RunSpec): Promise<void>;
  /** The run's summary, or `null` when nothing was started in this object. */
  summary(): Promise<RunSummary | null>;
  /** Requests cancellation (best effort). */
  cancel(): Promise<CancelOutcome>;
  /** Answers the pending `ask_user`. */
  sendInput(data: string): Promise<SendInputOutcome>;
  /** Tool calls in call order. */
  toolCalls(): Promise<ToolCallRecord[]>;
  /** Artifacts, oldest first. */
  artifacts(): Promise<ArtifactRecord[]>;
  /** `GET /stream` (SSE) with `Last-Event-ID` or `?after=`; `GET /plan/stream` the plan's events. */
  fetch(request: Request): Promise<Response>;
  /** The run's plan, or `null` when nothing was started in this object. */
  plan(): Promise<Plan | null>;
  /** Changes the plan; `null` when nothing was started in this object. */
  updatePlan(change: PlanChange): Promise<PlanOutcome<Plan> | null>;
  /** Changes one task of the plan; `null` when nothing was started in this object. */
  updatePlanTask(taskId: string, patch: PlanTaskPatch): Promise<PlanOutcome<PlanTask> | null>;
}
