/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core), against a real
 * `wrangler dev` reached through a loopback proxy that can cut the network (`tcp-proxy.ts`). A person
 * signs up, creates a harness (first with a name the API refuses, to see the problem body on the form),
 * imports a sample package by drag-and-drop, runs it and sees `done`, watches a second run while the
 * network is cut and sees it resume with no event lost or repeated, copies and edits a harness, chats
 * in a session and answers an `ask_user` prompt (also across a cut), forks and ends it, creates an API
 * key (shown once), sees the usage chart, and looks at a built-in harness and a phone-sized screen.
 * Every page is watched for console errors, CSP violations and requests to anything but the server.
 * Screenshots go to `.local/screenshots/console/`.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium, signUpFromSignIn } from "./browser-flow.ts";
import { LOCAL_DIR, REPO_ROOT } from "./dev-server.ts";
import type { CuttableProxy } from "./tcp-proxy.ts";

export const CONSOLE_SCREENSHOTS_DIR = join(LOCAL_DIR, "screenshots", "console");
/** The sample packages (`../shared/fixtures/oaf-samples/`). */
const SAMPLES = join(REPO_ROOT, "..", "shared", "fixtures", "oaf-samples");
/** How long one step may take before it fails, ms. */
const STEP_TIMEOUT_MS = 20_000;

/** One named check of the flow and what it found. */
export interface FlowCheck {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** What the whole run saw. */
export interface ConsoleFlowResult {
  checks: FlowCheck[];
  screenshots: string[];
  /** Console errors of the pages, except the network lines the flow provokes on purpose (below). */
  consoleErrors: string[];
  /**
   * Chromium's own network lines for what the flow does on purpose — the 400 of a refused harness name,
   * connection resets while the network is cut — kept apart, each one accounted for.
   */
  expectedNetworkErrors: string[];
  cspViolations: string[];
  outsideRequests: string[];
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Runs the flow against the server behind `proxy` (whose URL the browser uses). */
export async function runConsoleFlow(proxy: CuttableProxy, options: { log?: (line: string) => void } = {}): Promise<ConsoleFlowResult> {
  const base = proxy.url;
  const log = options.log ?? (() => {});
  await mkdir(CONSOLE_SCREENSHOTS_DIR, { recursive: true });
  const browser = await launchChromium();
  const result: ConsoleFlowResult = {
    checks: [],
    screenshots: [],
    consoleErrors: [],
    expectedNetworkErrors: [],
    cspViolations: [],
    outsideRequests: [],
  };
  /** True while the flow has the network cut (until the page says it is live again). */
  let cutting = false;
  /** Error responses the flow is about to provoke on purpose (a refused harness name). */
  let provoked = 0;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    // CSP violations, reported by the page itself (playwright's init scripts run whatever the CSP says).
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(base) && !url.startsWith(base.replace("http", "ws")) && !url.startsWith("data:") && !url.startsWith("blob:"))
        result.outsideRequests.push(url);
    });
    page.on("console", (m) => {
      const text = m.text();
      if (text.startsWith("CSP violation")) result.cspViolations.push(text);
      if (m.type() !== "error") return;
      const network = /^Failed to load resource|^WebSocket connection to .* failed/.test(text);
      if (network && cutting && /net::ERR_|WebSocket/.test(text)) result.expectedNetworkErrors.push(`(network cut) ${text}`);
      else if (network && provoked > 0 && /status of 4\d\d/.test(text)) {
        provoked--;
        result.expectedNetworkErrors.push(`(provoked) ${text} ${m.location().url}`);
      } else result.consoleErrors.push(`${text} ${m.location().url ?? ""}`.trim());
    });
    page.on("response", (r) => {
      if (r.status() >= 500) result.consoleErrors.push(`HTTP ${r.status()} from ${r.request().method()} ${r.url()}`);
    });
    page.on("pageerror", (e) => result.consoleErrors.push(`page error: ${e.message}`));

    const shot = async (name: string, target: Page = page) => {
      const path = join(CONSOLE_SCREENSHOTS_DIR, `${name}.png`);
      await target.screenshot({ path, fullPage: true });
      result.screenshots.push(path);
    };
    const check = async (name: string, body: () => Promise<string>): Promise<boolean> => {
      const started = Date.now();
      try {
        const detail = await body();
        result.checks.push({ name, ok: true, detail, ms: Date.now() - started });
        log(`PASS ${name} (${Date.now() - started} ms)${detail ? ` — ${detail}` : ""}`);
        return true;
      } catch (error) {
        await shot(`error-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`).catch(() => {});
        const text = ((await page.textContent("main").catch(() => "")) ?? "").replace(/\s+/g, " ").slice(0, 400);
        const detail = `${error instanceof Error ? error.message.split("\n")[0] : String(error)} — at ${page.url()}: ${text}`;
        result.checks.push({ name, ok: false, detail, ms: Date.now() - started });
        log(`FAIL ${name} — ${detail}`);
        return false;
      }
    };
    const seqsOnPage = () => page.$$eval("[data-seq]", (items) => items.map((i) => Number(i.getAttribute("data-seq"))));
    /** The server's whole event stream of a run, read in the page with a console token (what the page could have seen). */
    const serverSeqs = (path: string) =>
      page.evaluate(async (streamPath) => {
        const root = document.getElementById("console")!;
        const orgId = decodeURIComponent(location.pathname.split("/")[3]!);
        const minted = await fetch("/console/token", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": root.dataset.csrf! },
          body: JSON.stringify({ org_id: orgId }),
        });
        const { access_token } = (await minted.json()) as { access_token: string };
        const text = await (await fetch(streamPath, { headers: { authorization: `Bearer ${access_token}` } })).text();
        return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      }, path);

    let ok = await check("sign up and land in the console", async () => {
      await page.goto(`${base}/console`);
      await page.waitForSelector("form[action='/api/auth/sign-in']");
      await signUpFromSignIn(page, { name: "Console Tester", email: `console-${Date.now()}@example.com` });
      await page.waitForURL(/\/console\/o\/[^/]+\/harnesses$/);
      await page.waitForSelector("h1:text('Harnesses')");
      await page.waitForSelector("text=assistant");
      await shot("01-harnesses");
      return page.url().replace(base, "");
    });
    if (!ok) return result;
    const orgBase = new URL(page.url()).pathname.replace(/\/harnesses$/, "");

    await check("keyboard: the first Tab reaches the skip link, and it moves focus to the content", async () => {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
      assert(focused === "Skip to content", `first focus: ${focused}`);
      await page.keyboard.press("Enter");
      const id = await page.evaluate(() => document.activeElement?.id);
      assert(id === "main", `focus after the skip link: ${id}`);
      return "";
    });

    let harnessUrl = "";
    ok = await check("create a harness: the API's validation problem is shown on the field, then the harness is created", async () => {
      await page.click("text=New harness");
      await page.waitForSelector("h1:text('New harness')");
      await page.fill("label:text('Name') + input", "Bad Name");
      await page.fill("label:text('System prompt') + textarea", "You are a helpful harness for the console check.");
      await page.fill("label:text('Default model') + input", "scripted/demo");
      await page.check("#cap-current_time");
      await page.check("#cap-workspace_files");
      provoked++;
      await page.click("button:text-is('Create harness')");
      const message = await page.textContent(".field.invalid .field-error");
      assert(message && /lowercase/.test(message), `field error: ${message}`);
      await shot("02-harness-validation");
      await page.fill("label:text('Name') + input", "console-demo");
      await page.fill("label:text('Display name') + input", "Console demo");
      await page.click("button:text-is('Create harness')");
      await page.waitForSelector("h2:text('Resolved configuration')");
      await page.waitForSelector("dd >> text=scripted/demo");
      harnessUrl = new URL(page.url()).pathname;
      await shot("03-harness-overview");
      return `refused "Bad Name": ${message}`;
    });
    if (!ok) return result;

    await check("view_url of the harness (management API) opens this page", async () => {
      const viewUrl = await page.evaluate(async (path) => {
        const root = document.getElementById("console")!;
        const orgId = decodeURIComponent(location.pathname.split("/")[3]!);
        const { access_token } = (await (
          await fetch("/console/token", {
            method: "POST",
            headers: { "content-type": "application/json", "x-csrf-token": root.dataset.csrf! },
            body: JSON.stringify({ org_id: orgId }),
          })
        ).json()) as { access_token: string };
        const id = path.split("/").at(-1)!;
        const body = (await (await fetch(`/api/v1/harnesses/${id}`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
          view_url: string;
        };
        return body.view_url;
      }, harnessUrl);
      assert(viewUrl === `${base}${harnessUrl}`, `view_url ${viewUrl}, page ${base}${harnessUrl}`);
      return viewUrl.replace(base, "");
    });

    await check("import a sample package by drag-and-drop; the agent shows its skills, MCP servers and memory", async () => {
      await page.click("nav.tabs >> text=Agents");
      await page.waitForSelector(".dropzone");
      const bytes = (await readFile(join(SAMPLES, "daily-affirmation-0.1.0.zip"))).toString("base64");
      const dataTransfer = await page.evaluateHandle((b64) => {
        const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], "daily-affirmation-0.1.0.zip", { type: "application/zip" }));
        return transfer;
      }, bytes);
      await page.dispatchEvent(".dropzone", "drop", { dataTransfer });
      await page.waitForSelector("text=Chosen: daily-affirmation-0.1.0.zip");
      await page.click("button:text-is('Import')");
      await page.waitForSelector(".notice.success >> text=Imported");
      await shot("04-agents-imported");
      await page.click(".cards h3 a");
      await page.waitForSelector("h2:text('Skills')");
      await page.waitForSelector("h2:text('Memory')");
      // memory.get is served: the section lists the agent's blocks (or says there are none) and its archive size.
      const archive = await page.textContent("text=/archive entr(y|ies)\\./");
      const blocks = await page.$$eval(".memory-block", (items) => items.length);
      await shot("05-agent");
      return `memory: ${blocks} block(s), ${archive?.trim()}`;
    });

    let runPath = "";
    await check("run the imported agent and see done: text, tool calls, an artifact to download, usage", async () => {
      await page.click("text=Run this agent");
      await page.waitForSelector("h2:text('Start a run')");
      await page.fill("#run-message", "Write me an affirmation for a Monday");
      // The package's own model (sonnet) needs a provider key: the run picks the scripted demo model.
      await page.fill("label:text('Model (optional)') input", "scripted/demo");
      await page.click("button:text-is('Run')");
      await page.waitForSelector(".run[data-run-state=ended]");
      runPath = new URL(page.url()).pathname;
      const text = (await page.textContent(".text-output")) ?? "";
      assert(text.includes("Here is my answer"), `output: ${text.slice(0, 200)}`);
      const tools = await page.$$eval(".tool-calls > li", (items) => items.length);
      assert(tools >= 2, `${tools} tool call(s)`);
      await page.waitForSelector("text=Download answer.md");
      await page.waitForSelector(".stream-state >> text=done");
      await page.waitForSelector("#usage-h + dl");
      const download = page.waitForEvent("download");
      await page.click("text=Download answer.md");
      const file = await download;
      assert(file.suggestedFilename() === "answer.md", `download ${file.suggestedFilename()}`);
      await page.click(".event-log summary");
      await shot("06-run-done");
      return `${tools} tool calls, artifact ${file.suggestedFilename()}`;
    });

    await check("cut the network mid-run: the page reconnects with Last-Event-ID, no event lost or repeated", async () => {
      await page.goto(`${base}${harnessUrl}/runs`);
      await page.fill("#run-message", "count to 40 every 150ms");
      await page.fill("label:text('Model (optional)') input", "scripted/count");
      await page.click("button:text-is('Run')");
      await page.waitForSelector(".run[data-run-state=live]");
      await page.click(".event-log summary");
      await page.waitForFunction(() => document.querySelectorAll("[data-seq]").length >= 6);
      cutting = true;
      proxy.refuseFor(1500);
      const cut = proxy.cut();
      await page.waitForSelector(".run[data-run-state=reconnecting]");
      await shot("07-run-reconnecting");
      await page.waitForSelector(".run[data-run-state=live], .run[data-run-state=ended]", { timeout: 30_000 });
      cutting = false;
      const during = (await seqsOnPage()).length;
      await page.waitForSelector(".run[data-run-state=ended]", { timeout: 30_000 });
      const seen = await seqsOnPage();
      const [, harnessId, executionId] = /\/harnesses\/([^/]+)\/runs\/([^/]+)$/.exec(new URL(page.url()).pathname)!;
      const server = await serverSeqs(`/v1/harnesses/${harnessId}/executions/${executionId}/stream`);
      assert(server.length > 0 && server.length === server.at(-1), `the server's stream: ${server.join(",")}`);
      assert(new Set(seen).size === seen.length, `repeated events: ${seen.join(",")}`);
      assert(JSON.stringify(seen) === JSON.stringify(server), `page ${seen.join(",")} ≠ server ${server.join(",")}`);
      const text = ((await page.textContent(".text-output")) ?? "").trim();
      const expected = Array.from({ length: 40 }, (_, i) => i + 1).join(" ");
      assert(text === expected, `text after the cut: ${JSON.stringify(text)}`);
      await shot("08-run-resumed");
      return `cut ${cut} connection(s) after ${during} events; ${seen.length} events, each once, as the server has them`;
    });

    await check("past runs with filters", async () => {
      await page.goto(`${base}${harnessUrl}/runs`);
      await page.waitForSelector("table.runs tbody tr");
      const all = await page.$$eval("table.runs tbody tr", (rows) => rows.length);
      await page.selectOption("label:text('Status') select", "failed");
      await page.waitForSelector("text=No runs match.");
      await page.selectOption("label:text('Status') select", "completed");
      await page.waitForFunction((n) => document.querySelectorAll("table.runs tbody tr").length === n, all);
      await shot("09-runs");
      return `${all} runs; none failed`;
    });

    let chatHarness = "";
    await check("copy the harness and edit the copy (model scripted/ask, the ask_user capability)", async () => {
      await page.goto(`${base}${harnessUrl}`);
      await page.click(".page-head .actions button:text-is('Copy')");
      await page.waitForSelector("h1:text('Console demo (copy)')");
      chatHarness = new URL(page.url()).pathname;
      await page.click(".page-head .actions a:text-is('Edit')");
      await page.waitForSelector("label:text('Default model') + input");
      await page.fill("label:text('Default model') + input", "scripted/ask");
      await page.check("#cap-ask_user");
      await page.click("button:text-is('Save')");
      await page.waitForSelector("dd >> text=scripted/ask");
      return chatHarness.split("/").at(-1)!;
    });

    await check("a run that asks (ask_user): the question is answered on the run page", async () => {
      await page.goto(`${base}${chatHarness}/runs`);
      await page.fill("#run-message", "Check with me first");
      await page.click("button:text-is('Run')");
      await page.waitForSelector("form.prompt >> text=Do you want to continue?");
      await page.fill("#run-answer", "yes please");
      await page.click("form.prompt button:text-is('Answer')");
      await page.waitForSelector(".run[data-run-state=ended]");
      const text = ((await page.textContent(".text-output")) ?? "").trim();
      assert(text === "You answered: yes please", `output ${JSON.stringify(text)}`);
      return text;
    });

    await check("chat in a session: answer the ask_user prompt in the page; the chat survives a cut", async () => {
      await page.goto(`${base}${chatHarness}/sessions`);
      await page.click("button:text-is('Start chatting')");
      await page.waitForSelector(".chat[data-connection=live]");
      await page.fill("#chat-input", "Shall we start?");
      await page.keyboard.press("Enter");
      await page.waitForSelector("form.prompt >> text=Do you want to continue?");
      await shot("10-chat-prompt");
      await page.fill("form.prompt input", "yes");
      await page.click("form.prompt button:text-is('Answer')");
      await page.waitForSelector(".message.live[data-done=true] >> text=You answered: yes");
      cutting = true;
      proxy.refuseFor(1000);
      proxy.cut();
      await page.waitForSelector(".chat[data-connection=reconnecting]");
      await page.waitForSelector(".chat[data-connection=live]", { timeout: 15_000 });
      cutting = false;
      await page.fill("#chat-input", "And again?");
      await page.keyboard.press("Enter");
      await page.waitForSelector("form.prompt >> text=Do you want to continue?");
      await page.fill("form.prompt input", "no");
      await page.click("form.prompt button:text-is('Answer')");
      await page.waitForSelector(".message.live[data-done=true] >> text=You answered: no");
      const answers = await page.$$eval(".message.assistant .content", (items) => items.map((i) => i.textContent));
      assert(answers.filter((a) => a === "You answered: yes").length === 1, `answers ${JSON.stringify(answers)}`);
      await shot("11-chat-answered");
      return `${answers.length} assistant message(s)`;
    });

    await check("fork the session, then end the fork", async () => {
      const original = page.url();
      await page.click(".page-head .actions button:text-is('Fork')");
      await page.waitForURL((url) => url.href !== original && /\/sessions\/sess_/.test(url.pathname));
      await page.waitForSelector(".chat[data-connection=live]");
      await page.waitForSelector(".message.user >> text=Shall we start?");
      await page.click(".page-head .actions button:text-is('End')");
      await page.click("button:text-is('Yes, end')");
      await page.waitForSelector(".stream-state >> text=The session has ended.");
      await shot("12-session-ended");
      return "";
    });

    await check("a built-in harness is read-only, with a copy action", async () => {
      await page.goto(`${base}${orgBase}/harnesses`);
      await page.click("table >> text=assistant");
      await page.waitForSelector("text=built-in, read-only");
      await page.waitForSelector("button:text('Copy to edit')");
      assert(!(await page.$(".page-head a:text('Edit')")), "an Edit link on a built-in harness");
      return "";
    });

    await check("a tab whose operations are not served says so (capability manifest)", async () => {
      await page.goto(`${base}${harnessUrl}/skills`);
      await page.waitForSelector(".tab-body h2, .tab-body .notice");
      const text = ((await page.textContent(".tab-body")) ?? "").replace(/\s+/g, " ");
      await shot("13-unserved-tab");
      return text.slice(0, 120);
    });

    await check("organization: create an API key (shown once), the usage chart of today", async () => {
      await page.goto(`${base}${orgBase}/organization`);
      await page.waitForSelector("h2:text('API keys')");
      await page.fill('label:text("New key\'s name") + input', "console check");
      await page.click("button:text-is('Create API key')");
      const token = await page.textContent(".shown-once .secret");
      assert(token?.startsWith("eh_sk_"), `token ${token}`);
      const label = (await page.textContent(".shown-once strong")) ?? "";
      assert(label.includes("API key console check created."), `label: ${label}`);
      const bars = await page.$$eval(".chart rect.bar", (r) => r.length);
      assert(bars === 24, `${bars} bars`);
      await shot("14-organization");
      await page.click("button:text-is('I stored it')");
      assert(!(await page.$(".shown-once")), "the token is still shown");
      return `24 hourly bars; key shown once`;
    });

    await check("phone-sized screen: the run and the chat fit 390 px", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}${runPath}`);
      await page.waitForSelector(".run[data-run-state=ended]");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await shot("15-phone-run");
      await page.goto(`${base}${harnessUrl}`);
      await page.waitForSelector("h2:text('Resolved configuration')");
      const overflowHarness = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await shot("16-phone-harness");
      assert(overflow <= 0 && overflowHarness <= 0, `horizontal overflow: run ${overflow}px, harness ${overflowHarness}px`);
      return "";
    });

    await check("sign out: the console's token stops working", async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}${orgBase}/harnesses`);
      await page.waitForSelector("h1:text-is('Harnesses')");
      const token = await page.evaluate(async () => {
        const root = document.getElementById("console")!;
        const orgId = decodeURIComponent(location.pathname.split("/")[3]!);
        const minted = await fetch("/console/token", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": root.dataset.csrf! },
          body: JSON.stringify({ org_id: orgId }),
        });
        return ((await minted.json()) as { access_token: string }).access_token;
      });
      const before = await fetch(`${base}/v1/harnesses`, { headers: { authorization: `Bearer ${token}` } });
      await before.body?.cancel();
      assert(before.status === 200, `before signing out: HTTP ${before.status}`);
      await page.click("button:text-is('Sign out')");
      await page.waitForURL(/\/api\/auth\/sign-in/);
      const after = await fetch(`${base}/v1/harnesses`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await after.json()) as { error?: { details?: { reason?: string } } };
      assert(
        after.status === 401 && body.error?.details?.reason === "revoked",
        `after signing out: HTTP ${after.status} ${JSON.stringify(body)}`,
      );
      await page.goto(`${base}${orgBase}/harnesses`);
      await page.waitForURL(/\/api\/auth\/sign-in\?return_to=/);
      return "401 revoked; the console sends you to sign in";
    });
  } finally {
    await browser.close();
  }
  return result;
}
