import { and, eq, sql } from "drizzle-orm";
import { executions, subagents } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { StartedExecution } from "../executions/start.ts";
import { awaitDelegatedRun, childExecutionId, startDelegatedRun, type DelegatedRunOutcome, type DelegatingRun } from "./delegation.ts";
import { subagentInstructions, subagentsPath, type FoundSubagent } from "./store.ts";

/** Longest `context` handed to a subagent with its task, as JSON characters. */
export const MAX_TASK_CONTEXT_CHARS = 20_000;

/** Input of {@link startSubagentTask}. */
export interface StartSubagentTaskInput {
  found: FoundSubagent;
  task: string;
  /** Extra facts for the task (spec `context`), shown to the subagent as JSON in its system prompt. */
  context?: Record<string, unknown>;
  operationId: "subagents.delegate" | "subagents.delegateStream";
  /** The run delegating (the `task` tool); absent when a client delegates. */
  parent?: DelegatingRun;
}

/** The model a delegating run uses (its index row), if any. */
async function runModel(ctx: AuthedContext, executionId: string): Promise<string | undefined> {
  const row = await ctx.db
    .select({ model: executions.model })
    .from(executions)
    .where(and(eq(executions.id, executionId), eq(executions.orgId, ctx.principal.orgId)))
    .get();
  return row?.model;
}

/**
 * Starts a task on a subagent: the subagent is claimed for it in one conditional statement (one task
 * at a time: `status`, `result` and `stream` follow the latest), then its execution starts as a child of
 * the delegator (see `delegation.ts`) with the subagent's instructions, tool subset and model — its own,
 * else the delegating run's (a run started with another model delegates with it), else its agent's. A
 * claim whose start fails is released.
 * @throws ApiError `subagent_busy` (409) while its task runs, and everything `startDelegatedRun` raises.
 */
export async function startSubagentTask({ ctx, input }: VerbArgs<AuthedContext, StartSubagentTaskInput>): Promise<StartedExecution> {
  const { harness, agent, subagent } = input.found;
  const { parent } = input;
  const executionId =
    parent?.executionId && parent.toolCallId ? await childExecutionId(parent.executionId, parent.toolCallId) : newId("execution");
  const model = subagent.model ?? (parent?.executionId ? await runModel(ctx, parent.executionId) : undefined) ?? null;
  // Free when it has no task, its task finished, or the task is this one (a redone tool call).
  const claimed = await ctx.db
    .update(subagents)
    .set({ lastExecutionId: executionId, updatedAt: nowIso() })
    .where(
      and(
        eq(subagents.id, subagent.id),
        eq(subagents.orgId, ctx.principal.orgId),
        sql`(${subagents.lastExecutionId} IS NULL OR ${subagents.lastExecutionId} = ${executionId} OR EXISTS (
          SELECT 1 FROM ${executions} WHERE ${executions.id} = ${subagents.lastExecutionId}
            AND ${executions.status} IN ('completed', 'failed', 'cancelled')))`,
      ),
    )
    .returning({ id: subagents.id });
  if (claimed.length === 0) {
    const running = subagent.lastExecutionId;
    throw new ApiError("subagent_busy", `Subagent ${subagent.name} is running a task (execution ${running}); one task at a time.`, {
      domain: "subagents",
      details: { subagent_id: subagent.id, execution_id: running },
      actions: [
        {
          rel: "follow",
          hint: "Follow the running task.",
          operation_id: "subagents.attachStream",
          href: `${subagentsPath(harness, agent)}/${subagent.id}/stream`,
        },
        {
          rel: "terminate",
          hint: "Or stop it.",
          operation_id: "subagents.terminate",
          href: `${subagentsPath(harness, agent)}/${subagent.id}`,
        },
      ],
      retryAfterSeconds: 1,
    });
  }
  const context = input.context ? `Context from the delegator (JSON):\n${JSON.stringify(input.context, null, 2)}` : undefined;
  try {
    return await startDelegatedRun({
      ctx,
      input: {
        ref: harness.id,
        agentId: agent.id,
        task: input.task,
        ...(context ? { context } : {}),
        operationId: input.operationId,
        ...(parent ? { parent } : {}),
        executionId,
        subagent: { id: subagent.id, instructions: subagentInstructions(subagent), model, tools: subagent.tools },
      },
    });
  } catch (error) {
    await ctx.db
      .update(subagents)
      .set({ lastExecutionId: subagent.lastExecutionId === executionId ? null : subagent.lastExecutionId })
      .where(and(eq(subagents.id, subagent.id), eq(subagents.orgId, ctx.principal.orgId), eq(subagents.lastExecutionId, executionId)));
    throw error;
  }
}

/** A subagent task started by {@link startWaitableSubagentTask}: its execution and the wait for it. */
export interface WaitableSubagentTask {
  executionId: string;
  /** Waits up to the task's `waitSeconds` for it ({@link awaitDelegatedRun}); starts waiting when called. */
  wait(): Promise<DelegatedRunOutcome>;
}

/**
 * Starts a task on a subagent ({@link startSubagentTask}) and hands back the wait for it, up to
 * `waitSeconds` seconds on the subagent's harness: subagents.delegate (a client waits) and the `task`
 * tool (a run waits) both delegate this way. When `signal` aborts during the wait, the task is
 * cancelled and the wait rejects with the signal's reason.
 * @throws ApiError as {@link startSubagentTask}; the wait: as {@link awaitDelegatedRun}.
 */
export async function startWaitableSubagentTask({
  ctx,
  input,
}: VerbArgs<AuthedContext, StartSubagentTaskInput & { waitSeconds: number; signal?: AbortSignal }>): Promise<WaitableSubagentTask> {
  const { waitSeconds, signal, ...task } = input;
  const started = await startSubagentTask({ ctx, input: task });
  return {
    executionId: started.executionId,
    wait: () =>
      awaitDelegatedRun({
        ctx,
        input: {
          ref: input.found.harness.id,
          executionId: started.executionId,
          timeoutMs: waitSeconds * 1000,
          ...(signal ? { signal } : {}),
        },
      }),
  };
}
