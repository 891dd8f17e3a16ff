/**
 * The MCP tools: the assistant (`chat_with_assistant`), the caller's identity (`get_identity`) and the
 * harness itself (`list_harnesses`, `list_agents`, `run_task`, `get_execution`).
 *
 * Every tool acts as the authenticated principal in its one organization (the service verbs filter
 * every query by `ctx.principal.orgId`, so another organization's harness is simply not found), is
 * charged to the organization's limits before it does anything, and reports failures as MCP tool
 * errors (`isError: true`, MCP spec "Tools › Error Handling") with text saying what to do next —
 * never as protocol errors, which a model cannot see or act on. Results carry `structuredContent`
 * matching the tool's `outputSchema` plus the same JSON as text (MCP spec "Structured Content").
 */
import type { CallToolResult, McpServer, ToolAnnotations } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { RunSummary } from "../../../durable-objects/execution-run/execution-run.protocol.ts";
import { ApiError } from "../../errors/api-error.ts";
import { listAgents } from "../../services/agents/list.ts";
import { chatWithAssistant, MAX_CHAT_MESSAGE_CHARS } from "../../services/chat/chat.ts";
import type { AuthedContext } from "../../services/context.ts";
import { execute } from "../../services/executions/execute.ts";
import { isFinished, type ExecutionRow } from "../../services/executions/find.ts";
import { getExecution, getExecutionResult } from "../../services/executions/read.ts";
import { waitForExecution } from "../../services/executions/wait.ts";
import { capabilityManifest } from "../../services/harnesses/capabilities.ts";
import { listHarnesses } from "../../services/harnesses/list.ts";
import { describeIdentity } from "../../services/identity/whoami.ts";
import { chargeRequest } from "../../services/limits/quota.ts";
import { MAX_MESSAGE_CHARS, MAX_MODEL_ID_CHARS, MAX_REF_CHARS } from "../../lib/limits.ts";

/** Longest `run_task` wait, in seconds: MCP clients commonly time a request out after 60 s. */
const MAX_WAIT_SECONDS = 60;
/** `run_task` wait when the caller names none, in seconds. */
const DEFAULT_WAIT_SECONDS = 20;
/** Largest page of `list_harnesses` / `list_agents`. */
const MAX_PAGE_SIZE = 100;
/** Page size when the caller names none. */
const DEFAULT_PAGE_SIZE = 20;

// ---- input schemas ------------------------------------------------------------------------------

const harnessRef = z
  .string()
  .min(1)
  .max(MAX_REF_CHARS)
  .describe("The harness: its id as list_harnesses returns it (e.g. `my-harness`), or its `harness_…` uid.");

const pagination = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`How many items to return (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).`),
  offset: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("How many items to skip (default 0); use the previous offset + limit for the next page."),
};

const ChatInput = z.strictObject({
  message: z
    .string()
    .trim()
    .min(1)
    .max(MAX_CHAT_MESSAGE_CHARS)
    .describe("What to ask or tell the assistant, in plain language (e.g. `Which of our agents failed yesterday?`)."),
  conversationId: z
    .string()
    .min(1)
    .max(MAX_REF_CHARS)
    .optional()
    .describe("Continue an earlier conversation: the conversationId a previous call returned. Omit to start a new conversation."),
});

const ListHarnessesInput = z.strictObject({ ...pagination });

const ListAgentsInput = z.strictObject({ harness: harnessRef, ...pagination });

const RunTaskInput = z.strictObject({
  harness: harnessRef.describe("The harness to run the task on (see list_harnesses; it must have `can_run_tasks: true`)."),
  message: z.string().min(1).max(MAX_MESSAGE_CHARS).describe("The task, in plain language, as you would give it to the agent."),
  agent_id: z
    .string()
    .min(1)
    .max(MAX_REF_CHARS)
    .optional()
    .describe("Run as this agent of the harness (its id or slug from list_agents). Omit to run with the harness's own instructions."),
  model: z
    .string()
    .min(1)
    .max(MAX_MODEL_ID_CHARS)
    .optional()
    .describe("Model id as `provider/model` (e.g. `anthropic/claude-sonnet-4-5`). Omit to use the agent's, then the harness's default."),
  wait_seconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(DEFAULT_WAIT_SECONDS)
    .describe(
      `How long to wait for the result, in seconds (0–${MAX_WAIT_SECONDS}, default ${DEFAULT_WAIT_SECONDS}). If the task is still running then, the execution id is returned: call get_execution with it later.`,
    ),
});

const GetExecutionInput = z.strictObject({
  harness: harnessRef.describe("The harness the execution ran on (as run_task returned it)."),
  execution_id: z.string().min(1).max(MAX_REF_CHARS).describe("The execution id (`exec_…`) returned by run_task."),
});

// ---- output schemas -----------------------------------------------------------------------------

const ChatOutput = z.object({
  answer: z.string().describe("The assistant's complete answer."),
  conversationId: z.string().describe("Pass this back as conversationId to continue the conversation."),
  toolsUsed: z.array(z.string()).describe("The assistant's tools (and specialists) used to answer."),
});

const IdentityOutput = z.object({
  principal: z.object({
    kind: z.enum(["user", "service"]).describe("`user` for a signed-in person's token; `service` for an API key or a machine client."),
    subject: z.string().describe("The user id, API key id or client id."),
    via: z.enum(["api_key", "oauth", "internal"]).describe("How the caller authenticated."),
  }),
  user: z
    .object({ id: z.string(), email: z.string(), name: z.string() })
    .nullable()
    .describe("The signed-in user; null for service principals."),
  organization: z.object({ id: z.string(), name: z.string() }).describe("The organization every tool acts in."),
  scopes: z.array(z.string()).describe("What the credentials allow (`*` = everything in the organization)."),
  client_id: z.string().nullable().describe("The OAuth client the token was issued to; null for API keys."),
});

const PageFields = {
  total: z.number().int().describe("How many items exist in all."),
  limit: z.number().int(),
  offset: z.number().int(),
  has_more: z.boolean().describe("True when another page follows (call again with offset + limit)."),
};

const HarnessesOutput = z.object({
  harnesses: z.array(
    z.object({
      id: z.string().describe("Pass this as `harness` to the other tools."),
      name: z.string(),
      description: z.string(),
      vendor: z.string(),
      status: z.string().describe("Availability: active, beta, coming_soon, maintenance or deprecated."),
      kind: z.string().describe("`native` (runs here) or `registry` (listed only)."),
      can_run_tasks: z.boolean().describe("Whether run_task works on this harness."),
      built_in: z.boolean().describe("True for harnesses every organization has (such as the assistant); they cannot be edited."),
      default_model: z.string().nullable(),
      tags: z.array(z.string()),
    }),
  ),
  ...PageFields,
});

const AgentsOutput = z.object({
  harness: z.string(),
  agents: z.array(
    z.object({
      id: z.string().describe("Pass this as `agent_id` to run_task."),
      slug: z.string(),
      name: z.string(),
      description: z.string(),
      model: z.string().nullable().describe("The agent's own model, if it names one."),
      tags: z.array(z.string()),
    }),
  ),
  ...PageFields,
});

const ExecutionOutput = z.object({
  execution_id: z.string(),
  harness: z.string(),
  status: z.enum(["pending", "running", "completed", "failed", "cancelled"]),
  finished: z.boolean().describe("True once the execution completed, failed or was cancelled; `result` is then set."),
  model: z.string(),
  agent_id: z.string().nullable(),
  started_at: z.string(),
  completed_at: z.string().nullable(),
  progress: z.object({ percentage: z.number(), current_step: z.string(), steps_completed: z.number(), steps_total: z.number() }).nullable(),
  waiting_for_input: z
    .object({ prompt: z.string(), deadline: z.string() })
    .nullable()
    .describe("Set while the run waits for an answer to a question it asked (answer it over the REST API)."),
  result: z
    .object({
      output: z.string().describe("The final answer of the run."),
      error: z.string().nullable(),
      error_code: z.string().nullable(),
      tool_calls: z.array(
        z.object({ name: z.string(), status: z.string(), duration_ms: z.number().nullable(), error: z.string().nullable() }),
      ),
      artifacts: z.array(z.object({ name: z.string(), path: z.string(), mime_type: z.string(), size_bytes: z.number() })),
      usage: z.object({
        input_tokens: z.number(),
        output_tokens: z.number(),
        total_tokens: z.number(),
        duration_ms: z.number().nullable(),
      }),
    })
    .nullable(),
  next_step: z.string().nullable().describe("What to do next while the execution has not finished."),
});

type ExecutionReport = z.infer<typeof ExecutionOutput>;

// ---- helpers ------------------------------------------------------------------------------------

/** MCP-worded next steps for errors a caller can fix (the problem bodies' hints name REST operations). */
const MCP_HINTS: Partial<Record<ApiError["code"], string>> = {
  harness_not_found: "Call list_harnesses to see this organization's harnesses and pass one of their ids as `harness`.",
  agent_not_found: "Call list_agents with this harness to see its agents, or omit agent_id.",
  execution_not_found: "Check execution_id and harness: use the values run_task returned.",
  capability_not_supported: "This harness is listed only and cannot run tasks; pick one with can_run_tasks: true (list_harnesses).",
  model_not_available: "Omit `model` to use the harness's default model, or name a model this deployment can call.",
  rate_limited: "The organization's limits are reached for now; wait before calling again.",
};

/**
 * A tool error a model can act on: what went wrong, then what to do. An {@link ApiError}'s message is
 * written for callers (the problem bodies carry it too); anything else is logged with the request id
 * and never echoed.
 */
function toolError(ctx: AuthedContext, tool: string, error: unknown): CallToolResult {
  if (!(error instanceof ApiError)) {
    ctx.log.error("MCP tool failed", { mcp_tool: tool, error });
    return {
      isError: true,
      content: [
        {
          type: "text",
          text: `${tool} failed on the server side (request id ${ctx.requestId}). Retry in a moment; if it keeps failing, report the request id.`,
        },
      ],
    };
  }
  const lines = [`${error.title}: ${error.message}`];
  const add = (line: string | undefined) => {
    if (line && !lines.some((l) => l.includes(line))) lines.push(line);
  };
  add(MCP_HINTS[error.code]);
  // The problem body's own hints, except those pointing at REST operations the MCP caller cannot use.
  for (const action of error.actions) if (!action.operation_id && !action.href) add(action.hint);
  const retry = error.retryAfterSeconds;
  if (retry !== undefined && !lines.some((l) => l.includes(`${retry} seconds`))) add(`Retry after ${retry} seconds.`);
  return { isError: true, content: [{ type: "text", text: lines.join("\n") }] };
}

/** Charges the call to the organization's limits, runs it, and shapes the result (or the tool error). */
async function runTool<T extends Record<string, unknown>>(
  ctx: AuthedContext,
  tool: string,
  body: () => Promise<T>,
): Promise<CallToolResult> {
  try {
    await chargeRequest({ ctx, input: { surface: "mcp" } });
    const result = await body();
    return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
  } catch (error) {
    return toolError(ctx, tool, error);
  }
}

const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The report of an execution: its live status and, once finished, its result. */
async function executionReport(ctx: AuthedContext, ref: string, executionId: string): Promise<ExecutionReport> {
  const detail = await getExecution({ ctx, input: { ref, executionId } });
  if (!isFinished(detail.summary?.status ?? detail.execution.status)) {
    const harness = detail.harness.slug;
    const id = detail.execution.id;
    const poll = `call get_execution with harness "${harness}" and execution_id "${id}" to get the result`;
    const question = detail.summary?.waitingForInput;
    return {
      ...baseReport(detail.execution, harness, detail.summary),
      finished: false,
      result: null,
      next_step: question
        ? `The run is waiting for an answer to: ${question.prompt} — answer it with POST ${ctx.origin}/v1/harnesses/${harness}/executions/${id}/input {"data": "<answer>"} before ${question.deadline}, then ${poll}.`
        : `Still running. Later, ${poll}.`,
    };
  }
  const full = await getExecutionResult({ ctx, input: { ref, executionId } });
  const s = full.summary;
  return {
    ...baseReport(full.execution, full.harness.slug, s),
    finished: true,
    result: {
      output: s.output,
      error: s.errorMessage,
      error_code: s.errorCode,
      tool_calls: full.toolCalls.map((t) => ({
        name: t.name,
        status: t.status,
        duration_ms: t.duration_ms ?? null,
        error: t.error ?? null,
      })),
      artifacts: full.artifacts.map((a) => ({ name: a.name, path: a.path, mime_type: a.mime_type, size_bytes: a.size_bytes })),
      usage: {
        input_tokens: s.usage.input_tokens,
        output_tokens: s.usage.output_tokens,
        total_tokens: s.usage.total_tokens,
        duration_ms: s.durationMs,
      },
    },
    next_step: null,
  };
}

/** The fields every execution report has, from the index row refreshed by the live summary. */
function baseReport(
  row: ExecutionRow,
  harness: string,
  summary: RunSummary | null,
): Omit<ExecutionReport, "finished" | "result" | "next_step"> {
  const waiting = summary?.waitingForInput;
  return {
    execution_id: row.id,
    harness,
    status: (summary?.status ?? row.status) as ExecutionReport["status"],
    model: row.model,
    agent_id: row.agentId,
    started_at: row.startedAt,
    completed_at: summary?.completedAt ?? row.completedAt,
    progress: summary?.progress ?? row.progress,
    waiting_for_input: waiting ? { prompt: waiting.prompt, deadline: waiting.deadline } : null,
  };
}

// ---- registration ------------------------------------------------------------------------------

/** Registers `chat_with_assistant` on `server`, acting as `ctx`. */
function registerChatWithAssistant(server: McpServer, ctx: AuthedContext): void {
  server.registerTool(
    "chat_with_assistant",
    {
      title: "Chat with the assistant",
      description:
        "Ask the EdgeHarness assistant about this organization's harnesses, agents, executions and usage, or have it hand a task to one of the organization's agents. Returns one complete answer; pass the returned conversationId back to continue the conversation.",
      inputSchema: ChatInput,
      outputSchema: ChatOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args) =>
      runTool(ctx, "chat_with_assistant", async () => {
        const reply = await chatWithAssistant({
          ctx,
          input: { message: args.message, ...(args.conversationId ? { conversationId: args.conversationId } : {}) },
        });
        return { answer: reply.answer, conversationId: reply.conversationId, toolsUsed: reply.toolsUsed };
      }),
  );
}

/** Registers `get_identity` on `server`, acting as `ctx`. */
function registerGetIdentity(server: McpServer, ctx: AuthedContext): void {
  server.registerTool(
    "get_identity",
    {
      title: "Who am I?",
      description:
        "The identity these tools act as: the signed-in user (or service), the organization, the granted scopes and the OAuth client.",
      outputSchema: IdentityOutput,
      annotations: READ_ONLY,
    },
    () =>
      runTool(ctx, "get_identity", async () => {
        const identity = await describeIdentity({ ctx, input: {} });
        return {
          principal: { kind: identity.kind, subject: identity.subject, via: identity.via },
          user: identity.user,
          organization: identity.organization,
          scopes: identity.scopes,
          client_id: identity.clientId,
        };
      }),
  );
}

/** Registers `list_harnesses` on `server`, acting as `ctx`. */
function registerListHarnesses(server: McpServer, ctx: AuthedContext): void {
  server.registerTool(
    "list_harnesses",
    {
      title: "List harnesses",
      description:
        "The organization's harnesses (oldest first), with whether each can run tasks. Use an id as `harness` in the other tools.",
      inputSchema: ListHarnessesInput,
      outputSchema: HarnessesOutput,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(ctx, "list_harnesses", async () => {
        const page = await listHarnesses({ ctx, input: { limit: args.limit, offset: args.offset } });
        return {
          harnesses: page.items.map((h) => ({
            id: h.slug,
            name: h.displayName,
            description: h.description,
            vendor: h.vendor,
            status: h.availability,
            kind: h.kind,
            can_run_tasks: capabilityManifest(h).execution.supported,
            built_in: h.isBuiltIn,
            default_model: h.defaultModelId,
            tags: h.tags,
          })),
          total: page.total,
          limit: page.limit,
          offset: page.offset,
          has_more: page.offset + page.items.length < page.total,
        };
      }),
  );
}

/** Registers `list_agents` on `server`, acting as `ctx`. */
function registerListAgents(server: McpServer, ctx: AuthedContext): void {
  server.registerTool(
    "list_agents",
    {
      title: "List a harness's agents",
      description: "The agents imported into a harness (oldest first). Pass an agent's id as `agent_id` to run_task.",
      inputSchema: ListAgentsInput,
      outputSchema: AgentsOutput,
      annotations: READ_ONLY,
    },
    (args) =>
      runTool(ctx, "list_agents", async () => {
        const { harness, page } = await listAgents({ ctx, input: { ref: args.harness, limit: args.limit, offset: args.offset } });
        return {
          harness: harness.slug,
          agents: page.items.map((a) => {
            const model = a.config.model;
            return {
              id: a.id,
              slug: a.slug,
              name: a.name,
              description: a.description,
              model: model === undefined ? null : typeof model === "string" ? model : `${model.provider}/${model.name}`,
              tags: a.tags,
            };
          }),
          total: page.total,
          limit: page.limit,
          offset: page.offset,
          has_more: page.offset + page.items.length < page.total,
        };
      }),
  );
}

/** Registers `run_task` on `server`, acting as `ctx`. */
function registerRunTask(server: McpServer, ctx: AuthedContext): void {
  server.registerTool(
    "run_task",
    {
      title: "Run a task on a harness",
      description:
        "Starts an execution of a task on a harness (optionally as one of its agents) and waits up to wait_seconds for it. Returns the result (output, tool calls, usage) when it finished in time; otherwise the execution id and status — then call get_execution later.",
      inputSchema: RunTaskInput,
      outputSchema: ExecutionOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    (args, extra) =>
      runTool(ctx, "run_task", async () => {
        const started = await execute({
          ctx,
          input: {
            ref: args.harness,
            operationId: "execution.run",
            body: {
              message: args.message,
              ...(args.agent_id ? { agent_id: args.agent_id } : {}),
              ...(args.model ? { model: args.model } : {}),
            },
          },
        });
        const ref = started.harness.slug;
        await waitForExecution({
          ctx,
          input: { ref, executionId: started.executionId, timeoutMs: args.wait_seconds * 1000, signal: extra.mcpReq.signal },
        });
        return executionReport(ctx, ref, started.executionId);
      }),
  );
}

/** Registers `get_execution` on `server`, acting as `ctx`. */
function registerGetExecution(server: McpServer, ctx: AuthedContext): void {
  server.registerTool(
    "get_execution",
    {
      title: "Get an execution",
      description: "The status of an execution started by run_task and, once it has finished, its result (output, tool calls, usage).",
      inputSchema: GetExecutionInput,
      outputSchema: ExecutionOutput,
      annotations: READ_ONLY,
    },
    (args) => runTool(ctx, "get_execution", () => executionReport(ctx, args.harness, args.execution_id)),
  );
}

/** Every EdgeHarness MCP tool, in the order `tools/list` shows them. */
const TOOLS = [
  registerChatWithAssistant,
  registerGetIdentity,
  registerListHarnesses,
  registerListAgents,
  registerRunTask,
  registerGetExecution,
];

/** Registers every EdgeHarness tool on `server`, bound to the request's authenticated context. */
export function registerTools(server: McpServer, ctx: AuthedContext): void {
  for (const register of TOOLS) register(server, ctx);
}
