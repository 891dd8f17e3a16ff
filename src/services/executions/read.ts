import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { ArtifactRecord, RunSummary, ToolCallRecord } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findExecution, isFinished, type FoundExecution } from "./find.ts";

type Ref = { ref: string; executionId: string };

/** An execution with its live summary (progress and status straight from its Durable Object). */
export interface ExecutionDetail extends FoundExecution {
  summary: RunSummary | null;
}

/** execution.get — the index row, refreshed from the run while it is in progress. */
export async function getExecution({ ctx, input }: VerbArgs<AuthedContext, Ref>): Promise<ExecutionDetail> {
  const found = await findExecution({ ctx, input });
  const summary = isFinished(found.execution.status) ? null : await executionRunStub(ctx.env, found.execution.id).summary();
  return { ...found, summary };
}

/** Everything `execution.result` returns. */
export interface ExecutionResultDetail extends FoundExecution {
  summary: RunSummary;
  toolCalls: ToolCallRecord[];
  artifacts: ArtifactRecord[];
}

/**
 * execution.result — the final output, tool calls, artifacts and usage.
 * @throws ApiError `execution_running` (409) until the run has finished.
 */
export async function getExecutionResult({ ctx, input }: VerbArgs<AuthedContext, Ref>): Promise<ExecutionResultDetail> {
  const found = await findExecution({ ctx, input });
  const stub = executionRunStub(ctx.env, found.execution.id);
  const summary = await stub.summary();
  if (!summary || !isFinished(summary.status)) {
    throw new ApiError("execution_running", `Execution ${found.execution.id} is still ${summary?.status ?? found.execution.status}.`, {
      retryAfterSeconds: 1,
      actions: [
        {
          rel: "follow",
          hint: "Attach to the stream to follow it.",
          operation_id: "execution.attachStream",
          href: `/v1/harnesses/${found.harness.slug}/executions/${found.execution.id}/stream`,
        },
        { rel: "retry-later", hint: "Poll again after the run finishes.", operation_id: "execution.get" },
      ],
    });
  }
  const [toolCalls, artifacts] = await Promise.all([stub.toolCalls(), stub.artifacts()]);
  return { ...found, summary, toolCalls, artifacts };
}

/** execution.listToolCalls — every tool call of the run, in call order. */
export async function listToolCalls({ ctx, input }: VerbArgs<AuthedContext, Ref>): Promise<ToolCallRecord[]> {
  const found = await findExecution({ ctx, input });
  return executionRunStub(ctx.env, found.execution.id).toolCalls();
}

/** execution.listArtifacts — the files the run wrote. */
export async function listArtifacts({ ctx, input }: VerbArgs<AuthedContext, Ref>): Promise<ArtifactRecord[]> {
  const found = await findExecution({ ctx, input });
  return executionRunStub(ctx.env, found.execution.id).artifacts();
}

/**
 * execution.downloadArtifact — the artifact's bytes from R2 with its metadata.
 * @throws ApiError `artifact_not_found`.
 */
export async function downloadArtifact({
  ctx,
  input,
}: VerbArgs<AuthedContext, Ref & { artifactId: string }>): Promise<{ artifact: ArtifactRecord; body: R2ObjectBody }> {
  const found = await findExecution({ ctx, input });
  const artifact = (await executionRunStub(ctx.env, found.execution.id).artifacts()).find((a) => a.id === input.artifactId);
  const body = artifact ? await ctx.env.BUCKET.get(artifact.r2Key) : null;
  if (!artifact || !body) {
    throw new ApiError("artifact_not_found", `No artifact ${input.artifactId} on execution ${found.execution.id}.`, {
      actions: [
        {
          rel: "list",
          operation_id: "execution.listArtifacts",
          href: `/v1/harnesses/${found.harness.slug}/executions/${found.execution.id}/artifacts`,
        },
      ],
    });
  }
  return { artifact, body };
}
