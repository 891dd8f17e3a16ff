/**
 * `npm start`: runs EdgeHarness locally in the foreground — fills in `.local/dev.vars`, applies the D1
 * migrations, seeds the local organization and its API key, and starts `wrangler dev` on
 * 127.0.0.1:8787 (`PORT` overrides). Ctrl-C stops it.
 *
 * Flags: `--verbose` also shows wrangler's output here (it always goes to `.local/wrangler.log`).
 */
import {
  applyMigrations,
  CREDENTIALS_FILE,
  DEFAULT_PORT,
  describeDevVars,
  ensureDevVars,
  isServerUp,
  portInUse,
  repoPath,
  seedLocalOrg,
  startDevServer,
  stopOnSignals,
  tailFile,
} from "./lib/dev-server.ts";

const verbose = process.argv.includes("--verbose");
const port = Number(process.env.PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a TCP port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const tty = process.stdout.isTTY === true;
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

try {
  if (await portInUse(port)) {
    const url = `http://127.0.0.1:${port}`;
    throw new Error(
      (await isServerUp(url))
        ? `EdgeHarness is already running at ${url}. Stop it first, or set PORT to start another one.`
        : `Port ${port} on 127.0.0.1 is already in use. Set PORT to use another port.`,
    );
  }
  const vars = await ensureDevVars();
  console.log(describeDevVars(vars));
  const applied = await applyMigrations();
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(", ")}` : "Database schema is up to date.");
  const seed = await seedLocalOrg();
  console.log(`${seed.generated ? "Created" : "Using"} local organization ${seed.orgId} (${repoPath(CREDENTIALS_FILE)})`);
  console.log(`Starting wrangler dev on 127.0.0.1:${port} …`);
  const started = Date.now();
  const server = await startDevServer({ port, verbose });
  stopOnSignals(server, () => console.log("\nStopped."));
  const auth = `-H "Authorization: Bearer ${seed.token}"`;
  console.log(`
${bold(`EdgeHarness is running at ${server.url}`)} ${dim(`(ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`)}

  Web console: ${bold(`${server.url}/console`)}
    ${dim("first time: create your account there (Create one); it comes with an organization you own")}

  API key (organization ${seed.orgId}, all scopes):
    ${bold(seed.token)}

  Try:
    curl ${auth} ${server.url}/v1/harnesses
    curl ${server.url}/openapi.json
    curl ${server.url}/docs          ${dim("# or open it in a browser")}

  Run the demo against this server:  ${port === DEFAULT_PORT ? "npm run demo" : `EDGEHARNESS_URL=${server.url} npm run demo`}
  ${dim(`wrangler output: ${repoPath(server.logFile)}${verbose ? "" : " (npm start -- --verbose shows it here)"}`)}
  Press Ctrl-C to stop.
`);
  const code = await server.exited;
  // Only reached when wrangler stops on its own (Ctrl-C exits from the signal handler).
  console.error(
    `wrangler dev exited unexpectedly (code ${code}). Last lines of ${repoPath(server.logFile)}:\n${await tailFile(server.logFile)}`,
  );
  process.exit(1);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
