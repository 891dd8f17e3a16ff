/**
 * The consent flow in a real browser: Debian's Chromium driven by playwright-core signs up a new
 * person, approves a dynamically registered client for their organization, and the code is exchanged
 * with PKCE. Screenshots of each page go to `.local/screenshots/`. Used by the smoke run.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { LOCAL_DIR } from "./dev-server.ts";

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";
const SCREENSHOTS_DIR = join(LOCAL_DIR, "screenshots");

/**
 * Starts Debian's headless Chromium ({@link CHROMIUM_PATH}) as every browser flow runs it: no sandbox,
 * GPU or QUIC, and none of its own background traffic (updates, sync), so that any request a page makes
 * to anything but the server is the page's. Close the browser when done.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The password of every account a browser flow signs up (throwaway accounts on a local server). */
const FLOW_PASSWORD = "a long enough password";

/**
 * On the sign-in page: follows "Create one" to the sign-up form, waits for it, fills it in for a new
 * person (`name`, `email`, a throwaway password), runs `beforeSubmit` (e.g. a screenshot) and submits.
 * @throws playwright's timeout error when a page or field does not come (the page's default timeout).
 */
export async function signUpFromSignIn(
  page: Page,
  person: { name: string; email: string; beforeSubmit?: () => Promise<void> },
): Promise<void> {
  await page.click("text=Create one");
  await page.waitForSelector("form[action='/api/auth/sign-up']");
  await page.fill("#name", person.name);
  await page.fill("#email", person.email);
  await page.fill("#password", FLOW_PASSWORD);
  await person.beforeSubmit?.();
  await page.click("button[type=submit]");
}

function base64url(bytes: Buffer): string {
  return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** What the browser run saw. */
export interface BrowserFlowResult {
  screenshots: string[];
  /** Requests the pages made to anything but the server (must be none). */
  outsideRequests: string[];
  /** Console errors and CSP violations the pages produced (must be none). */
  consoleErrors: string[];
  accessTokenWorks: boolean;
}

/** Runs sign-up → consent → callback → token exchange → API call against `baseUrl`. */
export async function runBrowserFlow(baseUrl: string): Promise<BrowserFlowResult> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const callback = await new Promise<{ port: number; code: Promise<URL>; close: () => void }>((resolve) => {
    let deliver: (url: URL) => void;
    const code = new Promise<URL>((r) => (deliver = r));
    const server = createServer((req, res) => {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><title>Done</title><p>Signed in. You can close this window.</p>");
      deliver(new URL(req.url ?? "/", "http://127.0.0.1"));
    });
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ port: typeof address === "object" && address ? address.port : 0, code, close: () => server.close() });
    });
  });
  const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
  const registration = await fetch(`${baseUrl}/api/auth/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Smoke Browser Client", redirect_uris: [redirectUri], token_endpoint_auth_method: "none" }),
  });
  const { client_id } = (await registration.json()) as { client_id: string };
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const state = base64url(randomBytes(16));
  const authorize = new URL(`${baseUrl}/api/auth/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    client_id,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid profile email api",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();

  const browser = await launchChromium();
  const screenshots: string[] = [];
  const outsideRequests: string[] = [];
  const consoleErrors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(baseUrl) && !url.startsWith(`http://127.0.0.1:${callback.port}`)) outsideRequests.push(url);
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    const shot = async (name: string) => {
      const path = join(SCREENSHOTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      screenshots.push(path);
    };
    page.setDefaultTimeout(15_000);
    const step = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        await shot(`error-${name}`).catch(() => {});
        const text = (await page.textContent("body").catch(() => "")) ?? "";
        throw new Error(
          `${name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)} — page ${page.url()} says: ${text.replace(/\s+/g, " ").slice(0, 300)}`,
          { cause: error },
        );
      }
    };
    await page.goto(authorize.toString());
    await step("sign-in page", () => page.waitForSelector("form[action='/api/auth/sign-in']"));
    await shot("1-sign-in");
    await step("sign-up page", () =>
      signUpFromSignIn(page, { name: "Smoke Tester", email: `smoke-${Date.now()}@example.com`, beforeSubmit: () => shot("2-sign-up") }),
    );
    await step("consent page", () => page.waitForSelector("form[action='/api/auth/oauth2/authorize']"));
    await shot("3-consent");
    await page.click("button[value=approve]");
    const returned = await step("callback", () =>
      Promise.race([callback.code, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no callback")), 15_000))]),
    );
    await shot("4-returned");
    const code = returned.searchParams.get("code");
    if (!code || returned.searchParams.get("state") !== state || returned.searchParams.get("iss") !== baseUrl)
      throw new Error(`bad callback: ${returned.search}`);
    const token = await fetch(`${baseUrl}/api/auth/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_id,
        code_verifier: verifier,
      }).toString(),
    });
    const { access_token } = (await token.json()) as { access_token?: string };
    const api = access_token ? await fetch(`${baseUrl}/v1/harnesses`, { headers: { authorization: `Bearer ${access_token}` } }) : undefined;
    return { screenshots, outsideRequests, consoleErrors, accessTokenWorks: api?.status === 200 };
  } finally {
    await browser.close();
    callback.close();
  }
}

/**
 * A person authorizing an MCP connection of a harness in Chromium: opens `authorizationUrl` (the
 * product's own authorization server, for its own `/api/mcp`), signs up a new account, approves the
 * consent page, and follows the redirect to the product's MCP client callback. Resolves with the page
 * the callback showed.
 */
export async function authorizeMcpInBrowser(baseUrl: string, authorizationUrl: string): Promise<{ url: string; text: string }> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(authorizationUrl);
    await page.waitForSelector("form[action='/api/auth/sign-in']");
    await signUpFromSignIn(page, { name: "MCP Smoke Tester", email: `mcp-smoke-${Date.now()}@example.com` });
    await page.waitForSelector("form[action='/api/auth/oauth2/authorize']");
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "mcp-1-consent.png"), fullPage: true });
    await page.click("button[value=approve]");
    await page.waitForURL(`${baseUrl}/api/mcp-client/oauth/callback**`);
    await page.waitForLoadState("domcontentloaded");
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "mcp-2-callback.png"), fullPage: true });
    return { url: page.url(), text: (await page.textContent("body")) ?? "" };
  } finally {
    await browser.close();
  }
}
