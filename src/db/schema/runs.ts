/** D1 schema: Index rows of executions and sessions (the runs themselves live in their Durable Objects). */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { harnesses, type NetworkAccess } from "./harnesses.ts";

/** Open Harness UsageStats (tokens). */
export interface UsageJson {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/** Open Harness ExecutionProgress. */
export interface ProgressJson {
  percentage: number;
  current_step: string;
  steps_completed: number;
  steps_total: number;
}

/**
 * Index row of an execution. The run itself (event log, tool calls, checkpoints) lives in its
 * `ExecutionRun` Durable Object; this row is what lists and filters read, and it outlives the log.
 */
export const executions = sqliteTable(
  "executions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id").notNull(),
    agentId: text("agent_id"),
    sessionId: text("session_id"),
    /** pending | running | completed | failed | cancelled. */
    status: text("status").notNull(),
    model: text("model").notNull(),
    /** First 500 characters of the task, for lists. */
    messagePreview: text("message_preview").notNull(),
    progress: text("progress", { mode: "json" }).$type<ProgressJson | null>(),
    usage: text("usage", { mode: "json" }).$type<UsageJson | null>(),
    artifactsCount: integer("artifacts_count").notNull().default(0),
    errorCode: text("error_code"),
    startedAt: text("started_at").notNull(),
    completedAt: text("completed_at"),
    /** The run that delegated this one (a subagent task or a `delegate_task` call), if any. */
    parentExecutionId: text("parent_execution_id"),
    /** The subagent this run is a task of, if any. */
    subagentId: text("subagent_id"),
  },
  (t) => [
    index("executions_org_harness_idx").on(t.orgId, t.harnessId, t.startedAt),
    index("executions_status_idx").on(t.harnessId, t.status),
    index("executions_parent_idx").on(t.parentExecutionId),
  ],
);

/**
 * Index row of a session. The conversation itself (messages, queued turns, live sockets) lives in the
 * session's `Session` Durable Object; this row is what lists and filters read.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id")
      .notNull()
      .references(() => harnesses.id, { onDelete: "cascade" }),
    agentId: text("agent_id"),
    name: text("name"),
    /** active | paused | ended. */
    status: text("status").notNull(),
    systemPrompt: text("system_prompt"),
    /** Messages in the history (user and assistant), kept in step with the Session object. */
    messageCount: integer("message_count").notNull().default(0),
    /** The session this one was forked from, if any. */
    forkedFrom: text("forked_from"),
    /** The principal that created it; chat conversations are private to it. */
    ownerSubject: text("owner_subject"),
    /** `network_access` given at sessions.create: narrows the harness's policy for the session's turns. */
    networkAccess: text("network_access", { mode: "json" }).$type<NetworkAccess | null>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    endedAt: text("ended_at"),
  },
  (t) => [index("sessions_org_harness_idx").on(t.orgId, t.harnessId, t.id), index("sessions_status_idx").on(t.harnessId, t.status)],
);
