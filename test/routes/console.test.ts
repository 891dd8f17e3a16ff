import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ORIGIN, expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { Browser } from "../helpers/browser.ts";
import { memberOf, newUser, userToken, type TestUser } from "../helpers/identity.ts";

/** A signed-in browser on the console: its cookies, the page's CSRF token and the shell's HTML. */
async function signedIn(user: TestUser) {
  const browser = new Browser();
  const signIn = await browser.signIn(ORIGIN, user.email, user.password, "/console");
  expect(signIn.status).toBe(302);
  expect(signIn.headers.get("location")).toBe("/console");
  const home = await browser.get(`${ORIGIN}/console`);
  expect(home.status).toBe(302);
  const shell = await browser.get(new URL(home.headers.get("location")!, ORIGIN).toString());
  const html = await shell.text();
  const csrf = /data-csrf="([^"]+)"/.exec(html)?.[1];
  return { browser, shell, html, csrf: csrf! };
}

/** Posts to the console's token endpoint as the page does. */
function mint(browser: Browser, body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}/console/token`, {
    method: "POST",
    headers: { cookie: browser.jar.header(), "content-type": "application/json", origin: ORIGIN, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function problem(res: Response) {
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** A TestOrg-like helper acting with a console token. */
function asToken(token: string, orgId: string): TestOrg {
  const fetchAs = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    return SELF.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
  };
  return {
    orgId,
    token,
    fetch: fetchAs,
    json: async (method, path, body, headers = {}) => {
      const res = await fetchAs(path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

describe("console pages", () => {
  it("sends a signed-out visitor to sign in, returning to the page asked for", async () => {
    const res = await SELF.fetch(`${ORIGIN}/console/o/org_x/harnesses?status=archived`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `/api/auth/sign-in?return_to=${encodeURIComponent("/console/o/org_x/harnesses?status=archived")}`,
    );
  });

  it("serves the shell with a strict CSP, the person's organizations and no inline script", async () => {
    const user = await newUser("Console Person");
    const { shell, html, csrf } = await signedIn(user);
    expect(shell.status).toBe(200);
    const csp = shell.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self' wss://edgeharness.test");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(shell.headers.get("cache-control")).toBe("no-store");
    expect(csrf.length).toBeGreaterThan(20);
    expect(html).toContain(user.orgId);
    expect(html).toContain('<script type="module" src="/assets/console/app.js"></script>');
    // The only script is the module file: nothing inline for the CSP to refuse.
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it("serves the console's modules and stylesheet from the Worker's own assets", async () => {
    for (const path of ["/assets/console/app.js", "/assets/console/console.css", "/assets/console/vendor/preact.js"]) {
      const res = await env.ASSETS.fetch(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(200);
      await res.body?.cancel();
    }
  });
});

describe("POST /console/token", () => {
  it("mints an access token for the chosen organization under a real grant, accepted on /v1 and /api/v1", async () => {
    const user = await newUser();
    const { browser, csrf } = await signedIn(user);
    const res = await mint(browser, { org_id: user.orgId }, { "x-csrf-token": csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as any;
    expect(body).toMatchObject({
      token_type: "Bearer",
      expires_in: expect.any(Number),
      scope: "api assistant",
      audience: [`${ORIGIN}/v1`, `${ORIGIN}/api/v1`],
      organization: { id: user.orgId, role: "owner" },
    });
    const as = asToken(body.access_token, user.orgId);
    expect((await as.json("GET", "/v1/harnesses")).status).toBe(200);
    expect((await as.json("GET", "/api/v1/organization")).body.id).toBe(user.orgId);
    // Audience-bound: the chat API is not among its audiences.
    await expectProblem(await as.json("POST", "/api/external/v1/chat", { message: "hi" }), 401, "unauthorized");
    // A real grant row of the console client, linked to this sign-in.
    const grant = await env.DB.prepare(
      "SELECT client_id, user_id, org_id FROM oauth_grants WHERE id = (SELECT grant_id FROM console_grants)",
    ).first();
    expect(grant).toMatchObject({ client_id: "edgeharness-console", user_id: user.userId, org_id: user.orgId });
    // A second token for the same organization reuses the grant.
    const again = (await (await mint(browser, { org_id: user.orgId }, { "x-csrf-token": csrf })).json()) as any;
    expect(again.access_token).not.toBe(body.access_token);
    const count = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM console_grants cg JOIN oauth_grants g ON g.id = cg.grant_id WHERE g.user_id = ?",
    )
      .bind(user.userId)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("refuses a request without the page's CSRF token, with a wrong one, or from another origin (403)", async () => {
    const user = await newUser();
    const { browser, csrf } = await signedIn(user);
    const missing = await problem(await mint(browser, { org_id: user.orgId }));
    await expectProblem(missing, 403, "forbidden");
    expect(missing.body.detail).toContain("CSRF");
    await expectProblem(await problem(await mint(browser, { org_id: user.orgId }, { "x-csrf-token": `${csrf}x` })), 403, "forbidden");
    // Another person's CSRF token does not fit this sign-in.
    const other = await signedIn(await newUser());
    await expectProblem(await problem(await mint(browser, { org_id: user.orgId }, { "x-csrf-token": other.csrf })), 403, "forbidden");
    const crossSite = await problem(await mint(browser, { org_id: user.orgId }, { "x-csrf-token": csrf, origin: "https://evil.example" }));
    await expectProblem(crossSite, 403, "forbidden");
  });

  it("refuses a signed-out caller (401) and one whose sign-in ended (sign-out)", async () => {
    const user = await newUser();
    const anonymous = new Browser();
    const res = await problem(await mint(anonymous, { org_id: user.orgId }, { "x-csrf-token": "x".repeat(43) }));
    const body = await expectProblem(res, 401, "unauthorized");
    expect(body.allowed_actions[0].href).toContain("/api/auth/sign-in");
  });

  it("answers 404 for an organization the person does not belong to — another organization is invisible", async () => {
    const user = await newUser();
    const stranger = await newOrg("Not yours");
    const { browser, csrf } = await signedIn(user);
    const body = await expectProblem(
      await problem(await mint(browser, { org_id: stranger.orgId }, { "x-csrf-token": csrf })),
      404,
      "organization_not_found",
    );
    expect(body.allowed_actions[0].href).toBe("/console");
    await expectProblem(
      await problem(await mint(browser, { org_id: "org_nope" }, { "x-csrf-token": csrf })),
      404,
      "organization_not_found",
    );
  });

  it("refuses bodies that are not exactly {org_id} (400), not JSON (415) or too large (413)", async () => {
    const user = await newUser();
    const { browser, csrf } = await signedIn(user);
    const h = { "x-csrf-token": csrf };
    await expectProblem(await problem(await mint(browser, "{nope", h)), 400, "invalid_json");
    await expectProblem(await problem(await mint(browser, {}, h)), 400, "validation_error");
    await expectProblem(await problem(await mint(browser, { org_id: user.orgId, scope: "*" }, h)), 400, "validation_error");
    await expectProblem(
      await problem(await mint(browser, { org_id: user.orgId }, { ...h, "content-type": "text/plain" })),
      415,
      "unsupported_media_type",
    );
    await expectProblem(await problem(await mint(browser, { org_id: "x".repeat(2000) }, h)), 413, "payload_too_large");
  });

  it("acts within the person's role: a member reads the organization but cannot create API keys", async () => {
    const owner = await newUser();
    const member = await memberOf(owner.orgId, "member");
    const { browser, csrf } = await signedIn(member);
    const body = (await (await mint(browser, { org_id: owner.orgId }, { "x-csrf-token": csrf })).json()) as any;
    expect(body.organization).toMatchObject({ id: owner.orgId, role: "member" });
    const as = asToken(body.access_token, owner.orgId);
    expect((await as.json("GET", "/api/v1/members")).status).toBe(200);
    await expectProblem(await as.json("POST", "/api/v1/api-keys", { name: "nope" }), 403, "forbidden");
  });

  it("signing out revokes the tokens the console holds", async () => {
    const user = await newUser();
    const { browser, csrf, html } = await signedIn(user);
    const { access_token } = (await (await mint(browser, { org_id: user.orgId }, { "x-csrf-token": csrf })).json()) as any;
    const as = asToken(access_token, user.orgId);
    expect((await as.json("GET", "/v1/harnesses")).status).toBe(200);
    const signOutCsrf = /data-sign-out-csrf="([^"]+)"/.exec(html)![1]!;
    const out = await browser.post(`${ORIGIN}/api/auth/sign-out`, { csrf: signOutCsrf });
    expect(out.status).toBe(302);
    const refused = await expectProblem(await as.json("GET", "/v1/harnesses"), 401, "unauthorized");
    expect(refused.error.details.reason).toBe("revoked");
    const grant = await env.DB.prepare("SELECT revoked_reason FROM oauth_grants WHERE client_id = 'edgeharness-console' AND user_id = ?")
      .bind(user.userId)
      .first<{ revoked_reason: string }>();
    expect(grant?.revoked_reason).toBe("signed_out");
    await expectProblem(await problem(await mint(browser, { org_id: user.orgId }, { "x-csrf-token": csrf })), 401, "unauthorized");
  });
});

describe("WebSocket connect with an access token (the console's way in)", () => {
  it("accepts an access token in a bearer.<token> subprotocol entry; another organization's session is 404", async () => {
    const user = await newUser();
    const token = await userToken(user, { scope: "api" });
    const as = asToken(token, user.orgId);
    const h = await newHarness(as, { default_model_id: "scripted/echo" });
    const created = await as.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
    expect(created.status).toBe(201);
    const path = `/v1/harnesses/${h.id}/sessions/${created.body.session.id}/connect`;
    const res = await SELF.fetch(`${ORIGIN}${path}`, {
      headers: { upgrade: "websocket", "sec-websocket-protocol": `openharness.v1, bearer.${token}` },
    });
    expect(res.status, res.status === 101 ? "" : await res.text()).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBe("openharness.v1");
    const ws = res.webSocket!;
    ws.accept();
    const done = new Promise<any[]>((resolve) => {
      const frames: any[] = [];
      ws.addEventListener("message", (e) => {
        frames.push(JSON.parse(e.data as string));
        if (frames.at(-1).type === "done") resolve(frames);
      });
    });
    ws.send(JSON.stringify({ type: "message", id: "m1", content: "hello" }));
    const frames = await done;
    expect(
      frames
        .filter((f) => f.type === "text")
        .map((f) => f.content)
        .join(""),
    ).toBe("Echo: hello");
    ws.close();

    // ?token= works the same way.
    const viaQuery = await SELF.fetch(`${ORIGIN}${path}?token=${encodeURIComponent(token)}`, { headers: { upgrade: "websocket" } });
    expect(viaQuery.status, viaQuery.status === 101 ? "" : await viaQuery.text()).toBe(101);
    viaQuery.webSocket!.accept();
    viaQuery.webSocket!.close();

    // Another person's token (their own organization) does not see this session.
    const stranger = await newUser();
    const theirs = await userToken(stranger, { scope: "api" });
    const hidden = await SELF.fetch(`${ORIGIN}${path}`, {
      headers: { upgrade: "websocket", "sec-websocket-protocol": `openharness.v1, bearer.${theirs}` },
    });
    await expectProblem(await problem(hidden), 404, "harness_not_found");
  });

  it("refuses an access token issued for another API (audience) or revoked", async () => {
    const user = await newUser();
    const token = await userToken(user, { scope: "api" });
    const as = asToken(token, user.orgId);
    const h = await newHarness(as);
    const { body } = await as.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
    const path = `/v1/harnesses/${h.id}/sessions/${body.session.id}/connect`;
    const chatOnly = await userToken(user, { scope: "api", audience: `${ORIGIN}/api/external/v1` });
    const wrong = await problem(await SELF.fetch(`${ORIGIN}${path}?token=${chatOnly}`, { headers: { upgrade: "websocket" } }));
    expect((await expectProblem(wrong, 401, "unauthorized")).error.details.reason).toBe("wrong_audience");
    // A token whose grant is revoked before its first use (a used one may be remembered as live for up to 2 s).
    const unused = await userToken(user, { scope: "api" });
    await env.DB.prepare("UPDATE oauth_grants SET revoked_at = ? WHERE user_id = ? AND id <> ?")
      .bind(new Date().toISOString(), user.userId, JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).grant_id)
      .run();
    const revoked = await problem(await SELF.fetch(`${ORIGIN}${path}?token=${unused}`, { headers: { upgrade: "websocket" } }));
    expect((await expectProblem(revoked, 401, "unauthorized")).error.details.reason).toBe("revoked");
  });
});

describe("view_url and the resolved configuration", () => {
  it("points view_url and ui_link at the console page of the harness in its organization", async () => {
    const org = await newOrg();
    const res = await org.json("POST", "/api/v1/harnesses", { name: "viewed", system_prompt: "Be brief." });
    expect(res.status).toBe(201);
    expect(res.body.view_url).toBe(`${ORIGIN}/console/o/${org.orgId}/harnesses/${res.body.id}`);
    expect(res.body.ui_link).toBe(res.body.view_url);
  });

  it("resolves inherited configuration with the layer each value came from", async () => {
    const org = await newOrg();
    const parent = await org.json("POST", "/api/v1/harnesses", {
      name: "base",
      system_prompt: "You are careful.",
      capabilities: [{ ref: "current_time" }, { ref: "ask_user", config: { timeout_seconds: 60 } }],
      default_model_id: "scripted/echo",
      initial_files: [{ path: "README.md", content: "base" }],
      mcpServers: { docs: { url: "https://mcp.example/mcp", headers: { authorization: "Bearer secret" } } },
      network_access: { allowed: ["*.example.com"] },
    });
    const child = await org.json("POST", "/api/v1/harnesses", {
      name: "child",
      system_prompt: "Answer in French.",
      parent_harness_id: parent.body.id,
      capabilities: [{ ref: "ask_user", config: { timeout_seconds: 600 } }],
      initial_files: [{ path: "README.md", content: "child" }],
      network_access: { blocked: ["evil.example.com"] },
    });
    const res = await org.json("GET", `/api/v1/harnesses/${child.body.id}/resolved`);
    expect(res.status).toBe(200);
    const base = { id: parent.body.id, name: "base" };
    const mine = { id: child.body.id, name: "child" };
    expect(res.body.chain.map((l: any) => l.name)).toEqual(["base", "child"]);
    expect(res.body.system_prompt.value).toBe("You are careful.\n\nAnswer in French.");
    expect(res.body.capabilities).toEqual([
      { ref: "current_time", source: expect.objectContaining(base), overrides: [] },
      {
        ref: "ask_user",
        config: { timeout_seconds: 600 },
        source: expect.objectContaining(mine),
        overrides: [expect.objectContaining(base)],
      },
    ]);
    expect(res.body.initial_files).toEqual([
      expect.objectContaining({ path: "README.md", size_chars: 5, source: expect.objectContaining(mine) }),
    ]);
    expect(res.body.mcp_servers).toEqual([
      expect.objectContaining({ name: "docs", header_names: ["authorization"], source: expect.objectContaining(base) }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain("Bearer secret");
    expect(res.body.network_access.layers).toHaveLength(2);
    expect(res.body.default_model).toMatchObject({ value: "scripted/echo", source: "parent harness base", callable: true, problem: null });
  });

  it("says when the default model cannot be called, and hides another organization's harness (404)", async () => {
    const org = await newOrg();
    const h = await org.json("POST", "/api/v1/harnesses", {
      name: "needs-key",
      system_prompt: "x",
      default_model_id: "anthropic/claude-sonnet-4-5",
    });
    const res = await org.json("GET", `/api/v1/harnesses/${h.body.id}/resolved`);
    expect(res.body.default_model).toMatchObject({ value: "anthropic/claude-sonnet-4-5", source: "harness", callable: false });
    expect(res.body.default_model.problem).toEqual(expect.any(String));
    const other = await newOrg();
    await expectProblem(await other.json("GET", `/api/v1/harnesses/${h.body.id}/resolved`), 404, "harness_not_found");
  });
});
