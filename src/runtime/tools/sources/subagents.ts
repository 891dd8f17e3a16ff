/**
 * The `subagents` tool source (capability ref `subagents`): the Deep Agents `task` pattern. A run of an
 * agent with subagents gets one `task` tool whose description lists them; a call hands a task to one,
 * which runs as a child execution of this run (its own instructions, model and tool subset; charged to
 * the run's subject and organization) and returns its answer. Through the {@link SubagentPort}.
 *
 * Depth is bounded: a run `max_depth` (ref config, default 1) delegations deep gets no `task` tool, so by
 * default a subagent delegates no further. Config: `{max_depth?: 1–3, wait_seconds?: 1–900}`
 * (`wait_seconds`, default 300: how long a call waits for the task before answering that it goes on).
 */
import { z } from "zod";
import { ToolError, type Tool, type ToolScope, type ToolSource } from "../contract.ts";
import { defineTool } from "../define.ts";
import type { AgentRef, SubagentItem, SubagentPort } from "../ports.ts";

/** The capability ref that enables subagent delegation. */
export const SUBAGENTS_REF = "subagents";
/** The tool's name (Deep Agents). */
export const TASK_TOOL = "task";
/** Delegations deep a run may be and still delegate, unless the ref's `max_depth` says otherwise. */
export const DEFAULT_SUBAGENT_MAX_DEPTH = 1;
/** The most `max_depth` may be. */
export const MAX_SUBAGENT_DEPTH = 3;
/** How long a `task` call waits for the subagent, in seconds, unless the ref's `wait_seconds` says otherwise. */
export const DEFAULT_TASK_WAIT_SECONDS = 300;
/** The most `wait_seconds` may be. */
export const MAX_TASK_WAIT_SECONDS = 900;
/** Longest task handed over, in characters. */
export const MAX_TASK_CHARS = 20_000;

/** `value` when it is a whole number ≥ 1 (capped at `max`), else `fallback`. */
function boundedInt(value: unknown, fallback: number, max: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

/** The ref's config, bounded: `max_depth` 1–3, `wait_seconds` 1–900. */
export function subagentsConfig(scope: Pick<ToolScope, "capabilityRefs">): { maxDepth: number; waitSeconds: number } {
  const config = scope.capabilityRefs.find((r) => r.ref === SUBAGENTS_REF)?.config ?? {};
  return {
    maxDepth: boundedInt(config.max_depth, DEFAULT_SUBAGENT_MAX_DEPTH, MAX_SUBAGENT_DEPTH),
    waitSeconds: boundedInt(config.wait_seconds, DEFAULT_TASK_WAIT_SECONDS, MAX_TASK_WAIT_SECONDS),
  };
}

/** The `task` tool for `subagents` of `owner`, delegating from the run of `scope`. */
export function taskTool(port: SubagentPort, owner: AgentRef, scope: ToolScope, subagents: SubagentItem[]): Tool {
  const names = subagents.map((s) => s.name) as [string, ...string[]];
  const { waitSeconds } = subagentsConfig(scope);
  return defineTool({
    name: TASK_TOOL,
    source: { kind: "subagent", id: SUBAGENTS_REF },
    description: [
      "Hand a self-contained task to one of your subagents and get its answer. The subagent does not see this conversation: write the task with everything it needs. Use it for work a subagent specialises in, or to keep long side work out of your context; fold its answer into yours.",
      "Subagents:",
      ...subagents.map((s) => `- ${s.name}: ${s.description}`),
    ].join("\n"),
    inputSchema: z.object({
      subagent: z.enum(names).describe("Which subagent does the task."),
      task: z.string().min(1).max(MAX_TASK_CHARS).describe("The task, with everything the subagent needs to do it."),
    }),
    async execute(input, ctx) {
      if (!scope.executionId || !scope.metering) {
        throw new ToolError("no_execution", "Subagent tasks are delegated from an execution; this call has none.");
      }
      const result = await port.runTask(owner, {
        subagent: input.subagent,
        task: input.task,
        parent: {
          executionId: scope.executionId,
          depth: scope.delegationDepth ?? 0,
          metering: scope.metering,
          ...(ctx.toolCallId ? { toolCallId: ctx.toolCallId } : {}),
        },
        waitSeconds,
        ...(ctx.abortSignal ? { signal: ctx.abortSignal } : {}),
      });
      if (!result.finished) {
        throw new ToolError(
          "subagent_timeout",
          `${result.subagent} is still working after ${waitSeconds} s (execution ${result.execution_id}); the task goes on, and its result will be at subagents.result.`,
        );
      }
      if (result.status !== "completed") {
        throw new ToolError(
          `subagent_task_${result.status}`,
          `${result.subagent}'s task ${result.status === "cancelled" ? "was cancelled (the subagent was terminated or its run stopped)" : `failed: ${result.error ?? "unknown error"}`} (execution ${result.execution_id}).`,
        );
      }
      return { subagent: result.subagent, execution_id: result.execution_id, status: result.status, output: result.output };
    },
  });
}

/** The subagents source over `port`: the `task` tool for runs of an agent that has subagents, below the depth bound. */
export function subagentToolSource(port: SubagentPort): ToolSource {
  return {
    kind: "subagent",
    async tools(scope) {
      if (!scope.agentId || !scope.capabilityRefs.some((r) => r.ref === SUBAGENTS_REF)) return [];
      if ((scope.delegationDepth ?? 0) >= subagentsConfig(scope).maxDepth) return [];
      const owner = { harnessId: scope.harnessId, agentId: scope.agentId };
      const subagents = await port.list(owner);
      return subagents.length === 0 ? [] : [taskTool(port, owner, scope, subagents)];
    },
  };
}

/** The `task` tool as the capability catalog lists it (one example subagent); runs get theirs from {@link subagentToolSource}. */
export const SUBAGENT_CATALOG_TOOLS: Tool[] = [
  taskTool(
    {
      list: () => Promise.resolve([]),
      runTask: () => Promise.reject(new ToolError("no_subagents", "No subagents here.")),
    },
    { harnessId: "", agentId: "" },
    { orgId: "", harnessId: "", agentId: null, capabilityRefs: [] },
    [{ name: "researcher", description: "(your agent's subagents are listed here)", status: "idle" }],
  ),
];
