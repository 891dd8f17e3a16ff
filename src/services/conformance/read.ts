/**
 * Reading conformance runs: conformance.stream (a run's events, resumable), conformance.results (the
 * runs, newest first, each with every test's outcome) and conformance.status (the harness's standing,
 * from its latest finished run).
 */
import { and, count, desc, eq, ne } from "drizzle-orm";
import { conformanceRunStub } from "../../../durable-objects/conformance-run/conformance-run.client.ts";
import { conformanceRuns } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { capabilityManifest } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { CONFORMANCE_SPEC_VERSION } from "./run.ts";
import { refuseCursorBeyondEnd } from "../streams/cursor.ts";

export type ConformanceRunRow = typeof conformanceRuns.$inferSelect;

function runNotFound(slug: string, runId?: string): ApiError {
  return new ApiError(
    "conformance_run_not_found",
    runId ? `No conformance run ${runId} of ${slug}.` : `${slug} has no conformance run yet.`,
    {
      actions: [{ rel: "start", hint: "Start a run.", operation_id: "conformance.run", href: `/v1/harnesses/${slug}/conformance/run` }],
    },
  );
}

/**
 * conformance.stream — the events of `runId` (default: the latest run) strictly after `lastEventId`, then live until `done`.
 * @throws ApiError `harness_not_found`, `conformance_run_not_found`, `stream_expired` (410, a day after the run ended).
 */
export async function conformanceStream({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; runId?: string; lastEventId: number }>): Promise<{
  harness: HarnessRow;
  runId: string;
  response: Response;
}> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  const filters = [eq(conformanceRuns.orgId, ctx.principal.orgId), eq(conformanceRuns.harnessId, harness.id)];
  if (input.runId) filters.push(eq(conformanceRuns.id, input.runId));
  const run = await ctx.db
    .select({ id: conformanceRuns.id })
    .from(conformanceRuns)
    .where(and(...filters))
    .orderBy(desc(conformanceRuns.runAt))
    .get();
  if (!run) throw runNotFound(harness.slug, input.runId);
  const response = await conformanceRunStub(ctx.env, run.id).fetch(
    new Request(`https://conformance-run/stream?after=${input.lastEventId}`),
  );
  await refuseCursorBeyondEnd(response);
  if (response.status === 410) {
    throw new ApiError("stream_expired", `The event stream of ${run.id} is no longer retained; its results are.`, {
      actions: [{ rel: "results", operation_id: "conformance.results", href: `/v1/harnesses/${harness.slug}/conformance/results` }],
    });
  }
  if (!response.ok) throw runNotFound(harness.slug, run.id);
  return { harness, runId: run.id, response };
}

/** conformance.results — the harness's runs, newest first. @throws ApiError `harness_not_found` */
export async function conformanceResults({ ctx, input }: VerbArgs<AuthedContext, { ref: string; limit: number; offset: number }>): Promise<{
  harness: HarnessRow;
  page: Page<ConformanceRunRow>;
}> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  const where = and(eq(conformanceRuns.orgId, ctx.principal.orgId), eq(conformanceRuns.harnessId, harness.id));
  const [rows, totals] = await ctx.db.batch([
    ctx.db.select().from(conformanceRuns).where(where).orderBy(desc(conformanceRuns.runAt)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(conformanceRuns).where(where),
  ]);
  return { harness, page: { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset } };
}

/** The standing of a harness (spec conformance.status). */
export interface ConformanceStanding {
  status: "certified" | "partial" | "failing" | "not_tested";
  certified_version?: string;
  pass_rate: number;
  last_run_at?: string;
  skill_loading_method?: "api" | "file-based";
  supports_file_gen: boolean;
  golden_rule_compliant: boolean;
  spec_version: string;
  run_id?: string;
}

/**
 * conformance.status — from the latest finished run: `certified` (no hard failure, golden rule kept),
 * `partial` (at least half of the applicable hard checks passed), `failing`, or `not_tested`.
 * `golden_rule_compliant`: every operation the harness does not serve answered 501 with a JSON error.
 * @throws ApiError `harness_not_found`
 */
export async function conformanceStatus({ ctx, input }: VerbArgs<AuthedContext, { ref: string }>): Promise<ConformanceStanding> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  const manifest = capabilityManifest(harness);
  const base = {
    spec_version: CONFORMANCE_SPEC_VERSION,
    supports_file_gen: manifest.files.operations.includes("write"),
    ...(manifest.skills.supported ? { skill_loading_method: "api" as const } : {}),
  };
  const run = await ctx.db
    .select()
    .from(conformanceRuns)
    .where(
      and(eq(conformanceRuns.orgId, ctx.principal.orgId), eq(conformanceRuns.harnessId, harness.id), ne(conformanceRuns.status, "running")),
    )
    .orderBy(desc(conformanceRuns.runAt))
    .get();
  if (!run || run.status !== "completed")
    return {
      ...base,
      status: "not_tested",
      pass_rate: 0,
      golden_rule_compliant: false,
      ...(run ? { last_run_at: run.runAt, run_id: run.id } : {}),
    };
  const status = run.result === "pass" ? "certified" : run.result === "partial" ? "partial" : "failing";
  return {
    ...base,
    status,
    ...(status === "certified" ? { certified_version: run.harnessVersion } : {}),
    pass_rate: run.passRate,
    last_run_at: run.runAt,
    golden_rule_compliant: run.goldenRuleViolations === 0,
    run_id: run.id,
  };
}
