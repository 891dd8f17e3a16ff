/**
 * `org_insights`: read-only tools that answer questions about the run's own organization — its
 * harnesses, agents, recent executions and today's usage against its limits. They act through the
 * run's {@link OrgToolScope}: every read is a service verb filtered by the run's organization.
 */
import { z } from "zod";
import { ApiError } from "../../errors/api-error.ts";
import { listOrganizationAgents, recentExecutions } from "../../services/assistant/insights.ts";
import { listHarnesses } from "../../services/harnesses/list.ts";
import { usageToday } from "../../services/limits/usage.ts";
import { defineTool, ToolError, type OrgToolScope, type ToolContext } from "./types.ts";

/** Most items a list tool returns in one call. */
export const MAX_INSIGHT_ITEMS = 100;
/** Characters of an execution's task shown per item. */
const TASK_PREVIEW_CHARS = 200;

/**
 * The run's organization scope.
 * @throws ToolError `no_organization` when the run has none (the tool cannot answer).
 */
export function requireOrg(ctx: ToolContext): OrgToolScope {
  if (!ctx.org) throw new ToolError("no_organization", "This run has no organization to answer about.");
  return ctx.org;
}

/** Runs a service call, turning its expected failures (ApiError: not found, …) into failures the model sees. */
export async function asTool<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw new ToolError(error.code, error.message);
    throw error;
  }
}

const limitField = (fallback: number) =>
  z.number().int().min(1).max(MAX_INSIGHT_ITEMS).default(fallback).describe(`Most items to return (1–${MAX_INSIGHT_ITEMS}).`);

/**
 * list_harnesses — `{limit?}` → `{total, harnesses: [{id, name, description, kind, status, built_in,
 * default_model, agents?}]}`: the organization's harnesses, oldest first (`id` is the slug).
 */
export const listHarnessesTool = defineTool({
  name: "list_harnesses",
  description: "List this organization's harnesses (id, name, description, kind, status, whether built in, default model).",
  inputSchema: z.object({ limit: limitField(50) }),
  async execute(input, ctx) {
    const org = requireOrg(ctx);
    const page = await asTool(() => listHarnesses({ ctx: org.services, input: { limit: input.limit, offset: 0 } }));
    return {
      total: page.total,
      harnesses: page.items.map((h) => ({
        id: h.slug,
        name: h.displayName,
        description: h.description,
        kind: h.kind,
        status: h.availability,
        built_in: h.isBuiltIn,
        default_model: h.defaultModelId,
      })),
    };
  },
});

/** list_agents — `{harness_id?, limit?}` → `{total, agents: [{id, name, slug, harness_id, version, description}]}`. */
export const listAgentsTool = defineTool({
  name: "list_agents",
  description: "List this organization's agents (the specialists), on every harness or on one (harness_id).",
  inputSchema: z.object({
    harness_id: z.string().min(1).max(200).optional().describe("Only the agents of this harness (its id)."),
    limit: limitField(50),
  }),
  async execute(input, ctx) {
    const org = requireOrg(ctx);
    const found = await asTool(() =>
      listOrganizationAgents({
        ctx: org.services,
        input: { limit: input.limit, ...(input.harness_id ? { harness: input.harness_id } : {}) },
      }),
    );
    return {
      total: found.total,
      agents: found.items.map(({ agent, harnessSlug }) => ({
        id: agent.id,
        name: agent.name,
        slug: agent.slug,
        harness_id: harnessSlug,
        version: agent.version,
        description: agent.description,
      })),
    };
  },
});

/**
 * recent_executions — `{harness_id?, status?, limit?}` → `{total, executions: [{id, harness_id, agent_id,
 * status, model, task, started_at, completed_at, usage}]}`, newest first.
 */
export const recentExecutionsTool = defineTool({
  name: "recent_executions",
  description: "List this organization's most recent executions (newest first), optionally for one harness or with one status.",
  inputSchema: z.object({
    harness_id: z.string().min(1).max(200).optional().describe("Only executions of this harness (its id)."),
    status: z.enum(["pending", "running", "completed", "failed", "cancelled"]).optional().describe("Only executions with this status."),
    limit: limitField(10),
  }),
  async execute(input, ctx) {
    const org = requireOrg(ctx);
    const found = await asTool(() =>
      recentExecutions({
        ctx: org.services,
        input: {
          limit: input.limit,
          ...(input.harness_id ? { harness: input.harness_id } : {}),
          ...(input.status ? { status: input.status } : {}),
        },
      }),
    );
    return {
      total: found.total,
      executions: found.items.map(({ execution, harnessSlug }) => ({
        id: execution.id,
        harness_id: harnessSlug,
        agent_id: execution.agentId,
        status: execution.status,
        model: execution.model,
        task: execution.messagePreview.slice(0, TASK_PREVIEW_CHARS),
        started_at: execution.startedAt,
        completed_at: execution.completedAt,
        usage: execution.usage,
      })),
    };
  },
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
  async execute(_input, ctx) {
    const org = requireOrg(ctx);
    const today = await asTool(() => usageToday({ ctx: org.services, input: { subject: org.subject } }));
    return {
      date: today.date,
      resets_at: today.resetsAt,
      requests: { you: today.requests.caller, organization: today.requests.organization, quota_per_user: today.requests.quotaPerUser },
      tokens: { used: today.tokens.used, budget: today.tokens.budget },
    };
  },
});

/** The tools of the `org_insights` capability ref. */
export const ORG_INSIGHT_TOOLS = [listHarnessesTool, listAgentsTool, recentExecutionsTool, usageTodayTool];
