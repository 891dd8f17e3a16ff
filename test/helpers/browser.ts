/**
 * A person in a browser, without a browser: follows the authorization server's redirects, keeps
 * cookies, reads the forms' hidden fields and submits them — sign-in, then consent — the way a person
 * clicking through the pages would. (Playwright drives the real pages in the smoke run.)
 */
import { SELF } from "cloudflare:test";

/** Cookies by name, as a browser would keep them for one site. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** A hidden (or other named) input's value in an HTML form, HTML entities decoded. */
export function field(html: string, name: string): string | undefined {
  const match =
    new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html) ??
    new RegExp(`<input[^>]*value="([^"]*)"[^>]*name="${name}"`).exec(html);
  return match?.[1]
    ?.replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** The `<option value>`s of a select. */
export function options(html: string): string[] {
  return [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]!);
}

/** A browser session against the Worker. */
export class Browser {
  readonly jar = new CookieJar();

  async get(url: string): Promise<Response> {
    const response = await SELF.fetch(url, { headers: { cookie: this.jar.header() }, redirect: "manual" });
    this.jar.take(response);
    return response;
  }

  async post(url: string, form: Record<string, string>, origin = new URL(url).origin): Promise<Response> {
    const response = await SELF.fetch(url, {
      method: "POST",
      headers: { cookie: this.jar.header(), "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
    this.jar.take(response);
    return response;
  }

  /** Signs in through the sign-in page (CSRF cookie + hidden field), returning the redirect target. */
  async signIn(origin: string, email: string, password: string, returnTo = "/api/auth/signed-in"): Promise<Response> {
    const pageResponse = await this.get(`${origin}/api/auth/sign-in?return_to=${encodeURIComponent(returnTo)}`);
    const html = await pageResponse.text();
    return this.post(`${origin}/api/auth/sign-in`, { csrf: field(html, "csrf")!, return_to: field(html, "return_to")!, email, password });
  }

  /**
   * Opens an authorization URL as a person would: signs in when asked, then approves (or denies) on the
   * consent page for `orgId` (default: the first organization offered). Returns the final redirect to
   * the client (its Location) — or the last response when the flow ended on a page.
   */
  async authorize(
    authorizationUrl: string,
    person: { email: string; password: string },
    choice: { decision?: "approve" | "deny"; orgId?: string } = {},
  ): Promise<{ location?: string; response: Response; consentHtml?: string }> {
    const origin = new URL(authorizationUrl).origin;
    let response = await this.get(authorizationUrl);
    if (response.status === 302 && response.headers.get("location")!.startsWith("/api/auth/sign-in")) {
      const returnTo = new URL(response.headers.get("location")!, origin).searchParams.get("return_to")!;
      response = await this.signIn(origin, person.email, person.password, returnTo);
      if (response.status !== 302) return { response };
      response = await this.get(new URL(response.headers.get("location")!, origin).toString());
    }
    if (response.status !== 200)
      return { response, ...(response.headers.get("location") ? { location: response.headers.get("location")! } : {}) };
    const html = await response.text();
    const orgId = choice.orgId ?? options(html)[0]!;
    const decided = await this.post(`${origin}/api/auth/oauth2/authorize`, {
      csrf: field(html, "csrf")!,
      authorize_query: field(html, "authorize_query")!,
      org_id: orgId,
      decision: choice.decision ?? "approve",
    });
    return {
      response: decided,
      consentHtml: html,
      ...(decided.headers.get("location") ? { location: decided.headers.get("location")! } : {}),
    };
  }
}
