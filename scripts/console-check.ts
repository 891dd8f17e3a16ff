/**
 * `npm run console:check`: the web console in Chromium against a real `wrangler dev` (fresh state in
 * `.local/console-<timestamp>`, removed at the end), reached through a loopback proxy that can cut the
 * network (`scripts/lib/console-flow.ts` says what it checks). Screenshots: `.local/screenshots/console/`.
 * Exit code 0 when every check passed and the pages made no console error, no CSP violation and no
 * request outside the server; else 1. Wrangler's output is kept in `.local/console-check.log`.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { CONSOLE_SCREENSHOTS_DIR, runConsoleFlow } from "./lib/console-flow.ts";
import { type DevServer, LOCAL_DIR, repoPath, runStamp, startFreshDevServer, tailFile } from "./lib/dev-server.ts";
import { startCuttableProxy, type CuttableProxy } from "./lib/tcp-proxy.ts";

const tty = process.stdout.isTTY === true;
const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[39m` : s);
const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[39m` : s);

const started = Date.now();
const stamp = runStamp();
const persistTo = join(LOCAL_DIR, `console-${stamp}`);
const logFile = join(LOCAL_DIR, "console-check.log");
let server: DevServer | undefined;
let proxy: CuttableProxy | undefined;
let failed = 0;
let passed = 0;

console.log(`EdgeHarness console check: fresh state in ${repoPath(persistTo)}`);
try {
  ({ server } = await startFreshDevServer({ persistTo, logFile }));
  proxy = await startCuttableProxy(Number(new URL(server.url).port));
  console.log(`wrangler dev at ${server.url}; the browser uses ${proxy.url} (a proxy that can cut the network)`);
  const result = await runConsoleFlow(proxy, { log: (line) => console.log(line.startsWith("PASS") ? green(line) : red(line)) });
  passed = result.checks.filter((c) => c.ok).length;
  failed = result.checks.length - passed;
  const hygiene: [string, string[]][] = [
    ["console errors", result.consoleErrors],
    ["CSP violations", result.cspViolations],
    ["requests outside the server", result.outsideRequests],
  ];
  for (const [what, found] of hygiene) {
    if (found.length === 0) {
      passed++;
      console.log(green(`PASS no ${what}`));
    } else {
      failed++;
      console.log(red(`FAIL ${found.length} ${what}: ${found.slice(0, 5).join(" | ")}`));
    }
  }
  if (result.expectedNetworkErrors.length > 0)
    console.log(`(${result.expectedNetworkErrors.length} network line(s) the flow provoked on purpose: refused input, the cut network)`);
  console.log(`${result.screenshots.length} screenshots in ${repoPath(CONSOLE_SCREENSHOTS_DIR)}`);
} catch (error) {
  failed++;
  console.log(red(`FAIL ${error instanceof Error ? error.message : String(error)}`));
} finally {
  await proxy?.close();
  await server?.stop();
  await rm(persistTo, { recursive: true, force: true });
}
if (failed > 0) console.log(`Last lines of ${repoPath(logFile)}:\n${await tailFile(logFile, 20)}`);
console.log(`\n${passed} passed, ${failed} failed`);
console.log(
  `${failed === 0 ? green("CONSOLE CHECK PASSED") : red("CONSOLE CHECK FAILED")} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed === 0 ? 0 : 1);
