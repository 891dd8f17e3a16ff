/** D1 schema: conformance runs — each run of the checklist against a harness and what it found. */
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One test's outcome as a run records it (`src/conformance/runner.ts` TestResult). */
export interface ConformanceTestJson {
  id: string;
  category: string;
  name: string;
  soft: boolean;
  status: "passed" | "failed" | "skipped";
  error?: string;
  reason?: string;
  gated?: boolean;
  exchange?: { method: string; url: string; requestBody?: string; status: number; responseBody: string };
  duration_ms: number;
}

/**
 * A conformance run of a harness (spec domain 13). The run itself executes in its `ConformanceRun`
 * Durable Object, which streams its events; this row is its record: the counts, the verdict and every
 * test's outcome, with the observed exchange of each failure.
 */
export const conformanceRuns = sqliteTable(
  "conformance_runs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    harnessId: text("harness_id").notNull(),
    /** running | completed | failed (the runner could not run: `error` says why). */
    status: text("status").notNull(),
    /** pass | fail | partial, once completed. */
    result: text("result"),
    passed: integer("passed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    softFailed: integer("soft_failed").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    applicable: integer("applicable").notNull().default(0),
    total: integer("total").notNull().default(0),
    passRate: real("pass_rate").notNull().default(0),
    goldenRuleViolations: integer("golden_rule_violations").notNull().default(0),
    /** The harness's own version when the run started (`unversioned` when it states none). */
    harnessVersion: text("harness_version").notNull(),
    /** The Open Harness spec version the checklist restates. */
    specVersion: text("spec_version").notNull(),
    /** The categories asked for (null: all) and whether slow checks were left out. */
    categories: text("categories", { mode: "json" }).$type<string[] | null>(),
    quick: integer("quick", { mode: "boolean" }).notNull().default(false),
    tests: text("tests", { mode: "json" }).$type<ConformanceTestJson[]>().notNull(),
    error: text("error"),
    runAt: text("run_at").notNull(),
    completedAt: text("completed_at"),
  },
  (t) => [index("conformance_runs_harness_idx").on(t.orgId, t.harnessId, t.runAt)],
);
