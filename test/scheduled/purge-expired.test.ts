import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { createDb } from "../../src/db/index.ts";
import { oauthCodes, oauthRefreshTokens, rateCounters, webSessions } from "../../src/db/schema.ts";
import { newUser } from "../helpers/identity.ts";

const db = () => createDb(env.DB);
const HOUR = 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

async function runCron(scheduledTime: number): Promise<void> {
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ scheduledTime, cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("the hourly maintenance cron", () => {
  it("deletes expired sign-ins, and codes, refresh tokens and sign-in counters a day past their expiry; keeps the rest", async () => {
    const user = await newUser();
    const now = Date.now();
    const tag = crypto.randomUUID();
    const session = (id: string, expiresAt: number) => ({
      id,
      userId: user.userId,
      tokenHash: `${id}-hash`,
      csrfSecret: "x",
      createdAt: iso(now - 48 * HOUR),
      expiresAt: iso(expiresAt),
    });
    await db()
      .insert(webSessions)
      .values([session(`expired-${tag}`, now - HOUR), session(`live-${tag}`, now + HOUR)]);
    const code = (hash: string, expiresAt: number) => ({
      codeHash: hash,
      grantId: "grant_x",
      clientId: "client_x",
      redirectUri: "https://app.example/cb",
      codeChallenge: "c",
      authTime: 0,
      expiresAt: iso(expiresAt),
    });
    // A code expired an hour ago is kept (a replay must still revoke what it issued); two days ago, gone.
    await db()
      .insert(oauthCodes)
      .values([code(`old-${tag}`, now - 48 * HOUR), code(`recent-${tag}`, now - HOUR)]);
    const refresh = (hash: string, expiresAt: number) => ({
      tokenHash: hash,
      grantId: "grant_x",
      clientId: "client_x",
      scope: "openid",
      createdAt: iso(now - 72 * HOUR),
      expiresAt: iso(expiresAt),
    });
    await db()
      .insert(oauthRefreshTokens)
      .values([refresh(`old-${tag}`, now - 48 * HOUR), refresh(`live-${tag}`, now + 24 * HOUR)]);
    await db()
      .insert(rateCounters)
      .values([
        { key: `signin:${tag}@example.com:1`, windowStart: iso(now - 48 * HOUR), count: 3 },
        { key: `signin-ip:${tag}:1`, windowStart: iso(now - 48 * HOUR), count: 3 },
        { key: `signin:${tag}@example.com:2`, windowStart: iso(now - 5 * 60 * 1000), count: 1 },
      ]);

    await runCron(now);

    const sessions = await db().select({ id: webSessions.id }).from(webSessions).where(eq(webSessions.userId, user.userId));
    expect(sessions.map((s) => s.id)).toEqual([`live-${tag}`]);
    const codes = await db()
      .select({ hash: oauthCodes.codeHash })
      .from(oauthCodes)
      .where(inArray(oauthCodes.codeHash, [`old-${tag}`, `recent-${tag}`]));
    expect(codes.map((c) => c.hash)).toEqual([`recent-${tag}`]);
    const tokens = await db()
      .select({ hash: oauthRefreshTokens.tokenHash })
      .from(oauthRefreshTokens)
      .where(inArray(oauthRefreshTokens.tokenHash, [`old-${tag}`, `live-${tag}`]));
    expect(tokens.map((t) => t.hash)).toEqual([`live-${tag}`]);
    const counters = await db().select({ key: rateCounters.key }).from(rateCounters);
    expect(counters.map((c) => c.key).filter((k) => k.includes(tag))).toEqual([`signin:${tag}@example.com:2`]);
  });
});
