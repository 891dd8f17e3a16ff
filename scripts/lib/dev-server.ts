/**
 * Shared helpers for the local scripts (`npm start`, `npm run demo`, `npm run smoke`): local secrets in
 * `.local/dev.vars`, D1 migrations, the local organization and its API key, and a `wrangler dev` process.
 *
 * Everything runs offline: wrangler is started with `CLOUDFLARE_CF_FETCH_ENABLED=false` (no
 * `Request.cf` download) and `WRANGLER_SEND_METRICS=false`, and only ever with `--local`.
 * Wrangler is run with the same Node binary as the calling script (`process.execPath`), so Node 22
 * is used even when the system `node` is older.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomToken, sha256Hex } from "../../src/lib/crypto.ts";
import { uuidV7Hex } from "../../src/lib/ids.ts";

/** The repository root (the directory holding `wrangler.toml`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Git-ignored directory for local state: saved credentials, logs, smoke-test databases. */
export const LOCAL_DIR = join(REPO_ROOT, ".local");
/** Where the local organization's id and API key are kept between runs. */
export const CREDENTIALS_FILE = join(LOCAL_DIR, "dev-credentials.json");
/** Default `wrangler dev` output file. */
export const DEFAULT_LOG_FILE = join(LOCAL_DIR, "wrangler.log");
/** Port of `npm start` (and where `npm run demo` looks for a running server). */
export const DEFAULT_PORT = 8787;

// Not `.local/dev.vars`: `wrangler types` reads that file and would put local secrets into the committed
// src/env.d.ts (and `--check` would fail on every machine that ran `npm start`). `wrangler dev` gets it
// through `--env-file` instead.
const DEV_VARS_FILE = join(REPO_ROOT, ".local", "dev.vars");
const WRANGLER_BIN = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const READY_TIMEOUT_MS = 90_000;

/** Provider variables copied from the environment into `.local/dev.vars` on every start. */
export const PROVIDER_VARS = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_COMPATIBLE_BASE_URL",
  "OPENAI_COMPATIBLE_API_KEY",
] as const;

/** Environment for every wrangler child: offline, no telemetry, never interactive. */
function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    CI: "true",
    FORCE_COLOR: "0",
    NO_COLOR: "1",
    ...extra,
  };
}

/** A non-empty, trimmed environment variable, else undefined. */
export function envValue(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** `path` relative to the repository root, for messages. */
export function repoPath(path: string): string {
  return relative(REPO_ROOT, path) || ".";
}

async function ensureLocalDir(): Promise<void> {
  await mkdir(LOCAL_DIR, { recursive: true, mode: 0o700 });
}

/** Writes `content` to `path` with mode 0600 (via a temporary file, so a reader never sees half a file). */
async function writePrivateFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

// ---------------------------------------------------------------------------------------------------
// .dev.vars

/**
 * A `.local/dev.vars` value (dotenv syntax), quoted only when needed: single quotes keep the value literal;
 * a value that itself holds a single quote is double-quoted (dotenv has no escape for `"` there).
 */
function formatDotenvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/+=,@~%?&]*$/.test(value)) return value;
  if (!value.includes("'") && !value.includes("\n")) return `'${value}'`;
  return `"${value.replace(/\n/g, "\\n")}"`;
}

/** True when `value` is standard base64 of exactly 32 bytes. */
function isAesKey(value: string): boolean {
  const unquoted = value.replace(/^["']|["']$/g, "");
  return /^[A-Za-z0-9+/]{43}=$/.test(unquoted) && Buffer.from(unquoted, "base64").byteLength === 32;
}

/**
 * Settings (`[vars]` in wrangler.toml) taken from the environment on every `npm start` when set there;
 * `.local/dev.vars` then overrides wrangler.toml with them.
 */
export const ENV_SETTINGS = ["PUBLIC_ORIGIN", "DEFAULT_MODEL", "DAILY_REQUEST_QUOTA", "DAILY_TOKEN_BUDGET"] as const;

/** The local default of `OUTBOUND_PRIVATE_HOST_ALLOWLIST` when the environment does not set it: a local model server. */
export const LOCAL_PRIVATE_HOST_ALLOWLIST = "127.0.0.1,localhost";

/** What `ensureDevVars` did. */
export interface DevVarsResult {
  path: string;
  /** True when the file did not exist before. */
  created: boolean;
  /** Provider variables written from the current environment (names only). */
  providerVars: string[];
  /** Other settings written from the current environment (names only). */
  envSettings: string[];
  /** The hosts user-supplied URLs may reach although private (`OUTBOUND_PRIVATE_HOST_ALLOWLIST`), as written. */
  privateHostAllowlist: string[];
  /** Where the allowlist came from. */
  allowlistSource: "environment" | "default";
}

/** Options of `ensureDevVars` (the defaults are what `npm start` uses). */
export interface DevVarsOptions {
  /** The file to write (default `.local/dev.vars`). */
  path?: string;
  /** The environment to read settings from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

function valueIn(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Creates or rewrites `.local/dev.vars` (git-ignored, mode 0600), the local settings `wrangler dev` reads.
 * Everything the README lists as coming from the environment is taken from it on every call, so the
 * environment of this start wins over an earlier file:
 * - the provider variables (`PROVIDER_VARS`) and `ENV_SETTINGS`, written when set, removed when not;
 * - `OUTBOUND_PRIVATE_HOST_ALLOWLIST`: the environment's value, else `127.0.0.1,localhost` (a local
 *   model server such as Ollama) — never an earlier file's;
 * - `CREDENTIALS_ENCRYPTION_KEY`: the environment's when set, else the file's (generated once: base64 of
 *   32 random bytes), so stored provider keys stay readable across starts.
 * Any other line in the file is left as it is.
 */
export async function ensureDevVars(options: DevVarsOptions = {}): Promise<DevVarsResult> {
  const path = options.path ?? DEV_VARS_FILE;
  const env = options.env ?? process.env;
  const existing = await readFile(path, "utf8").catch(() => undefined);
  const managed = new Set<string>([...PROVIDER_VARS, ...ENV_SETTINGS, "OUTBOUND_PRIVATE_HOST_ALLOWLIST"]);
  const kept: string[] = [];
  let encryptionKey: string | undefined;
  for (const line of (existing ?? "").split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    const name = match?.[1];
    if (name && managed.has(name)) continue;
    if (name === "CREDENTIALS_ENCRYPTION_KEY") {
      if (isAesKey(match![2]!.trim())) encryptionKey = line;
      continue;
    }
    kept.push(line);
  }
  while (kept.length > 0 && kept.at(-1)!.trim() === "") kept.pop();

  const envKey = valueIn(env, "CREDENTIALS_ENCRYPTION_KEY");
  const allowlist = valueIn(env, "OUTBOUND_PRIVATE_HOST_ALLOWLIST");
  const lines = [
    envKey
      ? `CREDENTIALS_ENCRYPTION_KEY=${formatDotenvValue(envKey)}`
      : (encryptionKey ?? `CREDENTIALS_ENCRYPTION_KEY=${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`),
    `OUTBOUND_PRIVATE_HOST_ALLOWLIST=${formatDotenvValue(allowlist ?? LOCAL_PRIVATE_HOST_ALLOWLIST)}`,
    ...kept,
  ];
  const providerVars: string[] = [];
  for (const name of PROVIDER_VARS) {
    const value = valueIn(env, name);
    if (value === undefined) continue;
    providerVars.push(name);
    lines.push(`${name}=${formatDotenvValue(value)}`);
  }
  const envSettings: string[] = [];
  for (const name of ENV_SETTINGS) {
    const value = valueIn(env, name);
    if (value === undefined) continue;
    envSettings.push(name);
    lines.push(`${name}=${formatDotenvValue(value)}`);
  }
  const content = `${lines.join("\n")}\n`;
  if (content !== existing) await writePrivateFile(path, content);
  else await chmod(path, 0o600);
  return {
    path,
    created: existing === undefined,
    providerVars,
    envSettings,
    privateHostAllowlist: (allowlist ?? LOCAL_PRIVATE_HOST_ALLOWLIST)
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean),
    allowlistSource: allowlist ? "environment" : "default",
  };
}

/** The start line's account of `ensureDevVars`: what came from the environment and which local model servers are allowed. */
export function describeDevVars(vars: DevVarsResult): string {
  const from = [...vars.providerVars, ...vars.envSettings];
  return (
    `${vars.created ? "Created" : "Updated"} ${repoPath(vars.path)}` +
    (from.length > 0 ? ` (from the environment: ${from.join(", ")})` : " (no settings in the environment)") +
    (vars.providerVars.length === 0 ? "; no provider keys: only scripted/… models will run" : "") +
    `.\nLocal model servers allowed (OUTBOUND_PRIVATE_HOST_ALLOWLIST${vars.allowlistSource === "default" ? ", default" : ", from the environment"}): ${vars.privateHostAllowlist.join(", ") || "none"}`
  );
}

// ---------------------------------------------------------------------------------------------------
// wrangler commands

/** Output of one finished wrangler command. */
export interface WranglerResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `wrangler <args>` from the repository root and collects its output. Never interactive (stdin is
 * closed and `CI=true`). Throws with the command's output when it exits non-zero.
 */
export async function runWrangler(args: string[]): Promise<WranglerResult> {
  const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
    cwd: REPO_ROOT,
    env: wranglerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) {
    throw new Error(`wrangler ${args.join(" ")} failed (exit ${code}):\n${(stdout + stderr).trim()}`);
  }
  return { code, stdout, stderr };
}

function persistArgs(persistTo: string | undefined): string[] {
  return persistTo ? ["--persist-to", persistTo] : [];
}

/**
 * Applies the D1 migrations in `migrations/` to the local database (`wrangler d1 migrations apply DB
 * --local`), in `persistTo` when given (else wrangler's default `.wrangler/state`). Non-interactive:
 * with `CI=true` and stdin closed, wrangler answers its confirmation prompt with the default (yes).
 * Returns the names of the migrations applied now (empty when the database was up to date).
 */
export async function applyMigrations(persistTo?: string): Promise<string[]> {
  const { stdout } = await runWrangler(["d1", "migrations", "apply", "DB", "--local", ...persistArgs(persistTo)]);
  if (/No migrations to apply/i.test(stdout)) return [];
  return [...new Set(stdout.match(/\b\d{4}_[A-Za-z0-9_]+\.sql\b/g) ?? [])];
}

/** Runs SQL against the local D1 database and returns each statement's result rows. */
async function d1Execute(sql: string, persistTo?: string): Promise<unknown[][]> {
  const { stdout } = await runWrangler(["d1", "execute", "DB", "--local", "--json", ...persistArgs(persistTo), "--command", sql]);
  const start = stdout.indexOf("[");
  const parsed = JSON.parse(stdout.slice(start)) as { results?: unknown[] }[];
  return parsed.map((r) => r.results ?? []);
}

// ---------------------------------------------------------------------------------------------------
// local organization and API key

/** The local organization and its API key, saved in `.local/dev-credentials.json`. */
export interface LocalCredentials {
  orgId: string;
  keyId: string;
  /** The full bearer token, `eh_sk_<key id hex>_<secret>`. */
  token: string;
}

const TOKEN_PATTERN = /^eh_sk_([0-9a-f]{32})_([A-Za-z0-9_-]{16,128})$/;

function validCredentials(value: unknown): value is LocalCredentials {
  if (typeof value !== "object" || value === null) return false;
  const { orgId, keyId, token } = value as Record<string, unknown>;
  if (typeof orgId !== "string" || typeof keyId !== "string" || typeof token !== "string") return false;
  const match = TOKEN_PATTERN.exec(token);
  return /^org_[0-9a-f]{32}$/.test(orgId) && match !== null && keyId === `key_${match[1]}`;
}

/** The saved local credentials, or undefined when there are none (or the file is unusable). */
export async function readLocalCredentials(): Promise<LocalCredentials | undefined> {
  const raw = await readFile(CREDENTIALS_FILE, "utf8").catch(() => undefined);
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return validCredentials(parsed) ? { orgId: parsed.orgId, keyId: parsed.keyId, token: parsed.token } : undefined;
  } catch {
    return undefined;
  }
}

/** What `seedLocalOrg` did. */
export interface SeedResult extends LocalCredentials {
  /** True when new credentials were generated (first run, or the saved file was unusable). */
  generated: boolean;
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Makes sure the local database holds the local organization and its full-access API key.
 * On first run it generates them — org id `org_<uuidv7 hex>`, key id `key_<uuidv7 hex>`, a 32-byte
 * base64url secret, token `eh_sk_<key id hex>_<secret>` — and saves `{orgId, keyId, token}` to
 * `.local/dev-credentials.json` (mode 0600); later runs reuse that file. The rows are inserted with
 * `INSERT OR IGNORE` on every call, so a wiped database gets the same key back.
 * @throws Error when the stored key row exists but does not match the saved token or was revoked.
 */
export async function seedLocalOrg(persistTo?: string): Promise<SeedResult> {
  await ensureLocalDir();
  let credentials = await readLocalCredentials();
  const generated = credentials === undefined;
  if (!credentials) {
    const keyHex = uuidV7Hex();
    credentials = { orgId: `org_${uuidV7Hex()}`, keyId: `key_${keyHex}`, token: `eh_sk_${keyHex}_${randomToken(32)}` };
    await writePrivateFile(CREDENTIALS_FILE, `${JSON.stringify(credentials, null, 2)}\n`);
  } else {
    await chmod(CREDENTIALS_FILE, 0o600);
  }
  const secret = TOKEN_PATTERN.exec(credentials.token)![2]!;
  const secretHash = await sha256Hex(secret);
  const now = new Date().toISOString();
  const results = await d1Execute(
    [
      `INSERT OR IGNORE INTO organizations (id, name, default_model, created_at, updated_at) VALUES (${sqlString(credentials.orgId)}, 'Local development', NULL, ${sqlString(now)}, ${sqlString(now)});`,
      `INSERT OR IGNORE INTO api_keys (id, org_id, name, secret_hash, scopes, created_at) VALUES (${sqlString(credentials.keyId)}, ${sqlString(credentials.orgId)}, 'Local development key', ${sqlString(secretHash)}, '["*"]', ${sqlString(now)});`,
      `SELECT org_id, secret_hash, revoked_at FROM api_keys WHERE id = ${sqlString(credentials.keyId)};`,
    ].join(" "),
    persistTo,
  );
  const row = results.at(-1)?.[0] as { org_id: string; secret_hash: string; revoked_at: string | null } | undefined;
  if (!row || row.secret_hash !== secretHash || row.org_id !== credentials.orgId || row.revoked_at) {
    throw new Error(
      `The local database holds key ${credentials.keyId} but it ${row?.revoked_at ? "was revoked" : "does not match"} ${repoPath(CREDENTIALS_FILE)}. ` +
        `Delete ${repoPath(CREDENTIALS_FILE)} to mint a new local key.`,
    );
  }
  return { ...credentials, generated };
}

// ---------------------------------------------------------------------------------------------------
// wrangler dev

/** A free TCP port on 127.0.0.1 (picked by the OS; free at the time of the call). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (typeof address !== "object" || address === null) throw new Error("could not pick a free port");
  return address.port;
}

/** True when 127.0.0.1:`port` cannot be bound (something already listens there). */
export async function portInUse(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, "127.0.0.1");
  try {
    await Promise.race([once(server, "listening"), once(server, "error").then(([e]) => Promise.reject(e))]);
    server.close();
    await once(server, "close");
    return false;
  } catch {
    return true;
  }
}

/**
 * True when an EdgeHarness Worker answers at `url`: `GET <url>/` is 200 with the service document
 * (`{"name":"EdgeHarness", …}`). Never throws; gives up after 2 s.
 */
export async function isServerUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL("/", url), { signal: AbortSignal.timeout(2000) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return false;
    }
    const body = (await response.json()) as { name?: unknown };
    return body.name === "EdgeHarness";
  } catch {
    return false;
  }
}

/** Options of `startDevServer`. */
export interface DevServerOptions {
  port: number;
  /** `--persist-to` directory for D1, R2 and Durable Object state (default: wrangler's `.wrangler/state`). */
  persistTo?: string;
  /** File receiving wrangler's output (default `.local/wrangler.log`; truncated at start). */
  logFile?: string;
  /** Also forward wrangler's output to this process's stderr, each line prefixed with `[wrangler]`. */
  verbose?: boolean;
  /** Wrangler configuration file, relative to the repository (default `wrangler.toml`). */
  config?: string;
}

/** A running `wrangler dev`. */
export interface DevServer {
  /** Base URL, e.g. `http://127.0.0.1:8787` (no trailing slash). */
  url: string;
  logFile: string;
  pid: number;
  /** Settles with the exit code when wrangler exits (by `stop()` or on its own). */
  exited: Promise<number | null>;
  /** Stops wrangler and its workerd (SIGTERM to the process group, SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

/** The last `lines` lines of `file` without ANSI colour codes (for failure messages). */
export async function tailFile(file: string, lines = 40): Promise<string> {
  const content = await readFile(file, "utf8").catch(() => "");
  // eslint-disable-next-line no-control-regex
  const plain = content.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
  return plain.trimEnd().split("\n").slice(-lines).join("\n");
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // The child leads its own process group (detached), which also holds workerd.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Starts `wrangler dev --ip 127.0.0.1 --port <port> [--persist-to X] --show-interactive-dev-session=false`
 * (offline: `CLOUDFLARE_CF_FETCH_ENABLED=false`, `WRANGLER_SEND_METRICS=false`) and waits until
 * `GET http://127.0.0.1:<port>/` answers 200 (polling; 90 s timeout). Wrangler's output goes to
 * `logFile` (quiet by default); when start-up fails the log's tail is part of the error.
 * The process runs in its own process group, so `stop()` also ends workerd.
 * @throws Error when the port is taken, wrangler exits early or the server is not ready in time.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { port, persistTo, verbose = false } = options;
  const logFile = options.logFile ?? DEFAULT_LOG_FILE;
  const url = `http://127.0.0.1:${port}`;
  if (await portInUse(port)) {
    throw new Error(`Port ${port} on 127.0.0.1 is already in use${(await isServerUp(url)) ? " (by an EdgeHarness server)" : ""}.`);
  }
  await mkdir(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: "w", mode: 0o600 });
  // Wrangler's inspector defaults to 9229; pick a free one so parallel servers never collide.
  const inspectorPort = await freePort();
  const args = [
    WRANGLER_BIN,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    ...persistArgs(persistTo),
    "--show-interactive-dev-session=false",
    "--env-file",
    DEV_VARS_FILE,
    ...(options.config ? ["--config", options.config] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: wranglerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const forward = (stream: NodeJS.ReadableStream) => {
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      log.write(chunk);
      if (!verbose) return;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) process.stderr.write(`[wrangler] ${line}\n`);
    });
  };
  forward(child.stdout!);
  forward(child.stderr!);
  const exited = new Promise<number | null>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(code ?? (signal ? 128 : null)));
  });
  const closed = exited.then(() => new Promise<void>((r) => log.end(r)));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      // workerd may outlive wrangler by a moment: make sure the whole group is gone.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* group already empty */
        }
      }
      await closed;
    })();
    return stopping;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let earlyExit: number | null | undefined;
  void exited.then((code) => (earlyExit = code));
  for (;;) {
    if (earlyExit !== undefined) {
      await closed;
      throw new Error(
        `wrangler dev exited (code ${earlyExit}) before it was ready. Last lines of ${repoPath(logFile)}:\n${await tailFile(logFile)}`,
      );
    }
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `wrangler dev was not ready within ${READY_TIMEOUT_MS / 1000} s. Last lines of ${repoPath(logFile)}:\n${await tailFile(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, logFile, pid: child.pid!, exited, stop };
}

/**
 * Stops `server` when this process is interrupted (Ctrl-C, SIGTERM, SIGHUP), then exits with
 * 128 + signal number. Returns a function that removes the handlers.
 */
export function stopOnSignals(server: { stop(): Promise<void> }, onStop?: () => Promise<void> | void): () => void {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
  const handler = (signal: NodeJS.Signals) => {
    void (async () => {
      await server.stop().catch(() => {});
      await onStop?.();
      process.exit(128 + (numbers[signal] ?? 0));
    })();
  };
  const signals = Object.keys(numbers) as NodeJS.Signals[];
  for (const signal of signals) process.once(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}

/** A timestamp naming this run's scratch state under `.local/` (UTC, `20261127T172319`: no separators or fraction). */
export function runStamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
}

/** A dev server started by {@link startFreshDevServer}. */
export interface FreshDevServer {
  server: DevServer;
  /** The migrations applied to the fresh database (file names). */
  applied: string[];
  /** The seeded local organization and its key, when asked for. */
  seed?: SeedResult;
  /** How long `wrangler dev` took to answer, ms (the preparation before it not counted). */
  readyMs: number;
}

/**
 * A `wrangler dev` over fresh local state, as the check scripts (`console:check`, `smoke`) run it:
 * writes `.local/dev.vars` if needed, applies every migration into `persistTo`, seeds the local
 * organization and key there when `seed` is set, starts the server on a free port logging to
 * `logFile`, and on Ctrl-C / SIGTERM / SIGHUP stops it and removes `persistTo`. The caller stops the
 * server and removes `persistTo` when it is done.
 * @throws Error from any step (a failed migration, a server that does not come up).
 */
export async function startFreshDevServer(options: { persistTo: string; logFile: string; seed?: boolean }): Promise<FreshDevServer> {
  const { persistTo, logFile } = options;
  await ensureDevVars();
  const applied = await applyMigrations(persistTo);
  const seed = options.seed ? await seedLocalOrg(persistTo) : undefined;
  const port = await freePort();
  const started = Date.now();
  const server = await startDevServer({ port, persistTo, logFile });
  stopOnSignals(server, () => rm(persistTo, { recursive: true, force: true }));
  return { server, applied, ...(seed ? { seed } : {}), readyMs: Date.now() - started };
}
