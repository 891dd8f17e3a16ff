/**
 * D1 schema: subagents (Open Harness domain 9) — children of an agent with their own instructions, model
 * and tool subset. Each task delegated to one is an execution whose index row names the subagent and,
 * when a run delegated it, the parent execution (`executions.subagent_id`, `parent_execution_id`).
 * A subagent belongs to its agent (`ON DELETE CASCADE`).
 */
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents } from "./harnesses.ts";

/** A subagent (Open Harness `Subagent`): a child of an agent with its own instructions, model and tools. */
export const subagents = sqliteTable(
  "subagents",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id").notNull(),
    /** The parent agent. */
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    /** Unique per parent agent: how the parent's model addresses it. */
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Its instructions (null: "You are <name>: <description>"). */
    systemPrompt: text("system_prompt"),
    /** Its model (null: the parent agent's, along the usual resolution order). */
    model: text("model"),
    /** Tool-name patterns it may use, narrowing the parent's tools (null: all of them). */
    tools: text("tools", { mode: "json" }).$type<string[] | null>(),
    /** Skill ids (recorded as given). */
    skills: text("skills", { mode: "json" }).$type<string[]>().notNull(),
    /** Its latest task: the execution `status`, `result` and `stream` follow. */
    lastExecutionId: text("last_execution_id"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("subagents_agent_name_uq").on(t.agentId, t.name), index("subagents_org_agent_idx").on(t.orgId, t.agentId)],
);
