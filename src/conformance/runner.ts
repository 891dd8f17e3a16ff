/**
 * The conformance runner: certifies any Open Harness server over the wire. It reads the harness's
 * capability manifest, runs every checklist behaviour whose category the manifest declares (checklist
 * §0.1; the Tools API and the cross-cutting checks always run), one at a time, and reports each as a
 * `ConformanceEvent` (spec §6.5) as it goes. Soft checks (the checklist's "(soft)") are reported but
 * never fail a certification.
 */
import type { ConformanceClient, Exchange } from "./client.ts";
import { CATEGORIES, CheckFailure, type Category, type Check, type CheckContext, type Manifest } from "./check.ts";
import { FILE_CHECKS, HOOK_CHECKS, MCP_CHECKS, SKILL_CHECKS, TOOL_CHECKS } from "./checks/capabilities.ts";
import { CROSS_CUTTING_CHECKS, goldenRuleViolations } from "./checks/cross-cutting.ts";
import { EXECUTION_CHECKS } from "./checks/execution.ts";
import { MEMORY_CHECKS, PLANNING_CHECKS, SUBAGENT_CHECKS } from "./checks/memory-subagents-planning.ts";
import { AGENT_CHECKS, SESSION_CHECKS } from "./checks/sessions-agents.ts";

/** Every check, in checklist order: 85 behaviours in 13 categories, then the cross-cutting ones. */
export const ALL_CHECKS: Check[] = [
  ...EXECUTION_CHECKS,
  ...SESSION_CHECKS,
  ...AGENT_CHECKS,
  ...MEMORY_CHECKS,
  ...SUBAGENT_CHECKS,
  ...MCP_CHECKS,
  ...FILE_CHECKS,
  ...PLANNING_CHECKS,
  ...HOOK_CHECKS,
  ...SKILL_CHECKS,
  ...TOOL_CHECKS,
  ...CROSS_CUTTING_CHECKS,
];

/** Spec §6.5 `ConformanceEvent`. */
export type ConformanceEvent =
  | { type: "test.started"; test_id: string; test_name: string }
  | { type: "test.passed"; test_id: string }
  | { type: "test.failed"; test_id: string; error: string; soft?: boolean }
  | { type: "test.skipped"; test_id: string; reason: string }
  | { type: "progress"; completed: number; total: number }
  | { type: "done"; result: { passed: number; failed: number; skipped: number; duration_ms: number } };

/** One check's outcome as the run records it. */
export interface TestResult {
  id: string;
  category: Category;
  name: string;
  soft: boolean;
  status: "passed" | "failed" | "skipped";
  error?: string;
  reason?: string;
  /** Skipped because the harness's manifest does not declare the category (not applicable). */
  gated?: boolean;
  /** The last request and response of a failed check. */
  exchange?: Exchange;
  duration_ms: number;
}

/** What a run came to. `passed`/`failed` count hard checks; soft failures are counted apart. */
export interface RunReport {
  result: "pass" | "fail" | "partial";
  passed: number;
  failed: number;
  soft_failed: number;
  skipped: number;
  /** Checks the manifest made applicable (run, not skipped for gating). */
  applicable: number;
  total: number;
  pass_rate: number;
  golden_rule_violations: number;
  duration_ms: number;
  tests: TestResult[];
}

/** Options of a run (spec conformance.run body). */
export interface RunOptions {
  /** Only these categories (checklist names, §9.4 S13); all when absent. */
  categories?: Category[];
  /** Skip the slow checks (several model runs each). */
  quick?: boolean;
}

/** Checks that run several model calls: left out of a quick run. */
const SLOW = new Set(["EXE-05", "TEV-01", "TEV-02", "TEV-03", "TEV-04", "TEV-05", "SUB-03", "SUB-04", "SUB-05", "PLN-06", "SES-05"]);

/** Why a category does not apply to a harness with `manifest` (checklist §0.1), or `undefined` when it does. */
export function notApplicable(category: Category, manifest: Manifest): string | undefined {
  const m = (domain: string) => manifest[domain] ?? { supported: false, operations: [] };
  switch (category) {
    case "execution":
    case "tool_events":
      return m("execution").supported && m("execution").operations.includes("sync") ? undefined : "execution.sync is not declared";
    case "streaming":
      return m("execution").operations.includes("stream") ? undefined : "execution.stream is not declared";
    case "memory":
      return m("memory").supported && m("memory").operations.includes("blocks") ? undefined : "memory.blocks is not declared";
    case "tools":
    case "cross_cutting":
      return undefined;
    default:
      return m(category).supported ? undefined : `${category} is not declared supported`;
  }
}

/**
 * Runs the applicable checks against `harness` through `client`, calling `emit` with every event.
 * @throws Error when the manifest cannot be read (the run cannot decide what applies).
 */
export async function runConformance(
  client: ConformanceClient,
  harness: string,
  options: RunOptions,
  emit: (event: ConformanceEvent) => void | Promise<void>,
): Promise<RunReport> {
  const started = Date.now();
  const manifestReply = await client.get(`/harnesses/${harness}/capabilities`);
  if (manifestReply.status !== 200 || typeof manifestReply.body?.capabilities !== "object") {
    throw new Error(`the capability manifest of ${harness} could not be read (HTTP ${manifestReply.status})`);
  }
  const ctx: CheckContext = {
    client,
    harness,
    manifest: manifestReply.body.capabilities as Manifest,
    scratch: {},
    suffix: crypto.randomUUID().slice(0, 8),
    shared: new Map(),
  };
  const wanted = new Set<Category>(options.categories?.length ? options.categories : CATEGORIES);
  const checks = ALL_CHECKS.filter((c) => wanted.has(c.category));
  const tests: TestResult[] = [];
  for (const check of checks) {
    await emit({ type: "test.started", test_id: check.id, test_name: check.name });
    const result = await runOne(ctx, check, options);
    tests.push(result);
    if (result.status === "passed") await emit({ type: "test.passed", test_id: check.id });
    else if (result.status === "skipped") await emit({ type: "test.skipped", test_id: check.id, reason: result.reason! });
    else await emit({ type: "test.failed", test_id: check.id, error: result.error!, ...(result.soft ? { soft: true } : {}) });
    await emit({ type: "progress", completed: tests.length, total: checks.length });
  }
  const violations = wanted.has("cross_cutting") ? (await goldenRuleViolations(ctx)).length : 0;
  const report = summarise(tests, violations, Date.now() - started, ALL_CHECKS.length);
  await emit({
    type: "done",
    result: { passed: report.passed, failed: report.failed, skipped: report.skipped, duration_ms: report.duration_ms },
  });
  return report;
}

async function runOne(ctx: CheckContext, check: Check, options: RunOptions): Promise<TestResult> {
  const base = { id: check.id, category: check.category, name: check.name, soft: check.soft === true };
  const startedAt = Date.now();
  const gate = notApplicable(check.category, ctx.manifest);
  if (gate) return { ...base, status: "skipped", reason: gate, gated: true, duration_ms: 0 };
  if (options.quick && SLOW.has(check.id))
    return { ...base, status: "skipped", reason: "slow check left out of a quick run", duration_ms: 0 };
  const before = ctx.client.exchanges.length;
  try {
    const outcome = await check.run(ctx);
    if (outcome && "skipped" in outcome)
      return { ...base, status: "skipped", reason: outcome.skipped, duration_ms: Date.now() - startedAt };
    return { ...base, status: "passed", duration_ms: Date.now() - startedAt };
  } catch (error) {
    const message =
      error instanceof CheckFailure
        ? error.message
        : `the check could not complete: ${error instanceof Error ? error.message : String(error)}`;
    const exchange = ctx.client.exchanges.length > before ? ctx.client.last() : undefined;
    return { ...base, status: "failed", error: message, ...(exchange ? { exchange } : {}), duration_ms: Date.now() - startedAt };
  }
}

/** Counts, pass rate and verdict of a run: `pass` = no hard failure and no golden-rule violation. */
export function summarise(tests: TestResult[], violations: number, durationMs: number, total: number): RunReport {
  const hard = tests.filter((t) => !t.soft);
  const passed = hard.filter((t) => t.status === "passed").length;
  const failed = hard.filter((t) => t.status === "failed").length;
  const softFailed = tests.filter((t) => t.soft && t.status === "failed").length;
  const skipped = tests.filter((t) => t.status === "skipped").length;
  const ran = passed + failed;
  const passRate = ran === 0 ? 0 : passed / ran;
  const result = failed === 0 && violations === 0 && passed > 0 ? "pass" : passed > 0 && passRate >= 0.5 ? "partial" : "fail";
  return {
    result,
    passed,
    failed,
    soft_failed: softFailed,
    skipped,
    applicable: tests.filter((t) => !t.gated).length,
    total,
    pass_rate: Math.round(passRate * 1000) / 1000,
    golden_rule_violations: violations,
    duration_ms: durationMs,
    tests,
  };
}
