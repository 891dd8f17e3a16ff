/**
 * `org_insights`: read-only tools that answer questions about the run's own organization — its
 * harnesses, agents, recent executions and today's usage against its limits. They act through the
 * {@link OrgPort} the run hands in; every read is filtered by the run's organization.
 */
import { z } from "zod";
import { ToolError, type ToolContext } from "../contract.ts";
import { defineTool } from "../define.ts";
import type { OrgPort } from "../ports.ts";
import { MAX_REF_CHARS } from "../../../lib/limits.ts";

/** Most items a list tool returns in one call. */
export const MAX_INSIGHT_ITEMS = 100;

/**
 * The run's organization verbs.
 * @throws ToolError `no_organization` when the call has none (the tool cannot answer).
 */
export function requireOrg(ctx: ToolContext): OrgPort {
  if (!ctx.org) throw new ToolError("no_organization", "This run has no organization to answer about.");
  return ctx.org;
}

const limitField = (fallback: number) =>
  z.number().int().min(1).max(MAX_INSIGHT_ITEMS).default(fallback).describe(`Most items to return (1–${MAX_INSIGHT_ITEMS}).`);

/**
 * list_harnesses — `{limit?}` → `{total, harnesses: [{id, name, description, kind, status, built_in,
 * default_model}]}`: the organization's harnesses, oldest first (`id` is the slug).
 */
export const listHarnessesTool = defineTool({
  name: "list_harnesses",
  description: "List this organization's harnesses (id, name, description, kind, status, whether built in, default model).",
  inputSchema: z.object({ limit: limitField(50) }),
  execute: (input, ctx) => requireOrg(ctx).listHarnesses({ limit: input.limit }) as Promise<Record<string, unknown>>,
});

/** list_agents — `{harness_id?, limit?}` → `{total, agents: [{id, name, slug, harness_id, version, description}]}`. */
export const listAgentsTool = defineTool({
  name: "list_agents",
  description: "List this organization's agents (the specialists), on every harness or on one (harness_id).",
  inputSchema: z.object({
    harness_id: z.string().min(1).max(MAX_REF_CHARS).optional().describe("Only the agents of this harness (its id)."),
    limit: limitField(50),
  }),
  execute: (input, ctx) =>
    requireOrg(ctx).listAgents({ limit: input.limit, ...(input.harness_id ? { harness: input.harness_id } : {}) }) as Promise<
      Record<string, unknown>
    >,
});

/**
 * recent_executions — `{harness_id?, status?, limit?}` → `{total, executions: [{id, harness_id, agent_id,
 * status, model, task, started_at, completed_at, usage}]}`, newest first.
 */
export const recentExecutionsTool = defineTool({
  name: "recent_executions",
  description: "List this organization's most recent executions (newest first), optionally for one harness or with one status.",
  inputSchema: z.object({
    harness_id: z.string().min(1).max(MAX_REF_CHARS).optional().describe("Only executions of this harness (its id)."),
    status: z.enum(["pending", "running", "completed", "failed", "cancelled"]).optional().describe("Only executions with this status."),
    limit: limitField(10),
  }),
  execute: (input, ctx) =>
    requireOrg(ctx).recentExecutions({
      limit: input.limit,
      ...(input.harness_id ? { harness: input.harness_id } : {}),
      ...(input.status ? { status: input.status } : {}),
    }) as Promise<Record<string, unknown>>,
});

/**
 * usage_today — `{}` → `{date, resets_at, requests: {you, organization, quota_per_user}, tokens: {used,
 * budget}}`: today's (UTC) requests of the person asking and of the organization, and its tokens.
 */
export const usageTodayTool = defineTool({
  name: "usage_today",
  description:
    "Today's usage (UTC day) against the organization's limits: your requests, everyone's, the per-user quota, tokens used and the token budget.",
  inputSchema: z.object({}),
  execute: (_input, ctx) => requireOrg(ctx).usageToday() as unknown as Promise<Record<string, unknown>>,
});

/** The tools of the `org_insights` capability ref. */
export const ORG_INSIGHT_TOOLS = [listHarnessesTool, listAgentsTool, recentExecutionsTool, usageTodayTool];
