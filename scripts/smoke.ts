/**
 * `npm run smoke`: the CI smoke test against a real `wrangler dev` (not the Workers test pool, whose
 * code paths differ: e.g. `eval` works in tests but is forbidden in wrangler dev and production).
 *
 * Starts a dev server on a free port with a fresh `--persist-to` directory (`.local/smoke-<timestamp>`,
 * removed at the end), applies the migrations and seeds the local key into it, runs the demo
 * (`node scripts/demo.ts --quiet` with `EDGEHARNESS_URL` pointing at it) and checks the documentation
 * and error surfaces, the MCP server with the SDK clients and the MCP Inspector CLI (`mcp-inspector
 * --cli`, Node 22, no browser), sessions and the consent pages in Chromium. Exit code 0 when every
 * check passed, else 1; the server is always stopped. Wrangler's output is kept in `.local/smoke.log`
 * (its tail is printed when something fails).
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/client/validators/cf-worker";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { authorizeMcpInBrowser, runBrowserFlow } from "./lib/browser-flow.ts";
import {
  type DevServer,
  describeDevVars,
  ensureDevVars,
  LOCAL_DIR,
  PROVIDER_VARS,
  REPO_ROOT,
  repoPath,
  runStamp,
  startFreshDevServer,
  tailFile,
} from "./lib/dev-server.ts";

const tty = process.stdout.isTTY === true;
const green = (s: string) => (tty ? `\x1b[32m${s}\x1b[39m` : s);
const red = (s: string) => (tty ? `\x1b[31m${s}\x1b[39m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

const results: CheckResult[] = [];

/** Runs one named check; a thrown error or a `false`-y detail marks it failed. */
async function check(name: string, body: () => Promise<string>): Promise<boolean> {
  const started = Date.now();
  let ok = true;
  let detail: string;
  try {
    detail = await body();
  } catch (error) {
    ok = false;
    detail = error instanceof Error ? error.message : String(error);
  }
  const result = { name, ok, detail, ms: Date.now() - started };
  results.push(result);
  console.log(`${ok ? green("PASS") : red("FAIL")} ${name} ${dim(`(${result.ms} ms)`)}${detail ? ` — ${detail}` : ""}`);
  return ok;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Runs `node scripts/demo.ts --quiet` against `url`; resolves with its exit code and output. */
async function runDemo(url: string, token: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, "scripts", "demo.ts"), "--quiet"], {
    cwd: REPO_ROOT,
    env: { ...process.env, EDGEHARNESS_URL: url, EDGEHARNESS_API_KEY: token, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  const timer = setTimeout(() => child.kill("SIGTERM"), 180_000);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

/** The Node 22 binary npm installed (the `node` devDependency); the Inspector needs Node 22. */
const NODE22 = join(REPO_ROOT, "node_modules", ".bin", "node");
/** The MCP Inspector's launcher (`mcp-inspector`); `--cli` runs its CLI client in-process, no browser. */
const INSPECTOR_BIN = join(REPO_ROOT, "node_modules", ".bin", "mcp-inspector");

/**
 * Runs `mcp-inspector --cli <args>` with Node 22 and `HOME` pointed at `home` (the Inspector keeps a
 * catalog and OAuth state under `~/.mcp-inspector`; the smoke run must not touch the real home).
 * Resolves with its exit code, stdout (the `--format json` result) and stderr.
 */
async function runInspector(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(NODE22, [INSPECTOR_BIN, "--cli", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, NO_COLOR: "1", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const started = Date.now();
const stamp = runStamp();
const persistTo = join(LOCAL_DIR, `smoke-${stamp}`);
const logFile = join(LOCAL_DIR, "smoke.log");
const providerVars = PROVIDER_VARS.filter((name) => process.env[name]?.trim());
const expectScripted = !process.env.EDGEHARNESS_DEMO_MODEL?.trim() && providerVars.length === 0;
let server: DevServer | undefined;

console.log(`EdgeHarness smoke test: fresh state in ${repoPath(persistTo)}`);
// A fresh clone has no .local yet: the first check writes a scratch file there.
await mkdir(LOCAL_DIR, { recursive: true });
try {
  await check("npm start takes the settings from this start's environment, not from an earlier .local/dev.vars", async () => {
    const path = join(LOCAL_DIR, `smoke-dev-vars-${stamp}`);
    try {
      await writeFile(
        path,
        "OUTBOUND_PRIVATE_HOST_ALLOWLIST=old.example\nDEFAULT_MODEL=scripted/old\nOPENAI_API_KEY=sk-old\nMY_OWN=kept\n",
      );
      const env = { OUTBOUND_PRIVATE_HOST_ALLOWLIST: "ollama.internal,127.0.0.1", DEFAULT_MODEL: "scripted/echo" };
      const first = await ensureDevVars({ path, env });
      const written = await readFile(path, "utf8");
      assert(
        written.includes("OUTBOUND_PRIVATE_HOST_ALLOWLIST=ollama.internal,127.0.0.1\n"),
        `allowlist not from the environment:\n${written}`,
      );
      assert(
        written.includes("DEFAULT_MODEL=scripted/echo\n") && !written.includes("scripted/old"),
        `DEFAULT_MODEL not from the environment`,
      );
      assert(!written.includes("OPENAI_API_KEY"), "a provider key the environment no longer sets was kept");
      assert(written.includes("MY_OWN=kept"), "a line of the user's own was dropped");
      const line = describeDevVars(first);
      assert(line.includes("ollama.internal, 127.0.0.1") && line.includes("from the environment"), `start line: ${line}`);
      // Unset in the environment: back to the local default, not the earlier value.
      const second = await ensureDevVars({ path, env: {} });
      assert(/^OUTBOUND_PRIVATE_HOST_ALLOWLIST=127\.0\.0\.1,localhost$/m.test(await readFile(path, "utf8")), "allowlist not reset");
      assert(describeDevVars(second).includes("127.0.0.1, localhost"), describeDevVars(second));
      return line.split("\n").at(-1)!;
    } finally {
      await rm(path, { force: true });
    }
  });

  let token = "";
  let orgId = "";
  const ready = await check("prepare: .local/dev.vars, migrations, local key, wrangler dev", async () => {
    const fresh = await startFreshDevServer({ persistTo, logFile, seed: true });
    server = fresh.server;
    assert(fresh.applied.length > 0, "no migrations were applied to the fresh database");
    token = fresh.seed!.token;
    orgId = fresh.seed!.orgId;
    return `${fresh.applied.length} migration(s); ${fresh.server.url} ready in ${(fresh.readyMs / 1000).toFixed(1)} s`;
  });

  if (ready && server) {
    const url = server.url;

    await check("GET /openapi.json is an OpenAPI 3.1.0 document", async () => {
      const response = await fetch(`${url}/openapi.json`);
      assert(response.status === 200, `HTTP ${response.status}`);
      assert(response.headers.get("content-type")?.includes("application/json"), `content-type ${response.headers.get("content-type")}`);
      const doc = (await response.json()) as { openapi?: string; paths?: Record<string, unknown> };
      assert(doc.openapi === "3.1.0", `openapi is ${JSON.stringify(doc.openapi)}`);
      return `${Object.keys(doc.paths ?? {}).length} paths`;
    });

    await check("GET /docs serves Swagger UI from local assets only", async () => {
      const response = await fetch(`${url}/docs`, { redirect: "manual" });
      const text = await response.text();
      assert(response.status === 200, `HTTP ${response.status}: ${text.slice(0, 200)}`);
      assert(response.headers.get("content-type")?.includes("text/html"), `content-type ${response.headers.get("content-type")}`);
      assert(text.includes("swagger-ui"), "the page does not mention swagger-ui");
      const external = text.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"' >]+/gi);
      assert(!external, `external URLs in the page: ${external?.join(", ")}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      assert(/script-src 'self'(;|$)/.test(csp), `no strict script-src in the page's Content-Security-Policy: ${JSON.stringify(csp)}`);
      const assets = ["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui-standalone-preset.js", "/docs/init.js"];
      for (const asset of assets) {
        const r = await fetch(`${url}${asset}`);
        await r.body?.cancel();
        assert(r.status === 200, `${asset}: HTTP ${r.status}`);
      }
      return `page + ${assets.length} assets`;
    });

    await check("GET /v1/harnesses without a key is 401 problem+json", async () => {
      const response = await fetch(`${url}/v1/harnesses`);
      const body = (await response.json().catch(() => ({}))) as { status?: number; code?: string };
      assert(response.status === 401, `HTTP ${response.status}`);
      assert(
        response.headers.get("content-type")?.startsWith("application/problem+json"),
        `content-type ${response.headers.get("content-type")}`,
      );
      assert(body.status === 401, `problem status ${body.status}`);
      return `code ${body.code}`;
    });

    await check("GET /v1/harnesses with the seeded key is 200", async () => {
      const response = await fetch(`${url}/v1/harnesses`, { headers: { authorization: `Bearer ${token}` } });
      await response.body?.cancel();
      assert(response.status === 200, `HTTP ${response.status}`);
      return "";
    });

    await check("README chat example on a fresh start: the offline assistant answers through its tools", async () => {
      const response = await fetch(`${url}/api/external/v1/chat`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ message: "Which harnesses do we have, and what ran yesterday?" }),
      });
      const body = (await response.json()) as { answer?: string; conversationId?: string; toolsUsed?: string[] };
      assert(response.status === 200, `HTTP ${response.status}: ${JSON.stringify(body)}`);
      if (expectScripted) {
        assert(body.toolsUsed?.includes("list_harnesses"), `toolsUsed ${JSON.stringify(body.toolsUsed)} (README: ["list_harnesses"])`);
        assert(/^You have \d+ harness\(es\): /.test(body.answer ?? ""), `answer ${JSON.stringify(body.answer)}`);
      }
      assert(body.conversationId?.startsWith("sess_"), `conversationId ${body.conversationId}`);
      return `${JSON.stringify(body.answer)} toolsUsed=${JSON.stringify(body.toolsUsed)}`;
    });

    await check("MCP at /api/mcp: 401 challenge and metadata, then tools with the SDK v1 (2025) and v2 (2026-07-28) clients", async () => {
      const mcpUrl = new URL(`${url}/api/mcp`);
      const refused = await fetch(mcpUrl, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      await refused.body?.cancel();
      const challenge = refused.headers.get("www-authenticate") ?? "";
      assert(refused.status === 401, `without a token: HTTP ${refused.status}`);
      assert(challenge.includes(`resource_metadata="${url}/.well-known/oauth-protected-resource/api/mcp"`), `challenge ${challenge}`);
      const metadata = (await (await fetch(`${url}/.well-known/oauth-protected-resource/api/mcp`)).json()) as { resource?: string };
      assert(metadata.resource === mcpUrl.href, `metadata resource ${metadata.resource}`);

      // Until the authorization server issues tokens here, the seeded organization API key is the bearer.
      const requestInit = { headers: { authorization: `Bearer ${token}` } };
      const legacy = new Client({ name: "edgeharness-smoke", version: "1.0.0" });
      await legacy.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit }));
      const { tools } = await legacy.listTools();
      const identity = await legacy.callTool({ name: "get_identity", arguments: {} });
      await legacy.close();
      assert(tools.length === 6 && tools.some((t) => t.name === "run_task"), `tools: ${tools.map((t) => t.name).join(", ")}`);
      const who = identity.structuredContent as
        { principal?: { kind?: string }; organization?: { id?: string; name?: string } } | undefined;
      assert(!identity.isError && who?.organization?.id === orgId, `get_identity: ${JSON.stringify(identity.content)}`);

      // The 2026-07-28 leg (per-request envelope) on the server; the client validates without eval too.
      const modern = new ModernClient(
        { name: "edgeharness-smoke", version: "2.0.0" },
        { versionNegotiation: { mode: { pin: "2026-07-28" } }, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
      );
      await modern.connect(new ModernTransport(mcpUrl, { requestInit }));
      const modernIdentity = await modern.callTool({ name: "get_identity", arguments: {} });
      const harnesses = await modern.callTool({ name: "list_harnesses", arguments: { limit: 5 } });
      const negotiated = modern.getNegotiatedProtocolVersion();
      await modern.close();
      assert(negotiated === "2026-07-28", `negotiated ${negotiated}`);
      assert(!modernIdentity.isError, `get_identity (2026-07-28): ${JSON.stringify(modernIdentity.content)}`);
      assert(
        !harnesses.isError && (harnesses.structuredContent as { limit?: number } | undefined)?.limit === 5,
        `list_harnesses: ${JSON.stringify(harnesses.content)}`,
      );
      return `${tools.length} tools; acting as ${who.principal?.kind} in ${who.organization.name} (2025 and 2026-07-28)`;
    });

    await check(
      "MCP Inspector CLI (mcp-inspector --cli): tools/list and get_identity with the seeded key, 2025 and 2026-07-28 eras",
      async () => {
        const home = join(LOCAL_DIR, `inspector-home-${stamp}`);
        // --stored-auth-only: never start the interactive OAuth flow (a refused key fails instead of waiting).
        const common = [
          `${url}/api/mcp`,
          "--transport",
          "http",
          "--header",
          `Authorization: Bearer ${token}`,
          "--format",
          "json",
          "--stored-auth-only",
        ];
        const parts: string[] = [];
        try {
          for (const era of ["legacy", "modern"] as const) {
            const listed = await runInspector([...common, "--protocol-era", era, "--method", "tools/list"], home);
            assert(listed.code === 0, `${era} tools/list: exit ${listed.code}: ${(listed.stderr || listed.stdout).trim().slice(0, 400)}`);
            const tools = (JSON.parse(listed.stdout) as { result?: { tools?: { name: string }[] } }).result?.tools ?? [];
            assert(
              tools.length === 6 && tools.some((t) => t.name === "get_identity"),
              `${era} tools: ${tools.map((t) => t.name).join(", ")}`,
            );
            const called = await runInspector(
              [...common, "--protocol-era", era, "--method", "tools/call", "--tool-name", "get_identity"],
              home,
            );
            assert(called.code === 0, `${era} get_identity: exit ${called.code}: ${(called.stderr || called.stdout).trim().slice(0, 400)}`);
            const result = (
              JSON.parse(called.stdout) as { result?: { isError?: boolean; structuredContent?: unknown; _meta?: Record<string, unknown> } }
            ).result;
            // The 2026-07-28 revision's per-request envelope: results identify the server in `_meta`.
            if (era === "modern")
              assert(
                result?.["_meta"]?.["io.modelcontextprotocol/serverInfo"],
                `modern get_identity has no 2026-07-28 _meta: ${called.stdout.slice(0, 300)}`,
              );
            const who = result?.structuredContent as
              { principal?: { kind?: string; via?: string }; organization?: { id?: string; name?: string } } | undefined;
            assert(!result?.isError && who?.organization?.id === orgId, `${era} get_identity: ${called.stdout.slice(0, 400)}`);
            assert(
              who.principal?.kind === "service" && who.principal.via === "api_key",
              `${era} principal: ${JSON.stringify(who.principal)}`,
            );
            const portability = /Schema portability: [^\n]*/.exec(listed.stderr)?.[0];
            parts.push(
              `${era}: ${tools.length} tools, get_identity → ${who.principal.kind} in ${who.organization.name}${portability ? ` (${portability.replace(/\.? Re-run.*$/, "")})` : ""}`,
            );
          }
        } finally {
          await rm(home, { recursive: true, force: true });
        }
        return parts.join("; ");
      },
    );

    await check("session over WebSocket (Node's WebSocket) and HTTP: turns remember, ping answered", async () => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const harness = await fetch(`${url}/v1/harnesses`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          id: "smoke-sessions",
          name: "Smoke sessions",
          vendor: "EdgeHarness",
          description: "Session smoke check",
          execution_type: "hosted",
          config: {},
          default_model_id: "scripted/recall",
        }),
      });
      assert(harness.status === 201, `register: HTTP ${harness.status}`);
      const created = await fetch(`${url}/v1/harnesses/smoke-sessions/sessions`, { method: "POST", headers, body: "{}" });
      const { session, connect_url } = (await created.json()) as { session: { id: string }; connect_url: string };
      assert(created.status === 201 && connect_url.startsWith("ws://"), `create: HTTP ${created.status}, connect_url ${connect_url}`);
      const ws = new WebSocket(`${connect_url}?token=${encodeURIComponent(token)}`, ["openharness.v1"]);
      const frames: { type: string; id?: string; content?: string }[] = [];
      const waitFor = (predicate: (f: (typeof frames)[number]) => boolean) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames.slice(-3))}`)), 10_000);
          const poll = setInterval(() => {
            if (frames.some(predicate)) {
              clearTimeout(timer);
              clearInterval(poll);
              resolve();
            }
          }, 10);
        });
      ws.addEventListener("message", (e) => frames.push(JSON.parse(String(e.data))));
      await new Promise<void>((resolve, reject) => {
        ws.addEventListener("open", () => resolve());
        ws.addEventListener("error", () => reject(new Error("WebSocket error on connect")));
      });
      assert(ws.protocol === "openharness.v1", `subprotocol ${JSON.stringify(ws.protocol)}`);
      ws.send(JSON.stringify({ type: "ping" }));
      await waitFor((f) => f.type === "pong");
      ws.send(JSON.stringify({ type: "message", id: "w1", content: "my name is Eve" }));
      await waitFor((f) => f.type === "done" && f.id === "w1");
      ws.send(JSON.stringify({ type: "message", id: "w2", content: "what is my name?" }));
      await waitFor((f) => f.type === "done" && f.id === "w2");
      const reply = frames
        .filter((f) => f.id === "w2" && f.type === "text")
        .map((f) => f.content)
        .join("");
      assert(reply === "Your name is Eve.", `second turn said ${JSON.stringify(reply)}`);
      ws.close();
      const sent = await fetch(`${url}/v1/harnesses/smoke-sessions/sessions/${session.id}/message`, {
        method: "POST",
        headers,
        body: JSON.stringify({ content: "what is my name?" }),
      });
      const { response } = (await sent.json()) as { response: { content: string } };
      assert(sent.status === 200 && response.content === "Your name is Eve.", `HTTP turn: ${sent.status} ${JSON.stringify(response)}`);
      return `session ${session.id}: 3 turns (2 over WebSocket, 1 over HTTP)`;
    });

    await check("conformance.run in its Durable Object: the runner calls this API through the self service binding", async () => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const harness = await fetch(`${url}/v1/harnesses`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          id: "smoke-conformance",
          name: "Smoke conformance",
          vendor: "EdgeHarness",
          description: "Conformance smoke check",
          default_model_id: "scripted/conformance",
        }),
      });
      assert(harness.status === 201, `register: HTTP ${harness.status}`);
      const run = await fetch(`${url}/v1/harnesses/smoke-conformance/conformance/run`, {
        method: "POST",
        headers,
        body: JSON.stringify({ categories: ["execution"], quick: true }),
      });
      assert(run.status === 202, `conformance.run: HTTP ${run.status} ${await run.clone().text()}`);
      const stream = await fetch(`${url}/v1/harnesses/smoke-conformance/conformance/run/stream`, { headers });
      const text = await stream.text();
      assert(text.includes("event: done"), `the run's stream ended without done: ${text.slice(-300)}`);
      const status = (await (await fetch(`${url}/v1/harnesses/smoke-conformance/conformance/status`, { headers })).json()) as {
        status: string;
        pass_rate: number;
      };
      assert(status.status === "certified", `status ${JSON.stringify(status)}`);
      return `execution category certified (pass rate ${status.pass_rate})`;
    });

    await check("browser: sign-up, consent and the code flow in Chromium (playwright-core)", async () => {
      const result = await runBrowserFlow(url);
      assert(result.accessTokenWorks, "the access token from the browser flow was refused by /v1/harnesses");
      assert(result.outsideRequests.length === 0, `pages requested outside resources: ${result.outsideRequests.join(", ")}`);
      assert(result.consoleErrors.length === 0, `console errors (CSP?): ${result.consoleErrors.join(" | ")}`);
      return `${result.screenshots.length} screenshots in ${repoPath(join(LOCAL_DIR, "screenshots"))}`;
    });

    await check("MCP client: mcp.health answers within 2 s (unhealthy, 200) when the server hangs or is down", async () => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const hang = createHttpServer(() => {
        /* accepts and never answers */
      });
      await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
      const hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/mcp`;
      try {
        // Servers defined on the harness are recorded without a connection attempt: health is the first.
        const created = await fetch(`${url}/api/v1/harnesses`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            name: "smoke-mcp-health",
            system_prompt: "",
            mcpServers: { hangs: { type: "http", url: hangUrl }, down: { type: "http", url: "http://127.0.0.1:9/mcp" } },
          }),
        });
        assert(created.status === 201, `create: HTTP ${created.status}`);
        const parts: string[] = [];
        for (const name of ["hangs", "down"]) {
          const t = Date.now();
          const res = await fetch(`${url}/v1/harnesses/smoke-mcp-health/mcp-servers/${name}/health`, { method: "POST", headers });
          const elapsed = Date.now() - t;
          const body = (await res.json()) as { status?: string; latency_ms?: number; last_error?: string };
          assert(res.status === 200 && body.status === "unhealthy", `${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
          assert(elapsed < 2000, `${name}: answered in ${elapsed} ms`);
          parts.push(`${name}: ${elapsed} ms wall (latency_ms ${body.latency_ms}, "${body.last_error}")`);
        }
        return parts.join("; ");
      } finally {
        hang.closeAllConnections();
        hang.close();
      }
    });

    await check("MCP client with OAuth against the product's own /api/mcp: consent in Chromium, then its tools", async () => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const created = await fetch(`${url}/v1/harnesses`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          id: "smoke-mcp-oauth",
          name: "Smoke MCP OAuth",
          vendor: "EdgeHarness",
          description: "MCP OAuth smoke check",
          execution_type: "hosted",
          config: {},
        }),
      });
      assert(created.status === 201, `register: HTTP ${created.status}`);
      const connected = await fetch(`${url}/v1/harnesses/smoke-mcp-oauth/mcp-servers`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "edgeharness", transport: { type: "http", url: `${url}/api/mcp` }, auth: { type: "oauth" } }),
      });
      const first = (await connected.json()) as { server?: { status: string; auth: { authorization_url: string | null } } };
      assert(
        connected.status === 201 && first.server?.status === "authenticating",
        `connect: HTTP ${connected.status} ${JSON.stringify(first)}`,
      );
      const landed = await authorizeMcpInBrowser(url, first.server.auth.authorization_url!);
      assert(landed.text.includes("edgeharness is connected"), `callback page: ${landed.text.slice(0, 300)}`);
      const listed = (await (await fetch(`${url}/v1/harnesses/smoke-mcp-oauth/mcp-servers/edgeharness`, { headers })).json()) as {
        server: { status: string; protocol_version: string; tools: { name: string }[] };
      };
      assert(
        listed.server.status === "connected" && listed.server.tools.length === 6,
        `server: ${JSON.stringify(listed.server).slice(0, 300)}`,
      );
      const who = await fetch(`${url}/v1/harnesses/smoke-mcp-oauth/tools/mcp_edgeharness__get_identity/invoke`, {
        method: "POST",
        headers,
        body: JSON.stringify({ input: {} }),
      });
      const result = (await who.json()) as { success?: boolean; output?: { structured?: { principal?: { kind?: string; via?: string } } } };
      assert(
        result.success && result.output?.structured?.principal?.via === "oauth",
        `get_identity: ${JSON.stringify(result).slice(0, 300)}`,
      );
      return `connected over ${listed.server.protocol_version}, ${listed.server.tools.length} tools; get_identity acts as a ${result.output!.structured!.principal!.kind} via OAuth`;
    });

    let executionId: string | undefined;
    await check("demo: register harness, import the OAF samples, run Daily Affirmation (scripts/demo.ts --quiet)", async () => {
      const { code, output } = await runDemo(url, token);
      console.log(
        output
          .trimEnd()
          .split("\n")
          .map((line) => dim(`    │ ${line}`))
          .join("\n"),
      );
      executionId = /^DEMO OK (\S+)$/m.exec(output)?.[1];
      assert(code === 0 && executionId, `demo exited with code ${code}`);
      const mcpRun = /^MCP OK (\S+)$/m.exec(output)?.[1];
      assert(mcpRun, "the demo did not show an agent calling its local MCP server's tool (no MCP OK line)");
      if (expectScripted)
        assert(
          output.startsWith("Model: scripted/demo — no provider key was found"),
          "the demo's first line does not announce the scripted model",
        );
      if (expectScripted)
        assert(
          /^Skills: Recipe Finder Agent loaded its skill "dietary-preferences"/m.test(output),
          "the demo does not say the agent loaded its skill",
        );
      return `execution ${executionId}; MCP tool call in ${mcpRun}`;
    });

    if (executionId) {
      await check("execution result: completed, with the expected model", async () => {
        const response = await fetch(`${url}/v1/harnesses/demo/executions/${executionId}/result`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert(response.status === 200, `HTTP ${response.status}`);
        const { result } = (await response.json()) as { result: { status: string; tool_calls: unknown[]; metadata: { model?: string } } };
        assert(result.status === "completed", `status ${result.status}`);
        if (expectScripted) {
          assert(
            result.metadata.model === "scripted/demo",
            `model ${result.metadata.model} (expected scripted/demo: no provider variables are set)`,
          );
          assert(result.tool_calls.length >= 2, `${result.tool_calls.length} tool calls (the scripted demo makes 9)`);
        }
        return `${result.metadata.model}, ${result.tool_calls.length} tool call(s)`;
      });

      await check(
        "memory, plan and subagent of the demo run in wrangler dev's D1 and Durable Objects (FTS5 search, ZIP export)",
        async () => {
          const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
          const agents = (await (await fetch(`${url}/v1/harnesses/demo/agents?limit=100`, { headers })).json()) as {
            data: { id: string; agentKey: string }[];
          };
          const agent = agents.data.find((a) => a.agentKey === "daily-affirmation");
          assert(agent, "the demo agent is not listed");
          const memory = `${url}/v1/harnesses/demo/agents/${agent.id}/memory`;
          const archived = await fetch(`${memory}/archive`, {
            method: "POST",
            headers,
            body: JSON.stringify({ content: "Smoke check: interviews go better after a walk.", tags: ["smoke"] }),
          });
          assert(archived.status === 201, `addToArchive: HTTP ${archived.status}`);
          const search = (await (
            await fetch(`${memory}/search`, { method: "POST", headers, body: JSON.stringify({ query: "interview walking" }) })
          ).json()) as {
            results: { source: string; relevance_score: number }[];
          };
          assert(search.results.length >= 2, `search found ${JSON.stringify(search.results)}`);
          assert(search.results[0]!.relevance_score === 1, `best hit scored ${search.results[0]!.relevance_score}`);
          assert(new Set(search.results.map((r) => r.source)).size === 2, "search did not find both a block and the archive entry");
          const exported = await fetch(`${memory}/export`, { method: "POST", headers, body: "{}" });
          const zip = new Uint8Array(await exported.arrayBuffer());
          assert(exported.status === 200 && zip[0] === 0x50 && zip[1] === 0x4b, `export: HTTP ${exported.status}`);
          let detail = `${search.results.length} search hits, ${zip.length} B export`;
          if (expectScripted) {
            const plan = (await (await fetch(`${url}/v1/harnesses/demo/executions/${executionId}/plan`, { headers })).json()) as {
              plan: { tasks: { status: string }[] };
            };
            assert(plan.plan.tasks.length === 4 && plan.plan.tasks.every((t) => t.status === "completed"), `plan ${JSON.stringify(plan)}`);
            const children = (await (
              await fetch(`${url}/v1/harnesses/demo/executions?parent_execution_id=${executionId}`, { headers })
            ).json()) as {
              data: { status: string; subagent_id: string | null }[];
            };
            assert(
              children.data.length === 1 && children.data[0]!.status === "completed" && children.data[0]!.subagent_id,
              `children ${JSON.stringify(children.data)}`,
            );
            detail += ", plan 4/4, subagent task completed";
          }
          return detail;
        },
      );
    }
  }
} finally {
  await server?.stop();
  await rm(persistTo, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log("");
if (failed.length > 0) {
  console.log(`Last lines of ${repoPath(logFile)}:\n${dim(await tailFile(logFile, 30))}\n`);
  console.log(
    red(`SMOKE FAILED: ${failed.length} of ${results.length} checks failed (${failed.map((f) => f.name).join("; ")}) in ${seconds} s`),
  );
  // Exit at once: a failed check may leave a socket or a browser launch pending, which would keep the
  // process (and CI) waiting.
  process.exit(1);
} else {
  console.log(
    green(`SMOKE PASSED: ${results.length} checks in ${seconds} s`) +
      dim(
        expectScripted
          ? " (scripted model: no provider variables set)"
          : ` (providers: ${providerVars.join(", ") || "EDGEHARNESS_DEMO_MODEL"})`,
      ),
  );
}
