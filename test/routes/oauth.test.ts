/**
 * The authorization server, driven by real clients: oauth4webapi (strict OAuth 2.1: checks `iss`,
 * issuer and PKCE) and openid-client (OIDC: ID token signature against the JWKS, userinfo), over HTTP
 * to the Worker. The browser step is a person signing in and consenting through the real pages.
 */
import { env, SELF } from "cloudflare:test";
import * as oauth from "oauth4webapi";
import * as openid from "openid-client";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createMachineClient } from "../../src/auth/oauth/clients.ts";
import { signingKey } from "../../src/auth/signing-keys.ts";
import { getConfig } from "../../src/config.ts";
import { createDb } from "../../src/db/index.ts";
import { ORIGIN } from "../helpers/api.ts";
import { Browser, field } from "../helpers/browser.ts";
import { newUser, type TestUser } from "../helpers/identity.ts";

const ISSUER = new URL(ORIGIN);
const REDIRECT = "https://client.example/callback";
const fetchWorker = (input: RequestInfo | URL, init?: RequestInit) =>
  SELF.fetch(input instanceof Request ? input : new Request(input, init));
const options = { [oauth.customFetch]: fetchWorker } as const;

async function authorizationServer(): Promise<oauth.AuthorizationServer> {
  return oauth.processDiscoveryResponse(ISSUER, await oauth.discoveryRequest(ISSUER, { ...options, algorithm: "oauth2" }));
}

async function register(as: oauth.AuthorizationServer, metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {}) {
  return oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(as, { client_name: "Test Client", redirect_uris: [REDIRECT], ...metadata }, options),
  );
}

/** Runs the authorization code flow with PKCE up to the callback URL. */
async function authorize(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  user: TestUser,
  params: Record<string, string> = {},
  browser = new Browser(),
) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid profile email offline_access api assistant",
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...params,
  }).toString();
  const flow = await browser.authorize(url.toString(), user);
  return { ...flow, verifier, state, browser, url };
}

async function exchange(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  auth: oauth.ClientAuth,
  callback: string,
  state: string,
  verifier: string,
) {
  const params = oauth.validateAuthResponse(as, client, new URL(callback), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT, verifier, options);
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

describe("discovery", () => {
  it("publishes RFC 8414 and OIDC metadata that agree, and a JWKS with kids", async () => {
    const as = await authorizationServer();
    expect(as).toMatchObject({
      issuer: ORIGIN,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
      registration_endpoint: `${ORIGIN}/api/auth/oauth2/register`,
    });
    const oidc = await oauth.processDiscoveryResponse(ISSUER, await oauth.discoveryRequest(ISSUER, { ...options, algorithm: "oidc" }));
    expect(oidc).toEqual(as);
    const jwks = (await (await SELF.fetch(as.jwks_uri!)).json()) as { keys: { kid: string; alg: string; d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: "ES256" });
      expect(key.d).toBeUndefined();
    }
  });
});

describe("dynamic client registration (RFC 7591)", () => {
  it("registers confidential and public clients, loopback redirects for native apps", async () => {
    const as = await authorizationServer();
    const confidential = await register(as);
    expect(confidential).toMatchObject({
      client_id: expect.stringMatching(/^client_/),
      client_secret: expect.any(String),
      client_id_issued_at: expect.any(Number),
      token_endpoint_auth_method: "client_secret_basic",
    });
    const native = await register(as, { token_endpoint_auth_method: "none", redirect_uris: ["http://127.0.0.1:8123/callback"] });
    expect(native.client_secret).toBeUndefined();
  });

  it.each([
    [{ redirect_uris: ["http://example.com/cb"] }, "invalid_redirect_uri"],
    [{ redirect_uris: ["https://example.com/cb#frag"] }, "invalid_redirect_uri"],
    [{ redirect_uris: [] }, "invalid_redirect_uri"],
    [{ grant_types: ["client_credentials"] }, "invalid_client_metadata"],
    [{ token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    [{ scope: "openid admin" }, "invalid_client_metadata"],
  ])("refuses %j", async (metadata, error) => {
    const res = await SELF.fetch(`${ORIGIN}/api/auth/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ redirect_uris: [REDIRECT], ...metadata }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(error);
  });
});

describe("authorization code flow with PKCE", () => {
  it("signs in, consents for one organization, exchanges the code, calls the API, refreshes with rotation", async () => {
    const user = await newUser("Alice");
    const as = await authorizationServer();
    const client = await register(as);
    const auth = oauth.ClientSecretBasic(client.client_secret as string);
    const flow = await authorize(as, client, user);
    expect(flow.consentHtml).toContain("Test Client");
    expect(flow.consentHtml).toContain("client.example");
    expect(flow.location).toMatch(/^https:\/\/client\.example\/callback\?code=/);
    expect(new URL(flow.location!).searchParams.get("iss")).toBe(ORIGIN);
    const tokens = await exchange(as, client, auth, flow.location!, flow.state, flow.verifier);
    expect(tokens).toMatchObject({
      token_type: "bearer",
      scope: "openid profile email offline_access api assistant",
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    const claims = JSON.parse(atob(tokens.access_token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims).toMatchObject({ iss: ORIGIN, sub: user.userId, org_id: user.orgId, client_id: client.client_id });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    const api = await SELF.fetch(`${ORIGIN}/v1/harnesses`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(api.status).toBe(200);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Reusing the old refresh token revokes the family: the new one stops working too.
    await expect(
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options)),
    ).rejects.toThrow();
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, refreshed.refresh_token!, options),
      ),
    ).rejects.toThrow();
  });

  it("issues no refresh token without offline_access, and public clients use PKCE without a secret", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as, { token_endpoint_auth_method: "none" });
    const flow = await authorize(as, client, user, { scope: "openid assistant", resource: `${ORIGIN}/api/mcp` });
    const tokens = await exchange(as, client, oauth.None(), flow.location!, flow.state, flow.verifier);
    expect(tokens.refresh_token).toBeUndefined();
    const claims = JSON.parse(atob(tokens.access_token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.aud).toBe(`${ORIGIN}/api/mcp`);
    // A token for the MCP server is refused on the Open Harness API.
    expect((await SELF.fetch(`${ORIGIN}/v1/harnesses`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  });

  it("refuses a replayed code and revokes what it issued", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const auth = oauth.ClientSecretBasic(client.client_secret as string);
    const flow = await authorize(as, client, user);
    const tokens = await exchange(as, client, auth, flow.location!, flow.state, flow.verifier);
    await expect(exchange(as, client, auth, flow.location!, flow.state, flow.verifier)).rejects.toThrow();
    const introspected = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, options),
    );
    expect(introspected.active).toBe(false);
    await expect(
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options)),
    ).rejects.toThrow();
  });

  it("revokes (RFC 7009) and introspects (RFC 7662)", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const auth = oauth.ClientSecretBasic(client.client_secret as string);
    const flow = await authorize(as, client, user);
    const tokens = await exchange(as, client, auth, flow.location!, flow.state, flow.verifier);
    const active = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, options),
    );
    expect(active).toMatchObject({ active: true, sub: user.userId, client_id: client.client_id, scope: expect.stringContaining("api") });
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, options));
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, options),
    );
    expect(after.active).toBe(false);
  });

  it("answers prompt=none with login_required, then consent_required, then a code for a covered grant", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const none = await authorize(as, client, user, { prompt: "none" });
    expect(new URL(none.location!).searchParams.get("error")).toBe("login_required");
    const browser = new Browser();
    await browser.signIn(ORIGIN, user.email, user.password);
    const stillNone = await authorize(as, client, user, { prompt: "none" }, browser);
    expect(new URL(stillNone.location!).searchParams.get("error")).toBe("consent_required");
    await authorize(as, client, user, {}, browser);
    const silent = await authorize(as, client, user, { prompt: "none" }, browser);
    expect(new URL(silent.location!).searchParams.get("code")).toBeTruthy();
  });
});

describe("the authorization endpoint refuses", () => {
  it("missing or wrong PKCE, unknown resources, and an unregistered redirect", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const noPkce = await authorize(as, client, user, { code_challenge: "", code_challenge_method: "" });
    expect(new URL(noPkce.location!).searchParams.get("error")).toBe("invalid_request");
    const plain = await authorize(as, client, user, { code_challenge_method: "plain" });
    expect(new URL(plain.location!).searchParams.get("error")).toBe("invalid_request");
    const target = await authorize(as, client, user, { resource: "https://evil.example/api" });
    expect(new URL(target.location!).searchParams.get("error")).toBe("invalid_target");
    expect(new URL(target.location!).searchParams.get("iss")).toBe(ORIGIN);
    const mismatch = await authorize(as, client, user, { redirect_uri: "https://client.example/other" });
    expect(mismatch.response.status).toBe(400);
    expect(mismatch.location).toBeUndefined();
    // A wrong code_verifier at the token endpoint.
    const flow = await authorize(as, client, user);
    await expect(
      exchange(
        as,
        client,
        oauth.ClientSecretBasic(client.client_secret as string),
        flow.location!,
        flow.state,
        oauth.generateRandomCodeVerifier(),
      ),
    ).rejects.toThrow();
  });

  it("a consent form without its CSRF token, or from another site", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const browser = new Browser();
    await browser.signIn(ORIGIN, user.email, user.password);
    const { url } = await authorize(as, client, user, {}, new Browser());
    const page = await (await browser.get(url.toString())).text();
    const base = { authorize_query: field(page, "authorize_query")!, org_id: user.orgId, decision: "approve" };
    expect((await browser.post(`${ORIGIN}/api/auth/oauth2/authorize`, { ...base, csrf: "forged" })).status).toBe(400);
    expect(
      (await browser.post(`${ORIGIN}/api/auth/oauth2/authorize`, { ...base, csrf: field(page, "csrf")! }, "https://evil.example")).status,
    ).toBe(400);
    const ok = await browser.post(`${ORIGIN}/api/auth/oauth2/authorize`, { ...base, csrf: field(page, "csrf")! });
    expect(ok.status).toBe(302);
  });

  it("an organization the user does not belong to", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const flow = await new Browser().authorize((await authorize(as, client, user)).url.toString(), user, { orgId: stranger.orgId });
    expect(new URL(flow.location!).searchParams.get("error")).toBe("access_denied");
  });

  it("a Client ID Metadata Document on a private address", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: "https://10.0.0.7/client.json",
      redirect_uri: REDIRECT,
      response_type: "code",
      code_challenge: "a".repeat(43),
      code_challenge_method: "S256",
    }).toString();
    const flow = await new Browser().authorize(url.toString(), user);
    expect(flow.response.status).toBe(400);
    expect(await flow.response.text()).toContain("invalid_client");
  });
});

describe("client_credentials for organization machine clients", () => {
  it("acts as the organization's service principal", async () => {
    const user = await newUser();
    const machine = await createMachineClient(createDb(env.DB), user.orgId, "CI job", "api");
    const as = await authorizationServer();
    const client: oauth.Client = { client_id: machine.clientId };
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(machine.clientSecret),
        new URLSearchParams({ scope: "api" }),
        options,
      ),
    );
    const res = await SELF.fetch(`${ORIGIN}/v1/harnesses`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "ci", name: "CI", vendor: "ci", description: "d", execution_type: "hosted", config: {} }),
    });
    expect(res.status).toBe(201);
    const row = await env.DB.prepare("SELECT org_id FROM harnesses WHERE slug = 'ci'").first<{ org_id: string }>();
    expect(row!.org_id).toBe(user.orgId);
    await expect(
      oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic("wrong"), new URLSearchParams(), options),
      ),
    ).rejects.toThrow();
    const dcr = await register(as);
    await expect(
      oauth.processClientCredentialsResponse(
        as,
        dcr,
        await oauth.clientCredentialsGrantRequest(
          as,
          dcr,
          oauth.ClientSecretBasic(dcr.client_secret as string),
          new URLSearchParams(),
          options,
        ),
      ),
    ).rejects.toThrow();
  });
});

describe("tokens", () => {
  it("an expired access token and another organization's resources are refused", async () => {
    const user = await newUser();
    const other = await newUser();
    const { kid, privateKey } = await signingKey(createDb(env.DB), getConfig(env));
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = await new SignJWT({
      iss: ORIGIN,
      sub: user.userId,
      aud: `${ORIGIN}/v1`,
      client_id: "c",
      scope: "api",
      org_id: user.orgId,
      principal_type: "user",
      iat: past,
      exp: past + 60,
      jti: "x",
    })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
      .sign(privateKey);
    const res = await SELF.fetch(`${ORIGIN}/v1/harnesses`, { headers: { authorization: `Bearer ${expired}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe("expired");
    // A harness of another organization is 404 for this user's token.
    const { userToken } = await import("../helpers/identity.ts");
    const otherToken = await userToken(other);
    await SELF.fetch(`${ORIGIN}/v1/harnesses`, {
      method: "POST",
      headers: { authorization: `Bearer ${otherToken}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "theirs", name: "T", vendor: "t", description: "d", execution_type: "hosted", config: {} }),
    });
    const mine = await userToken(user);
    expect((await SELF.fetch(`${ORIGIN}/v1/harnesses/theirs`, { headers: { authorization: `Bearer ${mine}` } })).status).toBe(404);
  });
});

describe("OpenID Connect with openid-client", () => {
  it("verifies the ID token signature and nonce against the JWKS and reads userinfo", async () => {
    const user = await newUser("Olivia");
    const as = await authorizationServer();
    const registered = await register(as);
    const config = await openid.discovery(
      ISSUER,
      registered.client_id,
      undefined,
      openid.ClientSecretBasic(registered.client_secret as string),
      { [openid.customFetch]: fetchWorker } as openid.DiscoveryRequestOptions,
    );
    config[openid.customFetch] = fetchWorker as typeof fetch;
    const verifier = openid.randomPKCECodeVerifier();
    const nonce = openid.randomNonce();
    const state = openid.randomState();
    const url = openid.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid profile email",
      code_challenge: await openid.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      nonce,
      state,
    });
    const flow = await new Browser().authorize(url.toString(), user);
    const tokens = await openid.authorizationCodeGrant(config, new URL(flow.location!), {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: user.userId, iss: ORIGIN, aud: registered.client_id, nonce, email: user.email, name: "Olivia" });
    const info = await openid.fetchUserInfo(config, tokens.access_token, user.userId);
    expect(info).toMatchObject({ sub: user.userId, email: user.email, name: "Olivia" });
  });
});

/** A page's HTML without form values (the CSRF token and the echoed email differ between requests). */
function withoutValues(html: string): string {
  return html.replace(/value="[^"]*"/g, "");
}

describe("more clients and limits", () => {
  it("accepts a Client ID Metadata Document client (a URL client_id, fetched and cached)", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const clientId = `${env.PROVIDER_SIM_URL}/cimd/client.json`;
    const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: "none" };
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: "http://127.0.0.1:9/callback",
      response_type: "code",
      scope: "openid api",
      state: "s1",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const flow = await new Browser().authorize(url.toString(), user);
    expect(flow.consentHtml).toContain("CIMD Test Client");
    expect(flow.consentHtml).toContain("loopback");
    const params = oauth.validateAuthResponse(as, client, new URL(flow.location!), "s1");
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, "http://127.0.0.1:9/callback", verifier, options),
    );
    expect(tokens.access_token).toBeTruthy();
  });

  it("runs seed 000's two curls as written: register with only a name and redirect, then send the secret in the form", async () => {
    const user = await newUser();
    // Step 1, verbatim.
    const registered = await SELF.fetch(`${ORIGIN}/api/auth/oauth2/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "My Integration", redirect_uris: ["https://my.app/oauth/callback"] }),
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    expect(client.client_secret).toEqual(expect.any(String));
    // The user approves at /api/auth/oauth2/authorize (PKCE S256 is required here, so the client keeps a verifier).
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${ORIGIN}/api/auth/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: "https://my.app/oauth/callback",
      scope: "openid email offline_access",
      state: "s1",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const exchangeAs = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
      const flow = await new Browser().authorize(url.toString(), user);
      const code = new URL(flow.location!).searchParams.get("code")!;
      return SELF.fetch(`${ORIGIN}/api/auth/oauth2/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: "https://my.app/oauth/callback",
          ...form,
          code_verifier: verifier,
        }),
      });
    };
    // Step 2, the seed's form fields: client_id and client_secret in the body.
    const posted = await exchangeAs({ client_id: client.client_id, client_secret: client.client_secret });
    expect(posted.status, await posted.clone().text()).toBe(200);
    expect(((await posted.json()) as any).access_token).toEqual(expect.any(String));
    // The same client may use HTTP Basic instead: it chose neither.
    const basic = await exchangeAs({}, { authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}` });
    expect(basic.status).toBe(200);
    // A wrong secret is still refused either way.
    const wrong = await exchangeAs({ client_id: client.client_id, client_secret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error).toBe("invalid_client");
  });

  it("keeps a chosen client_secret_basic: the secret in the form is refused", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as, { token_endpoint_auth_method: "client_secret_basic" });
    const flow = await authorize(as, client, user);
    await expect(
      exchange(as, client, oauth.ClientSecretPost(client.client_secret as string), flow.location!, flow.state, flow.verifier),
    ).rejects.toThrow();
  });

  it("authenticates confidential clients with client_secret_post when registered so", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as, { token_endpoint_auth_method: "client_secret_post" });
    const flow = await authorize(as, client, user);
    const tokens = await exchange(
      as,
      client,
      oauth.ClientSecretPost(client.client_secret as string),
      flow.location!,
      flow.state,
      flow.verifier,
    );
    expect(tokens.access_token).toBeTruthy();
    // The registered method is enforced: basic is refused for a post client.
    const again = await authorize(as, client, user);
    await expect(
      exchange(as, client, oauth.ClientSecretBasic(client.client_secret as string), again.location!, again.state, again.verifier),
    ).rejects.toThrow();
  });

  it("rate-limits sign-in attempts per email and says when to retry", async () => {
    const user = await newUser();
    const browser = new Browser();
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await browser.signIn(ORIGIN, user.email, "wrong password!");
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.text()).toContain("Too many sign-in attempts");
    // The right password is refused too until the window passes.
    expect((await browser.signIn(ORIGIN, user.email, user.password)).status).toBe(429);
  });

  it("answers sign-in with a wrong password without saying whether the account exists", async () => {
    const user = await newUser();
    const wrong = await new Browser().signIn(ORIGIN, user.email, "wrong password!");
    const missing = await new Browser().signIn(ORIGIN, "nobody@example.com", "wrong password!");
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(withoutValues(await wrong.text())).toBe(withoutValues(await missing.text()));
  });

  it("serves the pages with a strict CSP, no framing, and __Host- cookies over https", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/auth/sign-in`);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const cookie = res.headers.getSetCookie().join("; ");
    expect(cookie).toMatch(/__Host-eh_csrf=[^;]+; .*Path=\/; .*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });
});

/** The status an API answers `token` with on each surface. */
async function statuses(token: string) {
  const auth = { authorization: `Bearer ${token}` };
  const mcp = await SELF.fetch(`${ORIGIN}/api/mcp`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  return {
    v1: (await SELF.fetch(`${ORIGIN}/v1/harnesses`, { headers: auth })).status,
    management: (await SELF.fetch(`${ORIGIN}/api/v1/organization`, { headers: auth })).status,
    external: (
      await SELF.fetch(`${ORIGIN}/api/external/v1/chat`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ message: "hi" }),
      })
    ).status,
    mcp: mcp.status,
  };
}

describe("revocation takes effect on every API at once", () => {
  it("an explicit /revoke (RFC 7009) stops the grant's access tokens on /v1, /api/v1, /api/external/v1 and /api/mcp", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const auth = oauth.ClientSecretBasic(client.client_secret as string);
    const surfaces = {
      v1: `${ORIGIN}/v1`,
      management: `${ORIGIN}/api/v1`,
      external: `${ORIGIN}/api/external/v1`,
      mcp: `${ORIGIN}/api/mcp`,
    };
    const tokens: Record<string, oauth.TokenEndpointResponse> = {};
    for (const [name, resource] of Object.entries(surfaces)) {
      const flow = await authorize(as, client, user, { resource });
      tokens[name] = await exchange(as, client, auth, flow.location!, flow.state, flow.verifier);
    }
    for (const [name, t] of Object.entries(tokens)) expect((await statuses(t.access_token))[name as keyof typeof surfaces], name).toBe(200);
    for (const t of Object.values(tokens)) {
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, t.refresh_token!, options));
    }
    for (const [name, t] of Object.entries(tokens)) expect((await statuses(t.access_token))[name as keyof typeof surfaces], name).toBe(401);
    const body = (await (
      await SELF.fetch(`${ORIGIN}/v1/harnesses`, { headers: { authorization: `Bearer ${tokens.v1!.access_token}` } })
    ).json()) as any;
    expect(body.error.details).toEqual({ reason: "revoked" });
  });

  it("refresh-token reuse and a replayed code stop the access tokens they led to", async () => {
    const user = await newUser();
    const as = await authorizationServer();
    const client = await register(as);
    const auth = oauth.ClientSecretBasic(client.client_secret as string);
    const flow = await authorize(as, client, user);
    const tokens = await exchange(as, client, auth, flow.location!, flow.state, flow.verifier);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options),
    );
    expect((await statuses(refreshed.access_token)).v1).toBe(200);
    await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options); // reuse
    expect((await statuses(refreshed.access_token)).v1).toBe(401);

    const again = await authorize(as, client, user);
    const fresh = await exchange(as, client, auth, again.location!, again.state, again.verifier);
    expect((await statuses(fresh.access_token)).v1).toBe(200);
    await expect(exchange(as, client, auth, again.location!, again.state, again.verifier)).rejects.toThrow();
    expect((await statuses(fresh.access_token)).v1).toBe(401);
  });
});
