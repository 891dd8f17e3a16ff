/**
 * `delegate_task`: hands a task to one of the organization's native harnesses (optionally as one of its
 * agents — a "specialist"), waits a bounded time for the result and returns it for the model to fold
 * into its answer. The delegation itself (resolving the target in the run's organization, refusing a
 * target that delegates itself, starting the run under the caller's metering, waiting) is the
 * {@link OrgPort}'s `delegate` verb.
 */
import { z } from "zod";
import { defineTool } from "../define.ts";
import { requireOrg } from "./org-insights.ts";

/** Name of the capability ref (and of its one tool). */
export const DELEGATE_TASK_REF = "delegate_task";
/** Longest a delegation waits for the specialist's result, in seconds (then it reports the run as running). */
export const MAX_DELEGATE_WAIT_SECONDS = 60;
/** Longest task handed over, in characters. */
export const MAX_DELEGATED_TASK_CHARS = 20_000;

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
    const result = await requireOrg(ctx).delegate({
      harness: input.harness_id,
      ...(input.agent_id ? { agent: input.agent_id } : {}),
      task: input.task,
      waitSeconds: input.wait_seconds,
      ...(ctx.abortSignal ? { signal: ctx.abortSignal } : {}),
      ...(ctx.toolCallId ? { toolCallId: ctx.toolCallId } : {}),
    });
    return { ...result };
  },
});
