import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { forgetCachedKeys } from "../../src/auth/signing-keys.ts";
import { call, ORIGIN } from "../helpers/api.ts";
import { newUser, userToken } from "../helpers/identity.ts";

const kid = (t: string) => JSON.parse(atob(t.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"))).kid;
const get = (path: string, token: string) => call(path, { headers: { authorization: `Bearer ${token}` } });

describe("OAuth access tokens on the APIs", () => {
  it("act as the user in the token's organization, on the API they were issued for only", async () => {
    const user = await newUser();
    const token = await userToken(user);
    const ok = await get("/v1/harnesses", token);
    expect(ok.status).toBe(200);
    const created = await call("/v1/harnesses", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "mine", name: "Mine", vendor: "me", description: "d", execution_type: "hosted", config: {} }),
    });
    expect(created.status).toBe(201);
    const row = await env.DB.prepare("SELECT org_id FROM harnesses WHERE slug = 'mine'").first<{ org_id: string }>();
    expect(row!.org_id).toBe(user.orgId);

    const mcpToken = await userToken(user, { audience: `${ORIGIN}/api/mcp` });
    const wrong = await get("/v1/harnesses", mcpToken);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error.details.reason).toBe("wrong_audience");
  });

  it("are refused when tampered with, scoped too narrowly, or signed by an unknown key", async () => {
    const user = await newUser();
    const token = await userToken(user);
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${p!.slice(0, -2)}AA.${s}`;
    expect((await get("/v1/harnesses", tampered)).status).toBe(401);
    const narrow = await userToken(user, { scope: "openid" });
    const res = await get("/v1/harnesses", narrow);
    expect(res.status).toBe(403);
    const forged = `${h!.replace(/.$/, "A")}.${p}.${s}`;
    expect((await get("/v1/harnesses", forged)).status).toBe(401);
  });

  it("keep verifying after the signing key rotates, until they expire", async () => {
    const user = await newUser();
    const before = await userToken(user);
    await env.DB.prepare("UPDATE signing_keys SET rotates_at = ?")
      .bind(new Date(Date.now() - 1000).toISOString())
      .run();
    forgetCachedKeys();
    const after = await userToken(user);
    expect(kid(after)).not.toBe(kid(before));
    expect((await get("/v1/harnesses", before)).status).toBe(200);
    expect((await get("/v1/harnesses", after)).status).toBe(200);
  });
});
