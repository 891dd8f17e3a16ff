/**
 * `npm run conformance`: certifies an Open Harness server over HTTP with the conformance runner
 * (`src/conformance/`), the same one `conformance.run` uses inside the Worker.
 *
 * Without `--url` it starts its own `wrangler dev` (fresh state, free port), registers a native harness
 * `conformance` running the scripted conformance model (`scripted/conformance`, labelled as such: the
 * self-test checks the server, not a model), and certifies it; then it registers a second harness that is
 * a remote harness pointing back at the same server's `conformance` harness (`base_url`) and certifies
 * the proxy path too. With `--url <base of the API, e.g. https://host/v1> --key <token> --harness <id>` it
 * certifies that harness of any Open Harness server.
 *
 * Prints every check and, per harness, `passed / applicable / total` and the verdict. Exit code 1 when the
 * runner could not run; with `--require-pass`, also when a harness is not certified. `CONFORMANCE_KEEP=1`
 * keeps the local run's state directory and its `wrangler.log` for a look afterwards.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConformanceClient } from "../src/conformance/client.ts";
import { runConformance, type ConformanceEvent, type RunReport } from "../src/conformance/runner.ts";
import { applyMigrations, ensureDevVars, freePort, LOCAL_DIR, seedLocalOrg, startDevServer } from "./lib/dev-server.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const requirePass = args.includes("--require-pass");
const verbose = !args.includes("--quiet");
const tty = process.stdout.isTTY === true;
const paint = (code: number, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);

/** The harnesses the self-test registers: every capability ref whose tools run without a person. */
const SELF_TEST_REFS = ["current_time", "workspace_files", "planning", "memory", "subagents"];

async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
}

async function certify(label: string, baseUrl: string, token: string, harness: string): Promise<RunReport> {
  console.log(`\n${paint(1, `Conformance of ${label}`)} (harness ${harness} at ${baseUrl})`);
  const names = new Map<string, string>();
  const report = await runConformance(new ConformanceClient({ baseUrl, token }), harness, {}, (event: ConformanceEvent) => {
    if (event.type === "test.started") names.set(event.test_id, event.test_name);
    if (!verbose) return;
    if (event.type === "test.passed") console.log(`  ${paint(32, "PASS")} ${event.test_id} ${names.get(event.test_id)}`);
    if (event.type === "test.failed")
      console.log(`  ${paint(31, event.soft ? "SOFT" : "FAIL")} ${event.test_id} ${names.get(event.test_id)} — ${event.error}`);
    if (event.type === "test.skipped") console.log(`  ${paint(2, "SKIP")} ${event.test_id} ${names.get(event.test_id)} — ${event.reason}`);
  });
  const verdict =
    report.result === "pass" ? paint(32, "certified") : report.result === "partial" ? paint(33, "partial") : paint(31, "failing");
  const softPassed = report.tests.filter((t) => t.soft && t.status === "passed").length;
  console.log(
    `${label}: ${report.passed} passed / ${report.applicable} applicable / ${report.total} total — ${report.failed} failed; soft checks (never failing a certification): ${softPassed} passed, ${report.soft_failed} failed; ${report.skipped} skipped; golden rule violations: ${report.golden_rule_violations}; ${verdict} (pass rate ${report.pass_rate})`,
  );
  return report;
}

async function registerSelfTest(base: string, token: string): Promise<void> {
  const native = await api(base, token, "POST", "/v1/harnesses", {
    id: "conformance",
    name: "Conformance self-test",
    vendor: "EdgeHarness",
    description: "The native harness certified by npm run conformance (scripted conformance model).",
    execution_type: "hosted",
    config: {},
    default_model_id: "scripted/conformance",
    capability_refs: SELF_TEST_REFS.map((ref) => ({ ref })),
  });
  if (native.status !== 201) throw new Error(`registering the conformance harness failed: ${native.status} ${JSON.stringify(native.body)}`);
}

/** Registers a remote harness proxying to the native one; `undefined` when this deployment cannot (yet). */
async function registerProxy(base: string, token: string): Promise<string | undefined> {
  const proxy = await api(base, token, "POST", "/v1/harnesses", {
    id: "conformance-proxy",
    name: "Conformance self-test through the remote-harness proxy",
    vendor: "EdgeHarness",
    description: "A remote harness pointing back at this server's conformance harness.",
    execution_type: "hosted",
    config: { base_url: `${base}/v1`, remote_harness_id: "conformance" },
  });
  if (proxy.status !== 201) return undefined;
  const stored = await api(base, token, "POST", "/v1/harnesses/conformance-proxy/validate-credentials", {
    provider: "openharness",
    api_key: token,
    store: true,
  });
  if (stored.status !== 200 || stored.body?.valid !== true) return undefined;
  return "conformance-proxy";
}

const url = flag("url");
let failedToRun = false;
const reports: RunReport[] = [];
if (url) {
  const token = flag("key") ?? process.env.EDGEHARNESS_API_KEY;
  const harness = flag("harness");
  if (!token || !harness) {
    console.error("--url needs --key <token> (or EDGEHARNESS_API_KEY) and --harness <id>.");
    process.exit(1);
  }
  reports.push(await certify(harness, url, token, harness));
} else {
  const persistTo = await mkdtemp(join(LOCAL_DIR, "conformance-"));
  await ensureDevVars();
  await applyMigrations(persistTo);
  const { token } = await seedLocalOrg(persistTo);
  const server = await startDevServer({ port: await freePort(), persistTo, logFile: join(persistTo, "wrangler.log") });
  try {
    await registerSelfTest(server.url, token);
    reports.push(await certify("the native harness", `${server.url}/v1`, token, "conformance"));
    const proxy = await registerProxy(server.url, token);
    if (proxy) reports.push(await certify("the proxied harness (remote-harness path)", `${server.url}/v1`, token, proxy));
    else console.log("\nThe remote-harness proxy is not available on this deployment: its certification is not run.");
  } catch (error) {
    failedToRun = true;
    console.error(`The conformance run failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await server.stop();
    if (process.env.CONFORMANCE_KEEP) console.log(`kept ${persistTo} (wrangler.log)`);
    else await rm(persistTo, { recursive: true, force: true });
  }
}
process.exit(failedToRun || (requirePass && reports.some((r) => r.result !== "pass")) ? 1 : 0);
