import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { createDb } from "../../src/db/index.ts";
import { call, expectProblem, newHarness, newOrg, ORIGIN } from "../helpers/api.ts";
import { memberOf, newUser, userToken, type TestUser } from "../helpers/identity.ts";
import { connectWs } from "../helpers/ws.ts";
import { waitForResult } from "../helpers/executions.ts";

const CHAT = "/api/external/v1/chat";
const LIMITS = "/api/v1/organization/limits";
const USAGE = "/api/v1/usage";
const DAY_SECONDS = 24 * 60 * 60;

/** A JSON request with `token`; returns status, headers and the parsed body. */
async function send(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await call(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Asserts a 429 for an exhausted daily limit: `Retry-After` equals `retry_after_seconds`, at most a day. */
async function expectRateLimited(res: { status: number; headers: Headers; body: any }, limitName: string) {
  const problem = await expectProblem(res, 429, "rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBe(problem.retry_after_seconds);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(DAY_SECONDS);
  expect(problem.error.details).toMatchObject({
    window: "day",
    limit_name: limitName,
    limit: expect.any(Number),
    used: expect.any(Number),
  });
  expect(problem.allowed_actions.map((a: any) => a.rel)).toContain("retry-later");
  return problem;
}

/** An access token of `user` for the management API. */
const token = (user: TestUser) => userToken(user, { audience: `${ORIGIN}/api/v1` });

describe("daily request quota", () => {
  it("answers the third chat with 429 once the quota is 2, and the ledger shows the two that ran", async () => {
    const org = await newOrg();
    const set = await org.json("PATCH", LIMITS, { daily_request_quota: 2 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({
      daily_request_quota: 2,
      configured: { daily_request_quota: 2, daily_token_budget: null },
      window: "day",
    });

    for (const message of ["one", "two"]) expect((await org.json("POST", CHAT, { message })).status).toBe(200);
    const third = await org.json("POST", CHAT, { message: "three" });
    const problem = await expectRateLimited(third, "daily_request_quota");
    expect(problem.error.details).toMatchObject({ limit: 2, used: 2 });

    const usage = await org.json("GET", USAGE);
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ total: 2, limit: 20, offset: 0, has_more: false });
    expect(usage.body.data.map((r: any) => r.surface)).toEqual(["chat", "chat"]);
    const [row] = usage.body.data;
    expect(row).toMatchObject({
      id: expect.stringMatching(/^use_/),
      subject: expect.stringMatching(/^key_/),
      execution_id: expect.stringMatching(/^exec_/),
    });
    expect(row.total_tokens).toBe(row.input_tokens + row.output_tokens);
    expect(row.total_tokens).toBeGreaterThan(0);
    const tokens = usage.body.data.reduce((n: number, r: any) => n + r.total_tokens, 0);
    expect(usage.body.today).toMatchObject({
      date: new Date().toISOString().slice(0, 10),
      requests: { caller: 2, organization: 2, quota_per_user: 2 },
      tokens: { used: tokens, budget: 2_000_000 },
    });
    // Filters.
    expect((await org.json("GET", `${USAGE}?surface=execution`)).body.total).toBe(0);
    expect((await org.json("GET", `${USAGE}?surface=chat&limit=1`)).body).toMatchObject({ total: 2, has_more: true });
    expect((await org.json("GET", `${USAGE}?subject=${row.subject}`)).body.total).toBe(2);
    expect((await org.json("GET", `${USAGE}?subject=key_other`)).body.total).toBe(0);
    expect((await org.json("GET", `${USAGE}?since=2999-01-01T00:00:00Z`)).body.total).toBe(0);
    for (const [query, field] of [
      ["surface=mail", "query.surface"],
      ["since=yesterday", "query.since"],
      ["limit=0", "query.limit"],
    ]) {
      const bad = await expectProblem(await org.json("GET", `${USAGE}?${query}`), 400, "validation_error");
      expect(bad.error.details.field).toBe(field);
    }
  });

  it("charges executions too, per user: POST execute answers 429 once the caller is over quota", async () => {
    const org = await newOrg();
    await org.json("PATCH", LIMITS, { daily_request_quota: 1 });
    const h = await newHarness(org);
    const first = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "go" });
    expect(first.status).toBe(202);
    await expectRateLimited(await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "again" }), "daily_request_quota");
    // Session turns are charged as well (to the session's owner).
    const session = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
    await expectRateLimited(
      await org.json("POST", `/v1/harnesses/${h.id}/sessions/${session.body.session.id}/message`, { content: "hi" }),
      "daily_request_quota",
    );
    // A refused request was not counted, and the ledger has the run that happened.
    await waitForResult(org, h.id, first.body.execution_id, { attempts: 200 });
    const usage = await org.json("GET", USAGE);
    expect(usage.body.today.requests.caller).toBe(1);
    expect(usage.body.data).toEqual([expect.objectContaining({ surface: "execution", execution_id: first.body.execution_id })]);
    // The quota is per user: another key of the same organization still has its own.
    const other = await mintApiKey(createDb(env.DB), org.orgId, "second");
    expect((await send(other.token, "POST", `/v1/harnesses/${h.id}/execute`, { message: "mine" })).status).toBe(202);
  });
});

describe("session turns over WebSocket", () => {
  it("are charged to the session's owner when they start, and refused with an error frame once over quota", async () => {
    const org = await newOrg();
    await org.json("PATCH", LIMITS, { daily_request_quota: 1 });
    const h = await newHarness(org);
    const created = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
    const ws = await connectWs(org, `/v1/harnesses/${h.id}/sessions/${created.body.session.id}/connect`);
    ws.send({ type: "message", id: "m1", content: "first" });
    expect((await ws.next((f) => f.type === "done" || f.type === "error")).type).toBe("done");
    ws.send({ type: "message", id: "m2", content: "second" });
    expect(await ws.next((f) => f.type === "error")).toMatchObject({ id: "m2", code: "rate_limited" });
    ws.close();
    const usage = await org.json("GET", USAGE);
    expect(usage.body.today.requests.caller).toBe(1);
    expect(usage.body.data).toEqual([expect.objectContaining({ surface: "execution", subject: usage.body.data[0].subject })]);
    expect(usage.body.data[0].subject).toMatch(/^key_/);
  });
});

describe("daily token budget", () => {
  it("answers 429 once the organization's tokens for the day exceed the budget, for chat and executions", async () => {
    const org = await newOrg();
    await org.json("PATCH", LIMITS, { daily_token_budget: 1 });
    const first = await org.json("POST", CHAT, { message: "spend some tokens" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const problem = await expectRateLimited(await org.json("POST", CHAT, { message: "more" }), "daily_token_budget");
    expect(problem.error.details.limit).toBe(1);
    expect(problem.error.details.used).toBeGreaterThan(1);
    const h = await newHarness(org);
    await expectRateLimited(await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "go" }), "daily_token_budget");
    // Raising the budget (null = the deployment default) lets requests through again.
    expect((await org.json("PATCH", LIMITS, { daily_token_budget: null })).body.daily_token_budget).toBe(2_000_000);
    expect((await org.json("POST", CHAT, { message: "again" })).status).toBe(200);
  });
});

describe("organization limits API", () => {
  it("reads the deployment defaults, and lets API keys, owners and admins change them — not members (403)", async () => {
    const owner = await newUser("Owner");
    const got = await send(await token(owner), "GET", LIMITS);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      daily_request_quota: 1000,
      daily_token_budget: 2_000_000,
      configured: { daily_request_quota: null, daily_token_budget: null },
      defaults: { daily_request_quota: 1000, daily_token_budget: 2_000_000 },
      window: "day",
      resets_at: expect.stringMatching(/T00:00:00\.000Z$/),
    });
    expect((await send(await token(owner), "PATCH", LIMITS, { daily_request_quota: 5 })).body.daily_request_quota).toBe(5);
    const admin = await memberOf(owner.orgId, "admin");
    expect((await send(await token(admin), "PATCH", LIMITS, { daily_token_budget: 500 })).body).toMatchObject({
      daily_request_quota: 5,
      daily_token_budget: 500,
    });
    const member = await memberOf(owner.orgId, "member");
    const refused = await expectProblem(
      await send(await token(member), "PATCH", LIMITS, { daily_request_quota: 1_000_000 }),
      403,
      "forbidden",
    );
    expect(refused.detail).toContain("owner or admin");
    // A member may read them; the value did not change.
    expect((await send(await token(member), "GET", LIMITS)).body.daily_request_quota).toBe(5);
    // A token for another API is refused on the management API.
    expect((await send(await userToken(owner), "GET", LIMITS)).status).toBe(401);
  });

  it("validates the body, naming the field", async () => {
    const org = await newOrg();
    for (const [body, field] of [
      [{ daily_request_quota: -1 }, "body.daily_request_quota"],
      [{ daily_request_quota: 1.5 }, "body.daily_request_quota"],
      [{ daily_request_quota: "10" }, "body.daily_request_quota"],
      [{ daily_token_budget: -5 }, "body.daily_token_budget"],
      [{ daily_token_budget: 10 ** 13 }, "body.daily_token_budget"],
    ] as const) {
      const problem = await expectProblem(await org.json("PATCH", LIMITS, body), 400, "validation_error");
      expect(problem.error.details.field).toBe(field);
    }
    await expectProblem(await org.json("PATCH", LIMITS, { daily_quota: 3 }), 400, "validation_error");
    expect((await org.json("PATCH", LIMITS, {})).body.daily_request_quota).toBe(1000);
    expect((await call(LIMITS)).status).toBe(401);
  });

  it("keeps usage and limits per organization", async () => {
    const a = await newOrg();
    const b = await newOrg();
    await a.json("PATCH", LIMITS, { daily_request_quota: 7 });
    expect((await a.json("POST", CHAT, { message: "hello" })).status).toBe(200);
    expect((await b.json("GET", LIMITS)).body.daily_request_quota).toBe(1000);
    const usage = await b.json("GET", USAGE);
    expect(usage.body).toMatchObject({ total: 0, data: [], today: { requests: { caller: 0, organization: 0 }, tokens: { used: 0 } } });
  });
});
