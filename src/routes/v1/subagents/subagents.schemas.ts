import { z } from "@hono/zod-openapi";
import { DEFAULT_DELEGATE_WAIT_SECONDS, MAX_DELEGATE_WAIT_SECONDS } from "../../../services/subagents/delegate.ts";
import { MAX_TASK_CONTEXT_CHARS } from "../../../services/subagents/start-task.ts";
import {
  MAX_SUBAGENT_DESCRIPTION_CHARS,
  MAX_SUBAGENT_NAME_CHARS,
  MAX_SUBAGENT_PROMPT_CHARS,
  MAX_SUBAGENT_TOOL_PATTERNS,
  TOOL_PATTERN,
} from "../../../services/subagents/store.ts";
import { AgentParams } from "../agents/agents.schemas.ts";
import { ExecutionStatus } from "../executions/executions.schemas.ts";

export const SubagentsParams = AgentParams;
export const SubagentParams = AgentParams.extend({
  subagentId: z
    .string()
    .min(1)
    .max(MAX_SUBAGENT_NAME_CHARS)
    .openapi({ param: { name: "subagentId", in: "path" }, description: "The subagent's id (or its name)." }),
});

export const SubagentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    status: z
      .enum(["idle", "running", "completed", "failed"])
      .openapi({ description: "From its latest task: idle (none yet), running, completed, failed (failed or cancelled)." }),
    parent_agent_id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    system_prompt: z.string().nullable(),
    model: z.string().nullable(),
    tools: z.array(z.string()).nullable().openapi({ description: "Tool-name patterns narrowing the parent's tools (null: all of them)." }),
    skills: z.array(z.string()),
    last_execution_id: z.string().nullable().openapi({ description: "The execution of its latest task (see /executions)." }),
    last_execution_status: ExecutionStatus.nullable(),
  })
  .openapi("Subagent");

export const SubagentEnvelope = z.object({ subagent: SubagentSchema }).openapi("SubagentResponse");
export const SubagentsEnvelope = z.object({ subagents: z.array(SubagentSchema) }).openapi("SubagentsResponse");

export const SpawnRequest = z
  .strictObject({
    name: z.string().min(1).max(MAX_SUBAGENT_NAME_CHARS).openapi({ description: "Unique per agent: how the parent's model addresses it." }),
    description: z
      .string()
      .min(1)
      .max(MAX_SUBAGENT_DESCRIPTION_CHARS)
      .openapi({ description: "What it is for (shown to the parent's model)." }),
    system_prompt: z
      .string()
      .min(1)
      .max(MAX_SUBAGENT_PROMPT_CHARS)
      .optional()
      .openapi({ description: "Its instructions (default: from name and description)." }),
    skills: z
      .array(z.string().min(1).max(100))
      .max(50)
      .optional()
      .openapi({ description: "Not supported on this deployment yet: send none." }),
    model: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Its model (default: the agent's, along the usual resolution order)." }),
    tools: z
      .array(z.string().regex(TOOL_PATTERN, "a tool-name pattern (letters, digits, _ - . and glob characters)"))
      .max(MAX_SUBAGENT_TOOL_PATTERNS)
      .optional()
      .openapi({
        description: 'Tool-name patterns: it gets only the parent\'s tools matching one (e.g. ["current_time", "read_*"]; [] for none).',
      }),
  })
  .openapi("SpawnSubagentRequest");

const Context = z
  .record(z.string(), z.unknown())
  .refine((c) => JSON.stringify(c).length <= MAX_TASK_CONTEXT_CHARS, `at most ${MAX_TASK_CONTEXT_CHARS} characters of JSON`)
  .optional()
  .openapi({ description: "Facts for the task, shown to the subagent as JSON in its system prompt." });

export const DelegateRequest = z
  .strictObject({
    task: z.string().min(1).max(100_000),
    context: Context,
    wait_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_DELEGATE_WAIT_SECONDS)
      .default(DEFAULT_DELEGATE_WAIT_SECONDS)
      .openapi({
        description: `How long to wait for the task (0–${MAX_DELEGATE_WAIT_SECONDS} s, default ${DEFAULT_DELEGATE_WAIT_SECONDS}).`,
      }),
  })
  .openapi("DelegateRequest");

export const DelegateStreamRequest = z
  .strictObject({ task: z.string().min(1).max(100_000), context: Context })
  .openapi("DelegateStreamRequest");

export const DelegateResponse = z
  .object({
    execution_id: z.string(),
    status: ExecutionStatus,
    finished: z
      .boolean()
      .openapi({ description: "False when the task outlived the wait: it goes on; follow `stream_url` or poll `result_url`." }),
    output: z.string().openapi({ description: "The subagent's answer so far (complete once finished)." }),
    error: z.string().nullable(),
    stream_url: z.string(),
    result_url: z.string(),
    subagent_id: z.string(),
  })
  .openapi("DelegateResponse");
