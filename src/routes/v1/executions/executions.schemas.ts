import { z } from "@hono/zod-openapi";
import type { ArtifactRecord, RunSummary, ToolCallRecord } from "../../../../durable-objects/execution-run/execution-run.protocol.ts";
import { PaginationQuery, paginated, UsageSchema } from "../../../openapi/schemas.ts";
import type { ExecutionRow } from "../../../services/executions/find.ts";
import type { ExecutionResultDetail } from "../../../services/executions/read.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import { MAX_INPUT_CHARS, MAX_MESSAGE_CHARS, MAX_MODEL_ID_CHARS, MAX_SYSTEM_PROMPT_CHARS } from "../../../lib/limits.ts";

export const ExecutionStatus = z.enum(["pending", "running", "completed", "failed", "cancelled"]).openapi("ExecutionStatus");

export const ExecutionParams = HarnessIdParam.extend({
  executionId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "executionId", in: "path" }, example: "exec_0193…" }),
});

export const ArtifactParams = ExecutionParams.extend({
  artifactId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "artifactId", in: "path" } }),
});

export const ExecuteRequest = z
  .object({
    message: z.string().min(1).max(MAX_MESSAGE_CHARS).openapi({ description: "The task / prompt (1–100000 characters)." }),
    agent_id: z.string().min(1).max(100).optional(),
    skills: z.array(z.string().min(1).max(100)).max(50).optional(),
    model: z
      .string()
      .min(1)
      .max(MAX_MODEL_ID_CHARS)
      .optional()
      .openapi({ description: "provider/model, e.g. anthropic/claude-sonnet-4-5, openai-compatible/llama3.2, scripted/echo." }),
    max_tokens: z.number().int().min(1).max(200_000).optional(),
    temperature: z.number().min(0).max(1).optional(),
    system_prompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).optional(),
    session_id: z.string().min(1).max(100).optional(),
    harness_credentials: z
      .object({ api_key: z.string().min(1).max(1000).optional(), base_url: z.url().max(2048).optional() })
      .strict()
      .optional()
      .openapi({ description: "Provider credentials for this run only (route guide); used, never stored or echoed." }),
  })
  .strict()
  .openapi("ExecuteRequest");

export const ExecuteAccepted = z
  .object({ execution_id: z.string(), status: ExecutionStatus, stream_url: z.string() })
  .openapi("ExecuteAccepted");

const Progress = z
  .object({ percentage: z.number(), current_step: z.string(), steps_completed: z.number().int(), steps_total: z.number().int() })
  .openapi("ExecutionProgress");

export const ExecutionSchema = z
  .object({
    id: z.string(),
    harness_id: z.string(),
    status: ExecutionStatus,
    progress: Progress.optional(),
    started_at: z.string(),
    completed_at: z.string().optional(),
    artifacts_count: z.number().int(),
    agent_id: z.string().nullable(),
    session_id: z.string().nullable(),
    model: z.string().openapi({ description: "The model the run uses; `scripted/…` marks the deterministic scripted model." }),
    message: z.string().openapi({ description: "First 500 characters of the task." }),
    usage: UsageSchema.nullable(),
    error_code: z.string().nullable(),
    waiting_for_input: z
      .object({ prompt: z.string(), asked_at: z.string(), deadline: z.string() })
      .nullable()
      .openapi({ description: "Set while the run waits for an answer (execution.sendInput / WebSocket stdin)." }),
    parent_execution_id: z
      .string()
      .nullable()
      .openapi({ description: "The run that delegated this one (a subagent task or a delegate_task call), if any." }),
    subagent_id: z.string().nullable().openapi({ description: "The subagent this run is a task of, if any." }),
  })
  .openapi("Execution");

export const ExecutionEnvelope = z.object({ execution: ExecutionSchema }).openapi("ExecutionResponse");
export const ExecutionPage = paginated(ExecutionSchema, "ExecutionPage");
export const ListExecutionsQuery = PaginationQuery.extend({
  status: ExecutionStatus.optional(),
  agent_id: z.string().min(1).max(100).optional(),
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only executions started at or after this time (ISO 8601)." }),
  parent_execution_id: z.string().min(1).max(64).optional().openapi({ description: "Only the runs this execution delegated." }),
  subagent_id: z.string().min(1).max(64).optional().openapi({ description: "Only the tasks of this subagent." }),
});

export const ArtifactSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    mime_type: z.string(),
    size_bytes: z.number().int(),
    path: z.string(),
    created_at: z.string(),
  })
  .openapi("ArtifactSummary");

const ToolCallSummary = z
  .object({ id: z.string(), name: z.string(), success: z.boolean(), duration_ms: z.number().int(), status: z.string() })
  .openapi("ToolCallSummary");

export const DetailedToolCall = z
  .object({
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    output: z.record(z.string(), z.unknown()).optional(),
    status: z.enum(["pending", "running", "completed", "failed"]),
    error: z.string().optional(),
    started_at: z.string(),
    completed_at: z.string().optional(),
    duration_ms: z.number().int().optional(),
  })
  .openapi("DetailedToolCall");

export const ExecutionResult = z
  .object({
    execution_id: z.string(),
    status: ExecutionStatus,
    output: z.string(),
    artifacts: z.array(ArtifactSummary),
    tool_calls: z.array(ToolCallSummary),
    usage: UsageSchema,
    error: z.string().optional(),
    started_at: z.string(),
    completed_at: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi("ExecutionResult");

export const SendInputRequest = z
  .object({ data: z.string().max(MAX_INPUT_CHARS).openapi({ description: 'The answer (stdin text), e.g. "yes\\n".' }) })
  .strict()
  .openapi("SendInputRequest");
export const SendInputResponse = z.object({ accepted: z.boolean() }).openapi("SendInputResponse");

export const CancelResponse = z.object({ execution: ExecutionSchema, cancelled: z.boolean() }).openapi("CancelResponse");
export const ToolCallsResponse = z.object({ tool_calls: z.array(DetailedToolCall) }).openapi("ToolCallsResponse");
export const ArtifactsResponse = z.object({ artifacts: z.array(ArtifactSummary) }).openapi("ArtifactsResponse");
export const ResultEnvelope = z.object({ result: ExecutionResult }).openapi("ExecutionResultResponse");

/** The Open Harness `Execution` view; `summary` (from the run) wins over the index row when present. */
export function toExecutionView(row: ExecutionRow, harnessSlug: string, summary?: RunSummary | null): z.infer<typeof ExecutionSchema> {
  const status = summary?.status ?? row.status;
  const progress = summary?.progress ?? row.progress;
  const completedAt = summary?.completedAt ?? row.completedAt;
  const usage = summary?.usage ?? row.usage;
  return {
    id: row.id,
    harness_id: harnessSlug,
    status: status as z.infer<typeof ExecutionStatus>,
    ...(progress ? { progress } : {}),
    started_at: row.startedAt,
    ...(completedAt ? { completed_at: completedAt } : {}),
    artifacts_count: summary?.artifactsCount ?? row.artifactsCount,
    agent_id: row.agentId,
    session_id: row.sessionId,
    model: row.model,
    message: row.messagePreview,
    usage: usage ?? null,
    error_code: summary?.errorCode ?? row.errorCode,
    waiting_for_input: summary?.waitingForInput
      ? { prompt: summary.waitingForInput.prompt, asked_at: summary.waitingForInput.askedAt, deadline: summary.waitingForInput.deadline }
      : null,
    parent_execution_id: row.parentExecutionId,
    subagent_id: row.subagentId,
  };
}

/** Artifact metadata as the API shows it (never the R2 key). */
export function toArtifactView(a: ArtifactRecord): z.infer<typeof ArtifactSummary> {
  return { id: a.id, name: a.name, mime_type: a.mime_type, size_bytes: a.size_bytes, path: a.path, created_at: a.created_at };
}

/** Open Harness `ExecutionResult` (with the reference client's extra fields and a `metadata` object). */
export function toResultView(detail: ExecutionResultDetail): z.infer<typeof ExecutionResult> {
  const { summary, execution, harness } = detail;
  return {
    execution_id: execution.id,
    status: summary.status,
    output: summary.output,
    artifacts: detail.artifacts.map(toArtifactView),
    tool_calls: detail.toolCalls.map((t: ToolCallRecord) => ({
      id: t.id,
      name: t.name,
      success: t.status === "completed",
      duration_ms: t.duration_ms ?? 0,
      status: t.status,
    })),
    usage: { ...summary.usage, ...(summary.durationMs !== null ? { duration_ms: summary.durationMs } : {}) },
    ...(summary.errorMessage ? { error: summary.errorMessage } : {}),
    started_at: summary.startedAt,
    ...(summary.completedAt ? { completed_at: summary.completedAt } : {}),
    metadata: {
      harness_id: harness.slug,
      agent_id: execution.agentId,
      model: execution.model,
      scripted: execution.model.startsWith("scripted/"),
      error_code: summary.errorCode,
      duration_ms: summary.durationMs,
    },
  };
}
