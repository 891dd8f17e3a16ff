/**
 * The {@link SubagentPort} of the `task` tool: the subagent verbs of `services/subagents/`, bound to the
 * caller's organization — the same checks, metering and cancellation as the API.
 */
import { USAGE_SURFACES, type AuthedContext, type UsageSurface } from "../context.ts";
import type { SubagentPort } from "../../runtime/tools/ports.ts";
import { listSubagents } from "../subagents/list.ts";
import { runSubagentTask } from "../subagents/run-task.ts";
import { asTool } from "./as-tool.ts";

function surfaceOf(surface: string): UsageSurface {
  return (USAGE_SURFACES as readonly string[]).includes(surface) ? (surface as UsageSurface) : "execution";
}

/** The subagent port for `ctx`'s organization. */
export function createSubagentPort(ctx: AuthedContext): SubagentPort {
  return {
    list: (owner) =>
      asTool(async () =>
        (await listSubagents({ ctx, input: { ref: owner.harnessId, agentId: owner.agentId } })).map((s) => ({
          name: s.name,
          description: s.description,
          status: s.status,
        })),
      ),
    runTask: (owner, input) =>
      asTool(async () => {
        const { name, outcome } = await runSubagentTask({
          ctx,
          input: {
            ref: owner.harnessId,
            agentId: owner.agentId,
            subagent: input.subagent,
            task: input.task,
            parent: {
              ...input.parent,
              metering: { subject: input.parent.metering.subject, surface: surfaceOf(input.parent.metering.surface) },
            },
            waitSeconds: input.waitSeconds,
            ...(input.signal ? { signal: input.signal } : {}),
          },
        });
        return {
          subagent: name,
          execution_id: outcome.executionId,
          status: outcome.status,
          finished: outcome.finished,
          output: outcome.output,
          error: outcome.error,
        };
      }),
  };
}
