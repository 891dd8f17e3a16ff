/**
 * `npm run mcp:conformance`: the MCP conformance suite (`@modelcontextprotocol/conformance`, server
 * scenarios) against `/api/mcp` on a real `wrangler dev`.
 *
 * Starts its own dev server (fresh `--persist-to` directory, migrations, the seeded local API key) like
 * `npm run smoke`, puts a header-injecting proxy in front of it (`scripts/lib/header-proxy.ts`: the
 * suite cannot send a bearer token; the proxy adds `Authorization: Bearer <key>` and passes everything
 * else through), and runs the suite once per protocol revision the server speaks, each at its own wire
 * (`--requirements 2025-11-25`: initialize handshake; `--requirements 2026-07-28`: stateless, per-request
 * `_meta`). Offline; results go to `.local/mcp-conformance/<revision>/` (kept for inspection).
 *
 * Most scenarios drive fixtures of the suite's reference server (tools named `test_simple_text`,
 * `test_image_content`, …) or optional features; a product server has neither. Every failing check is
 * therefore classified, and only checks no rule explains count as failures:
 * - not applicable, optional feature: the scenario exercises a capability this server does not declare
 *   (resources, prompts, logging, completions, the tasks extension, `x-mcp-header` parameters); verified
 *   against the server's own `initialize` capabilities and tool schemas;
 * - not applicable, suite fixture: the scenario calls a fixture tool of the reference server, verified
 *   absent from this server's `tools/list` (its passes are vacuous too, so it is not counted as passed);
 * - harness artifact: `dns-rebinding-protection`'s "rebinding rejected" check, which the suite makes
 *   through the proxy — i.e. with a credential. The same request made directly, without one, must be
 *   refused (this is probed, and a 2xx there is a real failure).
 * - not applicable, nothing exercised: a scenario that ran no check of its own (only skips, notes or
 *   warnings), such as the session scenarios against this stateless server (no `MCP-Session-Id`).
 * A crash-like failure (HTTP 5xx, JSON-RPC -32603, a timeout, a dropped connection) is never excused.
 *
 * Prints the classification and a summary line `MCP conformance: N passed, M failed (…)`; exits 1 only
 * when a failure is left (or the run itself broke).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import {
  applyMigrations,
  type DevServer,
  ensureDevVars,
  freePort,
  LOCAL_DIR,
  REPO_ROOT,
  repoPath,
  seedLocalOrg,
  startDevServer,
  stopOnSignals,
  tailFile,
} from "./lib/dev-server.ts";
import { type HeaderProxy, startHeaderProxy } from "./lib/header-proxy.ts";

/** The protocol revisions `/api/mcp` serves; the suite runs each revision's required set at its wire. */
const REVISIONS = ["2025-11-25", "2026-07-28"] as const;
/** The Node 22 binary npm installed (the `node` devDependency); the suite needs Node 22. */
const NODE22 = join(REPO_ROOT, "node_modules", ".bin", "node");
const CONFORMANCE_BIN = join(REPO_ROOT, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
const RESULTS_DIR = join(LOCAL_DIR, "mcp-conformance");
const MCP_PATH = "/api/mcp";
/** Longest a whole suite run may take before it is stopped. */
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

const tty = process.stdout.isTTY === true;
const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[39m` : s);
const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[39m` : s);
const yellow = (s: string) => (tty ? `\x1b[33m${s}\x1b[39m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

// ---- what the suite reports ----------------------------------------------------------------------

interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "SKIPPED" | "INFO";
  errorMessage?: string;
  details?: { message?: unknown } | null;
}

/** What a check says: its error message, else its details' message. */
function said(check: Check): string {
  const message = check.errorMessage ?? check.details?.message;
  return typeof message === "string" ? message : "";
}

interface ScenarioRun {
  revision: string;
  scenario: string;
  /** Undefined when the suite listed the scenario in its summary but wrote no results for it. */
  checks: Check[] | undefined;
}

/** Why a check does not count against this server. */
interface Excuse {
  kind: "feature" | "fixture" | "artifact" | "vacuous";
  reason: string;
}

/** Facts about this server, gathered by the script itself (not taken from the suite). */
interface ServerFacts {
  capabilities: Record<string, unknown>;
  tools: string[];
  /** True when a tool's input schema uses `x-mcp-header` (SEP-2243 custom headers). */
  usesMcpHeaderParams: boolean;
  /** Status of the suite's DNS-rebinding request made directly to the server, without a credential. */
  directRebindingStatus: number;
}

// ---- classification ------------------------------------------------------------------------------

/** Optional features, with the check that tells whether this server declares them. */
const FEATURES: Record<string, { label: string; declared: (facts: ServerFacts) => boolean }> = {
  resources: { label: "resources", declared: (f) => "resources" in f.capabilities },
  prompts: { label: "prompts", declared: (f) => "prompts" in f.capabilities },
  logging: { label: "logging", declared: (f) => "logging" in f.capabilities },
  completions: { label: "completions", declared: (f) => "completions" in f.capabilities },
  tasks: {
    label: "tasks extension",
    declared: (f) => "tasks" in f.capabilities || JSON.stringify(f.capabilities.extensions ?? {}).includes("tasks"),
  },
  mcpHeader: { label: "x-mcp-header tool parameters (SEP-2243)", declared: (f) => f.usesMcpHeaderParams },
};

/** Whole scenarios that exercise one optional feature. */
function scenarioFeature(scenario: string): keyof typeof FEATURES | undefined {
  if (scenario.startsWith("resources-") || scenario === "sep-2164-resource-not-found") return "resources";
  if (scenario.startsWith("prompts-") || scenario === "input-required-result-non-tool-request") return "prompts";
  if (scenario === "logging-set-level" || scenario === "tools-call-with-logging") return "logging";
  if (scenario === "completion-complete") return "completions";
  if (scenario.startsWith("tasks-")) return "tasks";
  if (scenario === "http-custom-header-server-validation") return "mcpHeader";
  return undefined;
}

/** Single checks, inside scenarios that also test what this server does implement, that need a feature. */
function checkFeature(scenario: string, checkId: string): keyof typeof FEATURES | undefined {
  if (scenario === "caching" && checkId.startsWith("sep-2549-prompts-")) return "prompts";
  if (scenario === "caching" && checkId.startsWith("sep-2549-resources-")) return "resources";
  return undefined;
}

/**
 * Whole scenarios built around fixture tools of the suite's reference server (each scenario's
 * description says "Implement a tool named …"). Without the fixture every check is vacuous.
 */
const FIXTURE_SCENARIOS: Record<string, string> = {
  "tools-call-simple-text": "test_simple_text",
  "tools-call-image": "test_image_content",
  "tools-call-audio": "test_audio_content",
  "tools-call-embedded-resource": "test_embedded_resource",
  "tools-call-mixed-content": "test_multiple_content_types",
  "tools-call-error": "test_error_handling",
  "tools-call-with-progress": "test_tool_with_progress",
  "tools-call-sampling": "test_sampling",
  "tools-call-elicitation": "test_elicitation",
  "elicitation-sep1034-defaults": "test_elicitation_sep1034_defaults",
  "elicitation-sep1330-enums": "test_elicitation_sep1330_enums",
  "json-schema-2020-12": "json_schema_2020_12_tool",
  "input-required-result-basic-elicitation": "test_input_required_result_elicitation",
  "input-required-result-basic-sampling": "test_input_required_result_sampling",
  "input-required-result-basic-list-roots": "test_input_required_result_list_roots",
  "input-required-result-request-state": "test_input_required_result_request_state",
  "input-required-result-multiple-input-requests": "test_input_required_result_multiple_inputs",
  "input-required-result-multi-round": "test_input_required_result_multi_round",
  "input-required-result-missing-input-response": "test_input_required_result_elicitation",
  "input-required-result-result-type": "test_input_required_result_elicitation",
  "input-required-result-ignore-extra-params": "test_input_required_result_elicitation",
  "input-required-result-validate-input": "test_input_required_result_elicitation",
  "input-required-result-tampered-state": "test_input_required_result_tampered_state",
  "input-required-result-capability-check": "test_input_required_result_capabilities",
  "server-sse-polling": "test_reconnection",
};

/** Single checks that need a fixture tool the failure message does not name. */
const FIXTURE_CHECKS: Record<string, string> = {
  "server-stateless:sep-2575-server-sends-tools-list-changed-on-subscription": "test_trigger_tool_change",
};

/** Failures that say the server broke rather than lacked something: never excused. */
const CRASH =
  /HTTP 5\d\d|status(?:Code)?["']?[ :=]+5\d\d|-32603|internal (?:server )?error|timed? ?out|ECONNRESET|ECONNREFUSED|fetch failed|socket hang up/i;

/** The fixture a failure message says is missing (a tool the server does not have), if any. */
function missingFixture(run: ScenarioRun, check: Check, facts: ServerFacts): string | undefined {
  const message = said(check);
  const named =
    /Tool '?([\w-]+)'? not found/.exec(message)?.[1] ??
    /diagnostic (?:tool|hook) '([\w-]+)'/.exec(message)?.[1] ??
    FIXTURE_CHECKS[`${run.scenario}:${check.id}`];
  if (named && !facts.tools.includes(named)) return named;
  // A later step of a scenario whose first step needed a fixture.
  if (/^(?:Prerequisite failed|Not testable: no task was created)|fixture from Check \d+ unavailable/.test(message))
    return "an earlier step's fixture";
  return undefined;
}

/** Why a FAILURE or WARNING check does not count against this server; undefined when it does. */
function excuse(run: ScenarioRun, check: Check, facts: ServerFacts): Excuse | undefined {
  const message = said(check);
  if (CRASH.test(message)) return undefined;
  if (run.scenario === "dns-rebinding-protection" && check.id === "localhost-host-rebinding-rejected") {
    if (facts.directRebindingStatus >= 400 && facts.directRebindingStatus < 500)
      return {
        kind: "artifact",
        reason: `made through the credential-injecting proxy; the same request sent directly without a credential is refused (HTTP ${facts.directRebindingStatus})`,
      };
    return undefined;
  }
  const feature = checkFeature(run.scenario, check.id) ?? scenarioFeature(run.scenario);
  if (feature && !FEATURES[feature]!.declared(facts)) return { kind: "feature", reason: FEATURES[feature]!.label };
  const fixture = missingFixture(run, check, facts);
  if (fixture) return { kind: "fixture", reason: fixture };
  return undefined;
}

type Outcome =
  | { kind: "passed"; excused: { check: Check; why: Excuse }[]; warnings: Check[] }
  | { kind: "not-applicable"; why: Excuse }
  | { kind: "failed"; failures: Check[]; excused: { check: Check; why: Excuse }[] };

/** The verdict on one scenario run. */
function judge(run: ScenarioRun, facts: ServerFacts): Outcome {
  if (!run.checks)
    return {
      kind: "failed",
      failures: [{ id: "(no results)", status: "FAILURE", errorMessage: "the suite wrote no checks" }],
      excused: [],
    };
  const troubled = run.checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING");
  const crashes = troubled.filter((c) => c.status === "FAILURE" && CRASH.test(said(c)));

  // Whole scenarios for an undeclared feature, or built on a fixture this server lacks.
  const feature = scenarioFeature(run.scenario);
  if (crashes.length === 0 && feature && !FEATURES[feature]!.declared(facts))
    return { kind: "not-applicable", why: { kind: "feature", reason: FEATURES[feature]!.label } };
  const fixture = FIXTURE_SCENARIOS[run.scenario];
  if (crashes.length === 0 && fixture && !facts.tools.includes(fixture))
    return { kind: "not-applicable", why: { kind: "fixture", reason: fixture } };

  const excused: { check: Check; why: Excuse }[] = [];
  const failures: Check[] = [];
  const warnings: Check[] = [];
  for (const check of troubled) {
    const why = excuse(run, check, facts);
    if (why) excused.push({ check, why });
    else if (check.status === "FAILURE") failures.push(check);
    else warnings.push(check);
  }
  if (failures.length > 0) return { kind: "failed", failures, excused };
  // Nothing of its own ran (only skips, notes, warnings, and the wire-schema check of whatever was sent).
  if (!run.checks.some((c) => c.status === "SUCCESS" && c.id !== "wire-schema-valid")) {
    const notes = run.checks.map(said).filter(Boolean);
    const stateless = notes.some((n) => /session ID|MCP-Session-Id/i.test(n));
    return {
      kind: "not-applicable",
      why: { kind: "vacuous", reason: stateless ? "stateless server (no MCP-Session-Id)" : trimmed(notes[0] ?? "no checks ran", 100) },
    };
  }
  return { kind: "passed", excused, warnings };
}

// ---- running -------------------------------------------------------------------------------------

/** Runs the suite for one revision; resolves with the scenarios its summary listed and their checks. */
async function runSuite(url: string, revision: string): Promise<{ code: number | null; runs: ScenarioRun[]; logFile: string }> {
  const outDir = join(RESULTS_DIR, revision);
  const logFile = join(RESULTS_DIR, `${revision}.log`);
  await mkdir(outDir, { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(NODE22, [CONFORMANCE_BIN, "server", "--url", url, "--requirements", revision, "--output-dir", outDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
    log.write(c);
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => log.write(c));
  const timer = setTimeout(() => child.kill("SIGTERM"), RUN_TIMEOUT_MS);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  await new Promise<void>((r) => log.end(r));

  // The summary names every scenario that ran; each should have left `server-<scenario>-<time>/checks.json`.
  const summary = stdout.slice(stdout.indexOf("=== SUMMARY ==="));
  const listed = [...summary.matchAll(/^[✓✗] (\S+): \d+ passed, \d+ failed$/gm)].map((m) => m[1]!);
  const dirs = await readdir(outDir);
  const runs: ScenarioRun[] = [];
  for (const scenario of listed) {
    const dir = dirs.find((d) => new RegExp(`^server-${scenario.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{4}-\\d{2}-\\d{2}T`).test(d));
    const raw = dir ? await readFile(join(outDir, dir, "checks.json"), "utf8").catch(() => undefined) : undefined;
    runs.push({ revision, scenario, checks: raw ? (JSON.parse(raw) as Check[]) : undefined });
  }
  return { code, runs, logFile };
}

/** The server's declared capabilities and tools, read through the proxy with the SDK client (2025 wire). */
async function serverFacts(proxyMcpUrl: string, directUrl: string): Promise<ServerFacts> {
  const client = new Client({ name: "edgeharness-conformance-facts", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxyMcpUrl)));
  const capabilities = (client.getServerCapabilities() ?? {}) as Record<string, unknown>;
  const { tools } = await client.listTools();
  await client.close();
  return {
    capabilities,
    tools: tools.map((t) => t.name),
    usesMcpHeaderParams: JSON.stringify(tools.map((t) => t.inputSchema)).includes("x-mcp-header"),
    directRebindingStatus: await rebindingProbe(directUrl),
  };
}

/**
 * The suite's DNS-rebinding request (`Host` and `Origin` of `evil.example.com`), sent straight to the
 * dev server — no proxy, so no credential. Resolves with the HTTP status.
 */
function rebindingProbe(directUrl: string): Promise<number> {
  const target = new URL(`${directUrl}${MCP_PATH}`);
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "rebinding-probe", version: "1" } },
  });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          host: "evil.example.com",
          origin: "http://evil.example.com",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-11-25",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// ---- report --------------------------------------------------------------------------------------

function label(run: ScenarioRun): string {
  return `${run.scenario} [${run.revision}]`;
}

function trimmed(message: string, max = 160): string {
  const text = message.replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A scenario's name for the summary: bare when it had the same outcome at every revision it ran at,
 * else with the revision (`server-sse-multiple-streams@2025-11-25`).
 */
function namer(judged: { run: ScenarioRun; outcome: Outcome }[]): (run: ScenarioRun) => string {
  const kinds = new Map<string, Set<string>>();
  for (const { run, outcome } of judged) kinds.set(run.scenario, (kinds.get(run.scenario) ?? new Set()).add(outcome.kind));
  return (run) => ((kinds.get(run.scenario)?.size ?? 0) > 1 ? `${run.scenario}@${run.revision}` : run.scenario);
}

/** Names grouped by reason, each once. */
function grouped(entries: { name: string; reason: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { name, reason } of entries) {
    const names = out.get(reason) ?? [];
    if (!names.includes(name)) names.push(name);
    out.set(reason, names);
  }
  return out;
}

/** Distinct names, in order. */
function distinct(names: string[]): string {
  return [...new Set(names)].join(", ");
}

const started = Date.now();
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
const persistTo = join(LOCAL_DIR, `conformance-${stamp}`);
const serverLog = join(LOCAL_DIR, "mcp-conformance.log");
let server: DevServer | undefined;
let proxy: HeaderProxy | undefined;
let exitCode = 0;

console.log(`MCP conformance (@modelcontextprotocol/conformance) against ${MCP_PATH}: fresh state in ${repoPath(persistTo)}`);
try {
  await rm(RESULTS_DIR, { recursive: true, force: true });
  await mkdir(RESULTS_DIR, { recursive: true });
  await ensureDevVars();
  await applyMigrations(persistTo);
  const seed = await seedLocalOrg(persistTo);
  server = await startDevServer({ port: await freePort(), persistTo, logFile: serverLog });
  stopOnSignals(server, async () => {
    await proxy?.close();
    await rm(persistTo, { recursive: true, force: true });
  });
  proxy = await startHeaderProxy({ upstream: server.url, path: MCP_PATH, headers: { authorization: `Bearer ${seed.token}` } });
  const proxyMcpUrl = `${proxy.origin}${MCP_PATH}`;
  console.log(dim(`wrangler dev at ${server.url}; header proxy at ${proxy.origin} (adds the seeded key to ${MCP_PATH})`));

  const facts = await serverFacts(proxyMcpUrl, server.url);
  console.log(
    dim(
      `server declares: ${Object.keys(facts.capabilities).join(", ")}; tools: ${facts.tools.join(", ")}; ` +
        `direct rebinding probe (no credential): HTTP ${facts.directRebindingStatus}`,
    ),
  );

  const runs: ScenarioRun[] = [];
  for (const revision of REVISIONS) {
    const t = Date.now();
    const result = await runSuite(proxyMcpUrl, revision);
    console.log(
      dim(
        `--requirements ${revision}: ${result.runs.length} scenarios in ${((Date.now() - t) / 1000).toFixed(1)} s ` +
          `(suite exit ${result.code}; output in ${repoPath(result.logFile)})`,
      ),
    );
    if (result.runs.length === 0) {
      console.log(red(`The suite reported no scenarios for ${revision}. Last lines of its output:\n${await tailFile(result.logFile, 20)}`));
      exitCode = 1;
    }
    runs.push(...result.runs);
  }

  const judged = runs.map((run) => ({ run, outcome: judge(run, facts) }));
  const passed = judged.filter((j) => j.outcome.kind === "passed");
  const failed = judged.filter((j) => j.outcome.kind === "failed");
  const notApplicable = judged.filter((j) => j.outcome.kind === "not-applicable");

  console.log("");
  for (const { run, outcome } of judged) {
    if (outcome.kind === "not-applicable") continue;
    const head = outcome.kind === "passed" ? green("PASS") : red("FAIL");
    console.log(`${head} ${label(run)}`);
    if (outcome.kind === "failed") for (const f of outcome.failures) console.log(red(`       failure ${f.id}: ${trimmed(said(f), 300)}`));
    for (const { check, why } of outcome.excused)
      console.log(dim(`       not applicable ${check.id} (${why.kind === "artifact" ? "harness artifact" : why.kind}: ${why.reason})`));
    if (outcome.kind === "passed") for (const w of outcome.warnings) console.log(yellow(`       warning ${w.id}: ${trimmed(said(w))}`));
  }

  const nameOf = namer(judged);
  const byKind = (kind: Excuse["kind"]) =>
    grouped(
      notApplicable.flatMap(({ run, outcome }) =>
        outcome.kind === "not-applicable" && outcome.why.kind === kind ? [{ name: nameOf(run), reason: outcome.why.reason }] : [],
      ),
    );
  const features = byKind("feature");
  const fixtures = byKind("fixture");
  const vacuous = byKind("vacuous");
  console.log("");
  console.log(`Not applicable — optional features this server does not declare:`);
  for (const [feature, scenarios] of features) console.log(dim(`  ${feature}: ${scenarios.join(", ")}`));
  console.log(`Not applicable — fixture tools of the suite's reference server (absent from tools/list):`);
  for (const [tool, scenarios] of fixtures) console.log(dim(`  ${tool}: ${scenarios.join(", ")}`));
  if (vacuous.size) console.log(`Not applicable — nothing of the scenario's own ran:`);
  for (const [why, scenarios] of vacuous) console.log(dim(`  ${why}: ${scenarios.join(", ")}`));
  const artifacts = judged.flatMap(({ run, outcome }) =>
    outcome.kind === "not-applicable"
      ? []
      : outcome.excused.filter((e) => e.why.kind === "artifact").map((e) => `${nameOf(run)}:${e.check.id}`),
  );
  const artifactChecks = judged.flatMap(({ run, outcome }) =>
    outcome.kind === "not-applicable"
      ? []
      : outcome.excused.filter((e) => e.why.kind === "artifact").map((e) => `${label(run)} ${e.check.id}`),
  );
  if (artifactChecks.length) console.log(`Harness artifacts: ${artifactChecks.join("; ")}`);

  if (failed.length > 0) exitCode = 1;
  const partly = passed.filter((j) => j.outcome.kind === "passed" && j.outcome.excused.length > 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log("");
  const line =
    `MCP conformance: ${passed.length} passed, ${failed.length} failed ` +
    `(${runs.length} scenario runs at ${REVISIONS.join(" and ")}; ` +
    `passed: ${distinct(passed.map((j) => nameOf(j.run)))}` +
    `${partly.length ? ` [${distinct(partly.map((j) => nameOf(j.run)))} on their applicable checks]` : ""}; ` +
    (failed.length ? `failed: ${failed.map((j) => label(j.run)).join(", ")}; ` : "") +
    `${notApplicable.length} not applicable: ` +
    [...features].map(([feature, names]) => `${feature} (${names.join(", ")})`).join("; ") +
    `; suite fixtures (${distinct([...fixtures.values()].flat())})` +
    [...vacuous].map(([why, names]) => `; ${why} (${names.join(", ")})`).join("") +
    `${artifacts.length ? `; harness artifact (${distinct(artifacts)})` : ""}) in ${seconds} s`;
  console.log(failed.length || exitCode ? red(line) : green(line));
} catch (error) {
  exitCode = 1;
  console.error(red(`MCP conformance: the run broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  console.error(dim(`Last lines of ${repoPath(serverLog)}:\n${await tailFile(serverLog, 30)}`));
} finally {
  await proxy?.close();
  await server?.stop();
  await rm(persistTo, { recursive: true, force: true });
}
process.exitCode = exitCode;
