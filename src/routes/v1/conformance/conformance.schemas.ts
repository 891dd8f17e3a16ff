import { z } from "@hono/zod-openapi";
import { CATEGORIES } from "../../../conformance/check.ts";
import { paginated, PaginationQuery } from "../../../openapi/schemas.ts";
import type { ConformanceRunRow, ConformanceStanding } from "../../../services/conformance/read.ts";

/** conformance.run body (spec domain 13): the categories to run (the checklist's names) and `quick`. */
export const RunConformanceBody = z
  .strictObject({
    categories: z
      .array(z.enum(CATEGORIES))
      .max(CATEGORIES.length)
      .optional()
      .openapi({ description: `Only these categories (default: all): ${CATEGORIES.join(", ")}.` }),
    quick: z.boolean().optional().openapi({ description: "Skip the slow checks (several model runs each). Default false." }),
  })
  .openapi("RunConformanceRequest");

export const RunConformanceResponse = z
  .object({
    run_id: z.string(),
    status: z.enum(["running", "completed"]),
    stream_url: z.string().openapi({ description: "conformance.stream of this run (SSE of ConformanceEvent, resumable)." }),
  })
  .openapi("RunConformanceResponse");

export const StreamQuery = z.object({
  run_id: z.string().min(1).max(100).optional().openapi({ description: "The run (default: the latest)." }),
});

const TestOutcome = z
  .object({
    id: z.string().openapi({ description: "Checklist id, e.g. EXE-01." }),
    category: z.string(),
    name: z.string(),
    soft: z.boolean(),
    status: z.enum(["passed", "failed", "skipped"]),
    error: z.string().optional(),
    reason: z.string().optional(),
    exchange: z
      .object({
        method: z.string(),
        url: z.string(),
        requestBody: z.string().optional(),
        status: z.number().int(),
        responseBody: z.string(),
      })
      .optional()
      .openapi({ description: "The request and response that showed a failure." }),
    duration_ms: z.number().int(),
  })
  .openapi("ConformanceTestOutcome");

/** Spec `ConformanceRun`, plus its status, counts and every test's outcome. */
export const ConformanceRunSchema = z
  .object({
    id: z.string(),
    harness_version: z.string(),
    result: z.enum(["pass", "fail", "partial"]).nullable(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    golden_rule_violations: z.number().int(),
    run_at: z.string(),
    status: z.enum(["running", "completed", "failed"]),
    soft_failed: z.number().int(),
    applicable: z.number().int(),
    total: z.number().int(),
    pass_rate: z.number(),
    spec_version: z.string(),
    completed_at: z.string().nullable(),
    error: z.string().nullable(),
    tests: z.array(TestOutcome),
  })
  .openapi("ConformanceRun");

export const ResultsQuery = PaginationQuery;
export const ConformanceRunPage = paginated(ConformanceRunSchema, "ConformanceRunPage");

export const ConformanceStatusSchema = z
  .object({
    status: z.enum(["certified", "partial", "failing", "not_tested"]),
    certified_version: z.string().optional(),
    pass_rate: z.number(),
    last_run_at: z.string().optional(),
    skill_loading_method: z.enum(["api", "file-based"]).optional(),
    supports_file_gen: z.boolean(),
    golden_rule_compliant: z
      .boolean()
      .openapi({ description: "Every operation the harness does not serve answered 501 with a JSON error." }),
    spec_version: z.string(),
    run_id: z.string().optional(),
  })
  .openapi("ConformanceStatus");

export function toRunView(row: ConformanceRunRow): z.infer<typeof ConformanceRunSchema> {
  return {
    id: row.id,
    harness_version: row.harnessVersion,
    result: row.result as "pass" | "fail" | "partial" | null,
    passed: row.passed,
    failed: row.failed,
    skipped: row.skipped,
    golden_rule_violations: row.goldenRuleViolations,
    run_at: row.runAt,
    status: row.status as "running" | "completed" | "failed",
    soft_failed: row.softFailed,
    applicable: row.applicable,
    total: row.total,
    pass_rate: row.passRate,
    spec_version: row.specVersion,
    completed_at: row.completedAt,
    error: row.error,
    tests: row.tests,
  };
}

export const toStatusView = (standing: ConformanceStanding): z.infer<typeof ConformanceStatusSchema> => standing;
