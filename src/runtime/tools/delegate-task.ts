/**
 * `delegate_task`: hands a task to one of the organization's native harnesses (optionally as one of its
 * agents — a "specialist"), waits a bounded time for the result and returns it for the model to fold
 * into its answer. The delegated run is an ordinary execution of the run's organization (listed,
 * streamable), started through `startExecution` with the run's own metering: it is not charged as a
 * new request (the request that led here was), and its tokens are recorded for the same subject.
 *
 * Safety: the target is resolved in the run's organization only (another organization's harness is
 * "not found"); a harness that can itself delegate (it has the `delegate_task` ref, e.g. the assistant
 * or a copy of it) is refused, so delegation never recurses.
 */
import { z } from "zod";
import { executionRunStub } from "../../../durable-objects/execution-run/execution-run.client.ts";
import type { RunSummary } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import { startExecution } from "../../services/executions/start.ts";
import { mergedCapabilityRefs, parentChain } from "../../services/harnesses/chain.ts";
import { findHarness } from "../../services/harnesses/find.ts";
import { asTool, requireOrg } from "./org-insights.ts";
import { defineTool, ToolError } from "./types.ts";

/** Name of the capability ref (and of its one tool). */
export const DELEGATE_TASK_REF = "delegate_task";
/** Longest a delegation waits for the specialist's result, in seconds (then it reports the run as running). */
export const MAX_DELEGATE_WAIT_SECONDS = 60;
/** Interval between two reads of the delegated run's summary while waiting, in milliseconds. */
export const DELEGATE_POLL_INTERVAL_MS = 250;
/** Longest task handed over, in characters. */
export const MAX_DELEGATED_TASK_CHARS = 20_000;

const FINISHED = new Set(["completed", "failed", "cancelled"]);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/**
 * delegate_task — `{harness_id, agent_id?, task, wait_seconds?}` → `{execution_id, harness_id, agent_id,
 * status, finished, output, error}`: `output` is the specialist's answer once `finished`; when the run
 * outlives `wait_seconds` (default and most {@link MAX_DELEGATE_WAIT_SECONDS}) `status` is still
 * `running` and the execution can be followed by its id.
 * @throws ToolError `harness_not_found`, `agent_not_found`, `delegation_refused` (the target delegates
 *   itself), `capability_not_supported` (a registry-only harness), `model_not_available`, …
 */
export const delegateTaskTool = defineTool({
  name: DELEGATE_TASK_REF,
  description:
    "Hand a task to one of this organization's harnesses (optionally as one of its agents) and wait for its answer. Use it when a specialist fits the task; fold its answer into yours and say who did the work.",
  inputSchema: z.object({
    harness_id: z.string().min(1).max(200).describe("The harness to hand the task to (its id, from list_harnesses)."),
    agent_id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("One of the harness's agents to run the task as (id or slug, from list_agents)."),
    task: z
      .string()
      .min(1)
      .max(MAX_DELEGATED_TASK_CHARS)
      .describe("The task, written so the specialist can do it without the conversation."),
    wait_seconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_DELEGATE_WAIT_SECONDS)
      .default(MAX_DELEGATE_WAIT_SECONDS)
      .describe(`How long to wait for the answer (1–${MAX_DELEGATE_WAIT_SECONDS} seconds).`),
  }),
  async execute(input, ctx) {
    const org = requireOrg(ctx);
    const services = org.services;
    const harness = await asTool(() => findHarness({ ctx: services, input: { ref: input.harness_id } }));
    const refs = mergedCapabilityRefs(harness, await parentChain(services, harness));
    if (refs.some((r) => r.ref === DELEGATE_TASK_REF)) {
      throw new ToolError(
        "delegation_refused",
        `${harness.slug} delegates tasks itself; hand tasks only to specialists (harnesses without ${DELEGATE_TASK_REF}).`,
      );
    }
    const started = await asTool(() =>
      startExecution({
        ctx: services,
        input: {
          ref: harness.id,
          operationId: "execution.run",
          body: { message: input.task, ...(input.agent_id ? { agent_id: input.agent_id } : {}) },
          metering: { subject: org.subject, surface: org.surface, charged: true },
        },
      }),
    );
    const run = executionRunStub(services.env, started.executionId);
    const deadline = Date.now() + input.wait_seconds * 1000;
    let summary: RunSummary | null = await run.summary();
    while (!(summary && FINISHED.has(summary.status)) && Date.now() < deadline) {
      await sleep(DELEGATE_POLL_INTERVAL_MS, ctx.abortSignal);
      summary = await run.summary();
    }
    const status = summary?.status ?? "pending";
    return {
      execution_id: started.executionId,
      harness_id: harness.slug,
      agent_id: input.agent_id ?? null,
      status,
      finished: FINISHED.has(status),
      output: summary?.output ?? "",
      error: summary?.errorMessage ?? null,
    };
  },
});
