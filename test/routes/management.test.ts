/**
 * The management API (`/api/v1`): organization API keys, members and invitations (with the invitee's
 * page at `/api/auth/invitations`), machine OAuth clients and the organization's settings — each with
 * an organization API key and with a user's OAuth token, role checks, cross-organization 404s and
 * validation errors naming the field.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { SCOPES } from "../../src/auth/scopes.ts";
import { createDb } from "../../src/db/index.ts";
import { organizationsOf } from "../../src/services/identity/users.ts";
import { call, expectProblem, newOrg, ORIGIN } from "../helpers/api.ts";
import { Browser, field, options } from "../helpers/browser.ts";
import { memberOf, newUser, userToken, type TestUser } from "../helpers/identity.ts";

const API = "/api/v1";
const PAGE = "/api/auth/invitations";
const REDIRECT = "https://client.example/callback";

type Sent = { status: number; headers: Headers; body: any };

/** A JSON request with bearer `token`; returns status, headers and the parsed body. */
async function send(token: string, method: string, path: string, body?: unknown): Promise<Sent> {
  const res = await call(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A management-API access token of `user` (in `user.orgId`), as a client granted `api` would hold. */
const apiToken = (user: TestUser, orgId = user.orgId) => userToken(user, { audience: `${ORIGIN}${API}`, scope: "api", orgId });

/** Asserts a 400 `validation_error` whose `details.field` is `name` (e.g. `body.name`). */
async function expectField(res: Sent, name: string) {
  const problem = await expectProblem(res, 400, "validation_error");
  expect(problem.error.details.field, JSON.stringify(problem)).toBe(name);
}

/** `grant_type=client_credentials` at the token endpoint with HTTP Basic client authentication. */
async function clientCredentials(clientId: string, secret: string): Promise<Sent> {
  const res = await call("/api/auth/oauth2/token", {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A public client (PKCE) registered through RFC 7591, and an authorization URL for it. */
async function publicClientAuthorization(scope = "openid offline_access api") {
  const res = await call("/api/auth/oauth2/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Org picker probe", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
  });
  expect(res.status).toBe(201);
  const clientId = ((await res.json()) as { client_id: string }).client_id;
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  const url = new URL(`${ORIGIN}/api/auth/oauth2/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  return { clientId, verifier, url: url.toString() };
}

/** The organization ids the consent page offers `person` (signing in on the way when needed). */
async function consentPickerOrgIds(browser: Browser, person: TestUser): Promise<string[]> {
  const { url } = await publicClientAuthorization();
  let res = await browser.get(url);
  if (res.status === 302) {
    const returnTo = new URL(res.headers.get("location")!, ORIGIN).searchParams.get("return_to")!;
    res = await browser.signIn(ORIGIN, person.email, person.password, returnTo);
    res = await browser.get(new URL(res.headers.get("location")!, ORIGIN).toString());
  }
  expect(res.status).toBe(200);
  return options(await res.text());
}

/** The membership id of `user` in the organization `token` acts for. */
async function membershipIdOf(token: string, user: TestUser): Promise<string> {
  const list = await send(token, "GET", `${API}/members?status=active&limit=100`);
  const row = list.body.data.find((m: any) => m.user?.id === user.userId);
  if (!row) throw new Error(`no membership for ${user.userId}: ${JSON.stringify(list.body)}`);
  return row.id;
}

describe("API keys", () => {
  it("an org key creates a key shown once, lists metadata only, and a revoked key gets 401 on /v1 at once", async () => {
    const org = await newOrg();
    const created = await org.json("POST", `${API}/api-keys`, { name: "  CI reader ", scopes: [SCOPES.harnessesRead] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { key, token } = created.body;
    expect(key).toEqual({
      id: expect.stringMatching(/^key_[0-9a-f]{32}$/),
      name: "CI reader",
      scopes: ["harnesses:read"],
      created_at: expect.any(String),
    });
    expect(token).toMatch(/^eh_sk_[0-9a-f]{32}_\S+$/);
    expect(token.slice("eh_sk_".length, "eh_sk_".length + 32)).toBe(key.id.slice("key_".length));
    // The new key works, within its scopes.
    expect((await send(token, "GET", "/v1/harnesses")).status).toBe(200);
    await expectProblem(
      await send(token, "POST", "/v1/harnesses", {
        id: "x",
        name: "x",
        vendor: "x",
        description: "x",
        execution_type: "hosted",
        config: {},
      }),
      403,
      "forbidden",
    );

    const list = await org.json("GET", `${API}/api-keys`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, limit: 20, offset: 0, has_more: false });
    expect(list.body.data.map((k: any) => k.id)).toEqual([key.id, expect.stringMatching(/^key_/)]);
    for (const item of list.body.data) expect(Object.keys(item).sort()).toEqual(["created_at", "id", "name", "scopes"]);
    const raw = JSON.stringify(list.body);
    expect(raw).not.toContain(token.slice(-20));
    expect(raw).not.toMatch(/secret|hash/i);
    expect((await org.json("GET", `${API}/api-keys?limit=1`)).body).toMatchObject({ total: 2, has_more: true });

    expect((await org.fetch(`${API}/api-keys/${key.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await send(token, "GET", "/v1/harnesses"), 401, "unauthorized");
    await expectProblem(await org.json("DELETE", `${API}/api-keys/${key.id}`), 404, "api_key_not_found");
    expect((await org.json("GET", `${API}/api-keys`)).body.total).toBe(1);
    // Without scopes, a full-access key mints a full-access key.
    expect((await org.json("POST", `${API}/api-keys`, { name: "full" })).body.key.scopes).toEqual(["*"]);
  });

  it("a key may revoke itself (an emergency stop), and then stops working", async () => {
    const org = await newOrg();
    const { token, key } = (await org.json("POST", `${API}/api-keys`, { name: "leaked" })).body;
    expect((await send(token, "DELETE", `${API}/api-keys/${key.id}`)).status).toBe(204);
    await expectProblem(await send(token, "GET", `${API}/api-keys`), 401, "unauthorized");
    expect((await org.json("GET", `${API}/api-keys`)).body.data.map((k: any) => k.id)).not.toContain(key.id);
  });

  it("with a user's OAuth token: owners create keys with their own scopes by default, never stronger ones", async () => {
    const owner = await newUser("Owner");
    const token = await apiToken(owner);
    const created = await send(token, "POST", `${API}/api-keys`, { name: "from the CLI" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // `api` grants every scope but `assistant`, so that is what the key gets.
    expect(created.body.key.scopes).toEqual(Object.values(SCOPES).filter((s) => s !== SCOPES.assistant));
    expect((await send(created.body.token, "GET", "/v1/harnesses")).status).toBe(200);
    for (const scopes of [["*"], [SCOPES.assistant]]) {
      const refused = await expectProblem(await send(token, "POST", `${API}/api-keys`, { name: "stronger", scopes }), 403, "forbidden");
      expect(refused.error.details.missing_scopes).toEqual(scopes);
    }
    // A narrow key cannot mint a wider one either.
    const narrow = (
      await send(token, "POST", `${API}/api-keys`, { name: "narrow", scopes: [SCOPES.organizationRead, SCOPES.organizationWrite] })
    ).body;
    await expectProblem(
      await send(narrow.token, "POST", `${API}/api-keys`, { name: "wide", scopes: [SCOPES.harnessesWrite] }),
      403,
      "forbidden",
    );
    expect((await send(narrow.token, "POST", `${API}/api-keys`, { name: "same" })).body.key.scopes).toEqual([
      "organization:read",
      "organization:write",
    ]);
    const list = await send(token, "GET", `${API}/api-keys`);
    expect(list.body.data.map((k: any) => k.name)).toEqual(["same", "narrow", "from the CLI"]);
  });

  it("members read but get 403 on writes; another organization's key is 404; bad input names the field", async () => {
    const owner = await newUser("Owner");
    const member = await memberOf(owner.orgId, "member");
    const memberToken = await apiToken(member);
    const refused = await expectProblem(await send(memberToken, "POST", `${API}/api-keys`, { name: "mine" }), 403, "forbidden");
    expect(refused.error.details).toMatchObject({ role: "member", required_role: ["owner", "admin"] });
    expect((await send(memberToken, "GET", `${API}/api-keys`)).status).toBe(200);

    const ownKey = (await send(await apiToken(owner), "POST", `${API}/api-keys`, { name: "owner's" })).body;
    await expectProblem(await send(memberToken, "DELETE", `${API}/api-keys/${ownKey.key.id}`), 403, "forbidden");
    const stranger = await newOrg();
    await expectProblem(await stranger.json("DELETE", `${API}/api-keys/${ownKey.key.id}`), 404, "api_key_not_found");
    expect((await stranger.json("GET", `${API}/api-keys`)).body.data.map((k: any) => k.id)).not.toContain(ownKey.key.id);
    expect((await send(ownKey.token, "GET", `${API}/api-keys`)).status).toBe(200);

    for (const [body, name] of [
      [{}, "body.name"],
      [{ name: "   " }, "body.name"],
      [{ name: "x".repeat(101) }, "body.name"],
      [{ name: "k", scopes: [] }, "body.scopes"],
      [{ name: "k", scopes: ["everything"] }, "body.scopes[0]"],
      [{ name: "k", scopes: "*" }, "body.scopes"],
    ] as const) {
      await expectField(await stranger.json("POST", `${API}/api-keys`, body), name);
    }
    await expectProblem(await stranger.json("POST", `${API}/api-keys`, { name: "k", owner: "me" }), 400, "validation_error");
    expect((await call(`${API}/api-keys`)).status).toBe(401);
  });
});

describe("invitations", () => {
  it("an owner invites by email; the invitee accepts on the page (CSRF-protected) and can then pick the organization on consent", async () => {
    const owner = await newUser("Owner");
    const invitee = await newUser("Invitee");
    const ownerToken = await apiToken(owner);
    const invited = await send(ownerToken, "POST", `${API}/invitations`, { email: invitee.email.toUpperCase(), role: "member" });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body).toEqual({
      id: expect.stringMatching(/^mem_/),
      email: invitee.email,
      role: "member",
      status: "pending",
      organization: { id: owner.orgId, name: "Owner's organization" },
      invited_by: owner.userId,
      created_at: expect.any(String),
    });
    const invitationId = invited.body.id;
    const members = await send(ownerToken, "GET", `${API}/members`);
    expect(members.body.total).toBe(2);
    expect(members.body.data).toEqual([
      expect.objectContaining({
        status: "active",
        role: "owner",
        email: owner.email,
        user: { id: owner.userId, email: owner.email, name: "Owner" },
      }),
      expect.objectContaining({ id: invitationId, status: "pending", role: "member", email: invitee.email, user: null, accepted_at: null }),
    ]);
    expect((await send(ownerToken, "GET", `${API}/members?status=pending`)).body.total).toBe(1);
    // Decided: inviting again is a conflict naming the pending invitation, not a second one.
    const again = await expectProblem(
      await send(ownerToken, "POST", `${API}/invitations`, { email: invitee.email, role: "admin" }),
      409,
      "invitation_exists",
    );
    expect(again.error.details).toMatchObject({ invitation_id: invitationId, role: "member" });
    await expectProblem(await send(ownerToken, "POST", `${API}/invitations`, { email: owner.email }), 409, "member_exists");

    // Signed out, the page sends you to sign in and back.
    const signedOut = await call(PAGE, { redirect: "manual" });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toBe(`/api/auth/sign-in?return_to=${encodeURIComponent(PAGE)}`);

    const browser = new Browser();
    expect((await browser.signIn(ORIGIN, invitee.email, invitee.password, PAGE)).headers.get("location")).toBe(PAGE);
    const listed = await browser.get(`${ORIGIN}${PAGE}`);
    expect(listed.status).toBe(200);
    expect(listed.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(listed.headers.get("content-security-policy")).toContain("form-action 'self'");
    expect(listed.headers.get("x-frame-options")).toBe("DENY");
    expect(listed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(listed.headers.get("cache-control")).toBe("no-store");
    const html = await listed.text();
    expect(html).toContain("Owner&#39;s organization");
    expect(html).toContain(`action="${PAGE}/${invitationId}/accept"`);
    expect(html).toContain(`action="${PAGE}/${invitationId}/decline"`);
    const csrf = field(html, "csrf")!;
    expect(csrf.length).toBeGreaterThan(20);
    expect(await consentPickerOrgIds(browser, invitee)).toEqual([invitee.orgId]);

    // A forged CSRF token, a cross-site post, or someone else's invitation change nothing.
    expect((await browser.post(`${ORIGIN}${PAGE}/${invitationId}/accept`, { csrf: "forged-token-forged-token" })).status).toBe(403);
    expect((await browser.post(`${ORIGIN}${PAGE}/${invitationId}/accept`, {})).status).toBe(403);
    expect((await browser.post(`${ORIGIN}${PAGE}/${invitationId}/accept`, { csrf }, "https://evil.example")).status).toBe(403);
    expect((await send(ownerToken, "GET", `${API}/members?status=pending`)).body.total).toBe(1);

    const accepted = await browser.post(`${ORIGIN}${PAGE}/${invitationId}/accept`, { csrf });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe(`${PAGE}?done=accepted`);
    const after = await (await browser.get(`${ORIGIN}${PAGE}?done=accepted`)).text();
    expect(after).toContain("Invitation accepted");
    expect(after).toContain("no pending invitations");
    expect(after).toContain("Owner&#39;s organization (member)");
    // Answering twice finds nothing.
    expect((await browser.post(`${ORIGIN}${PAGE}/${invitationId}/accept`, { csrf })).status).toBe(404);

    expect(await organizationsOf(createDb(env.DB), invitee.userId)).toEqual(
      expect.arrayContaining([{ orgId: owner.orgId, name: "Owner's organization", role: "member" }]),
    );
    expect((await consentPickerOrgIds(browser, invitee)).sort()).toEqual([invitee.orgId, owner.orgId].sort());
    const now = await send(ownerToken, "GET", `${API}/members`);
    expect(now.body.data).toContainEqual(
      expect.objectContaining({
        id: invitationId,
        status: "active",
        role: "member",
        email: invitee.email,
        user: expect.objectContaining({ id: invitee.userId }),
        accepted_at: expect.any(String),
      }),
    );
    // The new member acts in the organization with a token for it.
    expect((await send(await apiToken(invitee, owner.orgId), "GET", `${API}/members`)).body.total).toBe(2);
  });

  it("someone else's invitation is 404 on the page, another session's form token is refused, and declining removes it", async () => {
    const owner = await newUser("Owner");
    const invitee = await newUser("Invitee");
    const other = await newUser("Other");
    const ownerToken = await apiToken(owner);
    const invitation = (await send(ownerToken, "POST", `${API}/invitations`, { email: invitee.email })).body;
    await send(ownerToken, "POST", `${API}/invitations`, { email: other.email });
    const otherBrowser = new Browser();
    await otherBrowser.signIn(ORIGIN, other.email, other.password);
    const otherCsrf = field(await (await otherBrowser.get(`${ORIGIN}${PAGE}`)).text(), "csrf")!;
    const inviteeBrowser = new Browser();
    await inviteeBrowser.signIn(ORIGIN, invitee.email, invitee.password);
    const inviteeCsrf = field(await (await inviteeBrowser.get(`${ORIGIN}${PAGE}`)).text(), "csrf")!;
    // A valid form of the other person's own session: the invitation still is not theirs.
    for (const decision of ["accept", "decline"]) {
      const foreign = await otherBrowser.post(`${ORIGIN}${PAGE}/${invitation.id}/${decision}`, { csrf: otherCsrf });
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).toContain("No pending invitation");
    }
    // The invitee's form token does not work in another session (it is an HMAC of the session's secret).
    expect((await otherBrowser.post(`${ORIGIN}${PAGE}/${invitation.id}/accept`, { csrf: inviteeCsrf })).status).toBe(403);
    expect((await send(ownerToken, "GET", `${API}/members?status=pending`)).body.total).toBe(2);

    const declined = await inviteeBrowser.post(`${ORIGIN}${PAGE}/${invitation.id}/decline`, { csrf: inviteeCsrf });
    expect(declined.status).toBe(302);
    expect(declined.headers.get("location")).toBe(`${PAGE}?done=declined`);
    const after = await (await inviteeBrowser.get(`${ORIGIN}${PAGE}?done=declined`)).text();
    expect(after).toContain("Invitation declined.");
    expect(after).toContain("no pending invitations");
    expect((await send(ownerToken, "GET", `${API}/members?status=pending`)).body.data.map((m: any) => m.email)).toEqual([other.email]);
    expect((await organizationsOf(createDb(env.DB), invitee.userId)).map((o) => o.orgId)).toEqual([invitee.orgId]);
  });

  it("a user accepts through the API with their OAuth token; others get 404 and API keys 403", async () => {
    const owner = await newUser("Owner");
    const invitee = await newUser("Invitee");
    const stranger = await newUser("Stranger");
    const invitation = (await send(await apiToken(owner), "POST", `${API}/invitations`, { email: invitee.email, role: "admin" })).body;
    expect(invitation.role).toBe("admin");
    const inviteeToken = await apiToken(invitee);
    const received = await send(inviteeToken, "GET", `${API}/invitations/received`);
    expect(received.status).toBe(200);
    expect(received.body.data).toEqual([
      expect.objectContaining({ id: invitation.id, role: "admin", organization: { id: owner.orgId, name: "Owner's organization" } }),
    ]);
    expect((await send(await apiToken(stranger), "GET", `${API}/invitations/received`)).body.data).toEqual([]);

    await expectProblem(
      await send(await apiToken(stranger), "POST", `${API}/invitations/${invitation.id}/accept`),
      404,
      "invitation_not_found",
    );
    await expectProblem(
      await send(await apiToken(stranger), "POST", `${API}/invitations/${invitation.id}/decline`),
      404,
      "invitation_not_found",
    );
    const key = await mintApiKey(createDb(env.DB), owner.orgId, "ops");
    await expectProblem(await send(key.token, "POST", `${API}/invitations/${invitation.id}/accept`), 403, "forbidden");
    await expectProblem(await send(key.token, "GET", `${API}/invitations/received`), 403, "forbidden");

    const accepted = await send(inviteeToken, "POST", `${API}/invitations/${invitation.id}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toEqual({
      membership_id: invitation.id,
      role: "admin",
      organization: { id: owner.orgId, name: "Owner's organization" },
      accepted_at: expect.any(String),
    });
    await expectProblem(await send(inviteeToken, "POST", `${API}/invitations/${invitation.id}/accept`), 404, "invitation_not_found");
    expect(await organizationsOf(createDb(env.DB), invitee.userId)).toContainEqual({
      orgId: owner.orgId,
      name: "Owner's organization",
      role: "admin",
    });
    // As an admin of the organization now: invites members.
    const asAdmin = await apiToken(invitee, owner.orgId);
    expect((await send(asAdmin, "POST", `${API}/invitations`, { email: "new.person@example.com" })).status).toBe(201);

    // Declining through the API deletes the invitation.
    const other = await newUser("Other owner");
    const second = (await send(await apiToken(other), "POST", `${API}/invitations`, { email: invitee.email })).body;
    expect((await send(inviteeToken, "POST", `${API}/invitations/${second.id}/decline`)).status).toBe(204);
    expect((await send(inviteeToken, "GET", `${API}/invitations/received`)).body.data).toEqual([]);
  });

  it("admins and API keys invite members but not admins; members cannot invite; cancel is per organization", async () => {
    const owner = await newUser("Owner");
    const admin = await memberOf(owner.orgId, "admin");
    const member = await memberOf(owner.orgId, "member");
    const adminToken = await apiToken(admin);
    const refused = await expectProblem(
      await send(adminToken, "POST", `${API}/invitations`, { email: "a@example.com", role: "admin" }),
      403,
      "forbidden",
    );
    expect(refused.detail).toContain("Only an organization owner can invite admins");
    const invited = await send(adminToken, "POST", `${API}/invitations`, { email: "a@example.com" });
    expect(invited.status).toBe(201);
    expect(invited.body.role).toBe("member");
    await expectProblem(await send(await apiToken(member), "POST", `${API}/invitations`, { email: "b@example.com" }), 403, "forbidden");
    const key = await mintApiKey(createDb(env.DB), owner.orgId, "ops");
    const byKey = await expectProblem(
      await send(key.token, "POST", `${API}/invitations`, { email: "c@example.com", role: "admin" }),
      403,
      "forbidden",
    );
    expect(byKey.error.details.role).toBe("service");
    expect((await send(key.token, "POST", `${API}/invitations`, { email: "c@example.com" })).body.invited_by).toBe(key.id);
    expect((await send(await apiToken(owner), "POST", `${API}/invitations`, { email: "d@example.com", role: "admin" })).status).toBe(201);

    const stranger = await newOrg();
    await expectProblem(await stranger.json("DELETE", `${API}/invitations/${invited.body.id}`), 404, "invitation_not_found");
    await expectProblem(await send(await apiToken(member), "DELETE", `${API}/invitations/${invited.body.id}`), 403, "forbidden");
    expect((await send(adminToken, "DELETE", `${API}/invitations/${invited.body.id}`)).status).toBe(204);
    await expectProblem(await send(adminToken, "DELETE", `${API}/invitations/${invited.body.id}`), 404, "invitation_not_found");
    // An active membership is not an invitation.
    await expectProblem(await send(adminToken, "DELETE", `${API}/invitations/${member.membershipId}`), 404, "invitation_not_found");
    expect((await stranger.json("GET", `${API}/members`)).body).toMatchObject({ total: 0, data: [] });

    for (const [body, name] of [
      [{}, "body.email"],
      [{ email: "not an address" }, "body.email"],
      [{ email: "e@example.com", role: "owner" }, "body.role"],
    ] as const) {
      await expectField(await send(adminToken, "POST", `${API}/invitations`, body), name);
    }
  });
});

describe("members", () => {
  it("only owners change roles: admins cannot promote to owner, and the last owner stays an owner", async () => {
    const owner = await newUser("Owner");
    const admin = await memberOf(owner.orgId, "admin");
    const member = await memberOf(owner.orgId, "member");
    const ownerToken = await apiToken(owner);
    const ownerMembership = await membershipIdOf(ownerToken, owner);
    const path = (id: string) => `${API}/members/${id}`;

    const promote = await expectProblem(
      await send(await apiToken(admin), "PATCH", path(member.membershipId), { role: "owner" }),
      403,
      "forbidden",
    );
    expect(promote.error.details).toMatchObject({ role: "admin", required_role: ["owner"] });
    await expectProblem(await send(await apiToken(admin), "PATCH", path(admin.membershipId), { role: "owner" }), 403, "forbidden");
    await expectProblem(await send(await apiToken(member), "PATCH", path(member.membershipId), { role: "admin" }), 403, "forbidden");
    const key = await mintApiKey(createDb(env.DB), owner.orgId, "ops");
    await expectProblem(await send(key.token, "PATCH", path(member.membershipId), { role: "admin" }), 403, "forbidden");

    const last = await expectProblem(await send(ownerToken, "PATCH", path(ownerMembership), { role: "admin" }), 409, "last_owner");
    expect(last.detail).toContain("at least one owner");
    const promoted = await send(ownerToken, "PATCH", path(member.membershipId), { role: "owner" });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: member.membershipId, role: "owner", status: "active", user: { id: member.userId } });
    // Two owners: the first may step down; then the other is the last one.
    expect((await send(ownerToken, "PATCH", path(ownerMembership), { role: "admin" })).body.role).toBe("admin");
    await expectProblem(await send(ownerToken, "PATCH", path(member.membershipId), { role: "member" }), 403, "forbidden");
    await expectProblem(await send(await apiToken(member), "PATCH", path(member.membershipId), { role: "member" }), 409, "last_owner");
    expect((await send(await apiToken(member), "PATCH", path(ownerMembership), { role: "owner" })).body.role).toBe("owner");

    const stranger = await newUser("Stranger");
    await expectProblem(
      await send(await apiToken(stranger), "PATCH", path(member.membershipId), { role: "member" }),
      404,
      "member_not_found",
    );
    await expectProblem(await send(ownerToken, "PATCH", path("mem_unknown"), { role: "member" }), 404, "member_not_found");
    await expectField(await send(ownerToken, "PATCH", path(member.membershipId), { role: "king" }), "body.role");
    await expectField(await send(ownerToken, "PATCH", path(member.membershipId), {}), "body.role");
  });

  it("admins remove members but not owners, nobody removes the last owner, and removal revokes the member's OAuth grants", async () => {
    const owner = await newUser("Owner");
    const admin = await memberOf(owner.orgId, "admin");
    const member = await memberOf(owner.orgId, "member");
    const ownerToken = await apiToken(owner);
    const ownerMembership = await membershipIdOf(ownerToken, owner);
    const path = (id: string) => `${API}/members/${id}`;

    // The member connects an app to the organization (consent + code exchange, with a refresh token).
    const { clientId, verifier, url } = await publicClientAuthorization();
    const flow = await new Browser().authorize(url, member, { orgId: owner.orgId });
    const code = new URL(flow.location!).searchParams.get("code")!;
    const exchange = async (form: Record<string, string>) => {
      const res = await call("/api/auth/oauth2/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: clientId, ...form }).toString(),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const tokens = await exchange({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.body.refresh_token).toBeDefined();
    const memberApi = () => call("/v1/harnesses", { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect((await memberApi()).status).toBe(200);

    await expectProblem(await send(await apiToken(member), "DELETE", path(admin.membershipId)), 403, "forbidden");
    const protectedOwner = await expectProblem(await send(await apiToken(admin), "DELETE", path(ownerMembership)), 403, "forbidden");
    expect(protectedOwner.detail).toContain("Only an organization owner can remove an owner");
    expect((await send(await apiToken(admin), "DELETE", path(member.membershipId))).status).toBe(204);
    await expectProblem(await send(ownerToken, "DELETE", path(member.membershipId)), 404, "member_not_found");
    expect((await organizationsOf(createDb(env.DB), member.userId)).map((o) => o.orgId)).not.toContain(owner.orgId);
    // The member's connection to the organization is revoked: the access token stops at once, and the
    // refresh token no longer works.
    expect((await memberApi()).status).toBe(401);
    const refreshed = await exchange({ grant_type: "refresh_token", refresh_token: tokens.body.refresh_token });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_grant");
    const grant = await env.DB.prepare("SELECT revoked_reason FROM oauth_grants WHERE user_id = ? AND org_id = ?")
      .bind(member.userId, owner.orgId)
      .first<{ revoked_reason: string }>();
    expect(grant!.revoked_reason).toBe("membership_removed");

    const last = await expectProblem(await send(ownerToken, "DELETE", path(ownerMembership)), 409, "last_owner");
    expect(last.allowed_actions[0]).toMatchObject({ operation_id: "members.update" });
    expect((await send(ownerToken, "DELETE", path(admin.membershipId))).status).toBe(204);
    const stranger = await newOrg();
    await expectProblem(await stranger.json("DELETE", path(ownerMembership)), 404, "member_not_found");
    const remaining = await send(ownerToken, "GET", `${API}/members`);
    expect(remaining.body.data.map((m: any) => m.id)).toEqual([ownerMembership]);
    await expectField(await send(ownerToken, "GET", `${API}/members?status=gone`), "query.status");
  });
});

describe("machine OAuth clients", () => {
  it("are created with a secret shown once, work with client_credentials, list without secrets, and once revoked get invalid_client", async () => {
    const org = await newOrg();
    const created = await org.json("POST", `${API}/oauth-clients`, { name: "Nightly report", scope: "api" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      client_id: expect.stringMatching(/^client_/),
      client_secret: expect.any(String),
      name: "Nightly report",
      scope: "api",
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "client_secret_basic",
      token_endpoint: `${ORIGIN}/api/auth/oauth2/token`,
      created_at: expect.any(String),
    });
    const { client_id: clientId, client_secret: secret } = created.body;
    const granted = await clientCredentials(clientId, secret);
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect((await send(granted.body.access_token, "GET", "/v1/harnesses")).status).toBe(200);

    const list = await org.json("GET", `${API}/oauth-clients`);
    expect(list.body).toMatchObject({ total: 1, data: [{ client_id: clientId, name: "Nightly report", scope: "api" }] });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    for (const item of list.body.data) expect(item).not.toHaveProperty("client_secret");

    const stranger = await newOrg();
    await expectProblem(await stranger.json("DELETE", `${API}/oauth-clients/${clientId}`), 404, "oauth_client_not_found");
    expect((await stranger.json("GET", `${API}/oauth-clients`)).body.total).toBe(0);
    expect((await clientCredentials(clientId, secret)).status).toBe(200);

    expect((await org.fetch(`${API}/oauth-clients/${clientId}`, { method: "DELETE" })).status).toBe(204);
    const refused = await clientCredentials(clientId, secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
    await expectProblem(await org.json("DELETE", `${API}/oauth-clients/${clientId}`), 404, "oauth_client_not_found");
    expect((await org.json("GET", `${API}/oauth-clients`)).body.total).toBe(0);
  });

  it("with a user token: owners create clients within their own scopes; members get 403; bad input names the field", async () => {
    const owner = await newUser("Owner");
    const token = await apiToken(owner);
    const created = await send(token, "POST", `${API}/oauth-clients`, { name: "Deploy bot" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.scope).toBe("api");
    await expectProblem(await send(token, "POST", `${API}/oauth-clients`, { name: "Chatty", scope: "api assistant" }), 403, "forbidden");
    const member = await memberOf(owner.orgId, "member");
    await expectProblem(await send(await apiToken(member), "POST", `${API}/oauth-clients`, { name: "mine" }), 403, "forbidden");
    await expectProblem(await send(await apiToken(member), "DELETE", `${API}/oauth-clients/${created.body.client_id}`), 403, "forbidden");
    expect((await send(await apiToken(member), "GET", `${API}/oauth-clients`)).body.total).toBe(1);
    // A full-access key may create one with both scopes.
    const key = await mintApiKey(createDb(env.DB), owner.orgId, "ops");
    expect((await send(key.token, "POST", `${API}/oauth-clients`, { name: "Both" })).body.scope).toBe("api assistant");
    // Not a machine client of this organization: a dynamically registered one is 404.
    const { clientId: dcr } = await publicClientAuthorization();
    await expectProblem(await send(token, "DELETE", `${API}/oauth-clients/${dcr}`), 404, "oauth_client_not_found");

    for (const [body, name] of [
      [{}, "body.name"],
      [{ name: "" }, "body.name"],
      [{ name: "x", scope: "openid" }, "body.scope"],
      [{ name: "x", scope: "" }, "body.scope"],
    ] as const) {
      await expectField(await send(token, "POST", `${API}/oauth-clients`, body), name);
    }
  });
});

describe("organization settings", () => {
  it("everyone reads; owners, admins and API keys rename it and set its default model; members get 403", async () => {
    const owner = await newUser("Owner");
    const admin = await memberOf(owner.orgId, "admin");
    const member = await memberOf(owner.orgId, "member");
    const got = await send(await apiToken(member), "GET", `${API}/organization`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: owner.orgId,
      name: "Owner's organization",
      default_model: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    await expectProblem(await send(await apiToken(member), "PATCH", `${API}/organization`, { name: "Mine" }), 403, "forbidden");

    const renamed = await send(await apiToken(owner), "PATCH", `${API}/organization`, {
      name: "  Acme  ",
      default_model: "anthropic/claude-sonnet-4-5",
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Acme", default_model: "anthropic/claude-sonnet-4-5" });
    expect((await send(await apiToken(admin), "PATCH", `${API}/organization`, { default_model: "sonnet" })).body).toMatchObject({
      name: "Acme",
      default_model: "sonnet",
    });
    const key = await mintApiKey(createDb(env.DB), owner.orgId, "ops");
    expect((await send(key.token, "PATCH", `${API}/organization`, { default_model: null })).body.default_model).toBeNull();
    // The consent page's organization picker shows the new name.
    expect(await organizationsOf(createDb(env.DB), owner.userId)).toEqual([{ orgId: owner.orgId, name: "Acme", role: "owner" }]);

    const token = await apiToken(owner);
    for (const [body, name] of [
      [{ name: "" }, "body.name"],
      [{ name: "x".repeat(101) }, "body.name"],
      [{ default_model: "gpt-4" }, "body.default_model"],
      [{ default_model: 42 }, "body.default_model"],
    ] as const) {
      await expectField(await send(token, "PATCH", `${API}/organization`, body), name);
    }
    await expectProblem(await send(token, "PATCH", `${API}/organization`, { plan: "pro" }), 400, "validation_error");
    const other = await newOrg("Other Org");
    expect((await other.json("GET", `${API}/organization`)).body).toMatchObject({ id: other.orgId, name: "Other Org" });
    expect((await other.json("PATCH", `${API}/organization`, { name: "Renamed" })).body.name).toBe("Renamed");
    expect((await send(token, "GET", `${API}/organization`)).body.name).toBe("Acme");
  });
});
