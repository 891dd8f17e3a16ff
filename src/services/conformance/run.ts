/**
 * conformance.run — starts a run of the conformance checklist against a harness of the caller's
 * organization. The run lives in its `ConformanceRun` Durable Object (it outlives this request) and
 * streams `ConformanceEvent`s; its record is a D1 `conformance_runs` row.
 */
import { and, desc, eq } from "drizzle-orm";
import { conformanceRunStub } from "../../../durable-objects/conformance-run/conformance-run.client.ts";
import type { Category } from "../../conformance/check.ts";
import type { RunOptions } from "../../conformance/runner.ts";
import { conformanceRuns } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { assertNotArchived } from "../harnesses/lifecycle.ts";

/** The Open Harness spec version the checklist restates. */
export const CONFORMANCE_SPEC_VERSION = "0.2.0";

/** A run a client can follow: its id, status and where to stream it. */
export interface StartedRun {
  runId: string;
  status: "running" | "completed";
  harness: HarnessRow;
}

/**
 * Starts a run (`categories` narrow it, `quick` leaves slow checks out). One run at a time per harness.
 * @throws ApiError `harness_not_found`; `harness_archived` (409) for an archived harness (its executions and
 *   sessions would all be refused, and the failures recorded as its certification);
 *   `conformance_running` (409) while another run of the harness is in progress.
 */
export async function startConformanceRun({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; categories?: Category[]; quick?: boolean }>): Promise<StartedRun> {
  const harness = await findHarness({ ctx, input: { ref: input.ref } });
  assertNotArchived(harness, "conformance.run");
  const running = await ctx.db
    .select({ id: conformanceRuns.id })
    .from(conformanceRuns)
    .where(
      and(eq(conformanceRuns.orgId, ctx.principal.orgId), eq(conformanceRuns.harnessId, harness.id), eq(conformanceRuns.status, "running")),
    )
    .orderBy(desc(conformanceRuns.runAt))
    .get();
  if (running) {
    throw new ApiError("conformance_running", `Conformance run ${running.id} of ${harness.slug} is still running.`, {
      details: { run_id: running.id },
      actions: [
        {
          rel: "stream",
          hint: "Follow the run in progress.",
          operation_id: "conformance.stream",
          href: `/v1/harnesses/${harness.slug}/conformance/run/stream?run_id=${running.id}`,
        },
      ],
    });
  }
  const runId = newId("conformanceRun");
  const startedAt = nowIso();
  const options: RunOptions = {
    ...(input.categories?.length ? { categories: input.categories } : {}),
    ...(input.quick ? { quick: true } : {}),
  };
  await ctx.db.insert(conformanceRuns).values({
    id: runId,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    status: "running",
    harnessVersion: harness.version ?? "unversioned",
    specVersion: CONFORMANCE_SPEC_VERSION,
    categories: input.categories?.length ? input.categories : null,
    quick: input.quick === true,
    tests: [],
    runAt: startedAt,
  });
  await conformanceRunStub(ctx.env, runId).start({
    runId,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    harnessRef: harness.slug,
    target: { kind: "self" },
    options,
    startedAt,
  });
  return { runId, status: "running", harness };
}
