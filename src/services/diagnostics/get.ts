/**
 * diagnostics.get (Open Harness domain 13): a harness's figures, read from the stores that hold them —
 * nothing is a placeholder. What a Worker cannot know is said in `notes`, with what is reported instead:
 *
 *   version / uptime   the server version and this Worker version's id; uptime counts from the version's
 *                      upload (the `CF_VERSION_METADATA` binding) — a Worker has no long-lived process.
 *                      Under `wrangler dev`, which has no upload time, it counts from the isolate's first
 *                      request and says so.
 *   memory_usage_mb    always 0: workerd gives no isolate memory figure (there is no `process.memoryUsage`);
 *                      the per-isolate limit is reported as `memory_limit_mb`.
 *   active_*           D1's execution and session index rows (pending/running; active/paused).
 *   connected_mcp_servers  connections in force on the harness (its own, its agents', inherited) whose last
 *                      use or check succeeded — nothing is dialled to answer.
 *   installed_skills   skills registered on the harness, its own and those its agents' packages brought.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import { executions, sessions, skills } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { SERVER_VERSION } from "../harnesses/health.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { parentChain } from "../harnesses/chain.ts";
import { visibleConnections } from "../mcp/rows.ts";
import { resolveModelChain } from "../models/resolve.ts";

/** Memory a Worker isolate may use, in MB (Cloudflare Workers limit). */
export const ISOLATE_MEMORY_LIMIT_MB = 128;

/** Open Harness diagnostics object (§5, domain 13) plus what explains its figures. */
export interface HarnessDiagnostics {
  harness_id: string;
  version: string;
  uptime_seconds: number;
  /** Always 0 — see `notes`. */
  memory_usage_mb: number;
  active_sessions: number;
  active_executions: number;
  connected_mcp_servers: number;
  installed_skills: number;
  config: Record<string, unknown>;
  /** This Worker version's id (`CF_VERSION_METADATA.id`), or null when the runtime gives none. */
  version_id: string | null;
  /** What `uptime_seconds` counts from (ISO 8601). */
  up_since: string;
  memory_limit_mb: number;
  /** Figures a Worker cannot know, and what is reported instead. */
  notes: string[];
}

/** The first moment this isolate answered (the fallback origin of uptime where no upload time exists). */
let isolateFirstSeen: number | undefined;

/** When this Worker version went up: its upload time, else this isolate's first request. */
function upSince(env: Env, now: number): { at: number; fromUpload: boolean } {
  isolateFirstSeen ??= now;
  const uploaded = Date.parse(env.CF_VERSION_METADATA?.timestamp ?? "");
  if (Number.isFinite(uploaded) && uploaded > 0 && uploaded <= now) return { at: uploaded, fromUpload: true };
  return { at: isolateFirstSeen, fromUpload: false };
}

async function activeExecutions(ctx: AuthedContext, harness: HarnessRow): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(executions)
    .where(
      and(eq(executions.orgId, harness.orgId), eq(executions.harnessId, harness.id), inArray(executions.status, ["pending", "running"])),
    );
  return row?.n ?? 0;
}

async function activeSessions(ctx: AuthedContext, harness: HarnessRow): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.orgId, harness.orgId), eq(sessions.harnessId, harness.id), inArray(sessions.status, ["active", "paused"])));
  return row?.n ?? 0;
}

/** Skills registered on the harness: its own (skills.register) and those its agents' packages brought. */
async function countInstalledSkills(ctx: AuthedContext, harness: HarnessRow): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(skills)
    .where(and(eq(skills.orgId, harness.orgId), eq(skills.harnessId, harness.id)));
  return row?.n ?? 0;
}

/** The configuration in force, without secrets: what a person debugging the harness needs to see. */
async function effectiveConfig(ctx: AuthedContext, harness: HarnessRow, parents: HarnessRow[]): Promise<Record<string, unknown>> {
  const model = harness.kind === "native" ? await resolveModelChain(ctx, { orgId: harness.orgId, harness, parents }) : undefined;
  return {
    kind: harness.kind,
    execution_type: harness.executionType,
    status: harness.lifecycle,
    parents: parents.map((p) => p.slug),
    default_model_id: harness.defaultModelId,
    ...(model
      ? {
          model: model.ok
            ? { id: model.modelId, from: model.source, usable: true }
            : { id: model.modelId, usable: false, problem: model.detail, fix: model.setting },
        }
      : {}),
    capability_refs: harness.capabilityRefs.map((r) => r.ref),
    network_access: harness.networkAccess,
    starter_files: harness.initialFiles.length,
    ...(harness.kind === "remote"
      ? { base_url: harness.config.base_url, remote_harness_id: harness.config.remote_harness_id ?? harness.slug }
      : {}),
  };
}

/**
 * diagnostics.get — the harness's figures (see the module comment for where each comes from).
 * @throws ApiError `harness_not_found`
 */
export async function harnessDiagnostics({ ctx, input }: VerbArgs<AuthedContext, { ref: string }>): Promise<HarnessDiagnostics> {
  const harness = await findHarness({ ctx, input });
  const parents = await parentChain(ctx, harness);
  const now = Date.now();
  const since = upSince(ctx.env, now);
  const [sessionsOpen, runs, connections, skillCount, config] = await Promise.all([
    activeSessions(ctx, harness),
    activeExecutions(ctx, harness),
    visibleConnections(ctx, harness, parents),
    countInstalledSkills(ctx, harness),
    effectiveConfig(ctx, harness, parents),
  ]);
  const notes = [
    `memory_usage_mb: a Worker cannot read its isolate's memory use (workerd has no process.memoryUsage); 0 is reported. Each isolate may use up to ${ISOLATE_MEMORY_LIMIT_MB} MB.`,
    since.fromUpload
      ? "uptime_seconds: a Worker has no long-lived process; uptime counts from this Worker version's upload."
      : "uptime_seconds: this runtime gives no upload time for the Worker version (wrangler dev), so uptime counts from this isolate's first request.",
    "connected_mcp_servers: connections whose last use or check succeeded; run mcp.health to check one now.",
  ];
  return {
    harness_id: harness.slug,
    version: SERVER_VERSION,
    uptime_seconds: Math.max(0, Math.floor((now - since.at) / 1000)),
    memory_usage_mb: 0,
    active_sessions: sessionsOpen,
    active_executions: runs,
    connected_mcp_servers: connections.filter((c) => c.row.status === "connected").length,
    installed_skills: skillCount,
    config,
    version_id: ctx.env.CF_VERSION_METADATA?.id || null,
    up_since: new Date(since.at).toISOString(),
    memory_limit_mb: ISOLATE_MEMORY_LIMIT_MB,
    notes,
  };
}
