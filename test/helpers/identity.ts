import { env } from "cloudflare:test";
import { issueAccessToken } from "../../src/auth/tokens.ts";
import { getConfig } from "../../src/config.ts";
import { createDb } from "../../src/db/index.ts";
import { signUp } from "../../src/services/identity/users.ts";
import { ORIGIN } from "./api.ts";

/** A signed-up user (with their personal organization). */
export interface TestUser {
  userId: string;
  orgId: string;
  email: string;
  password: string;
}

/** Signs up a new user through the real sign-up verb. */
export async function newUser(name = "Test User"): Promise<TestUser> {
  const email = `${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = "correct horse battery staple";
  const { user, orgId } = await signUp(createDb(env.DB), { email, displayName: name, password });
  return { userId: user.id, orgId, email, password };
}

/**
 * An access token for `user` in `orgId`, minted with the real signer (as the token endpoint would after
 * consent). `audience` defaults to the Open Harness API; pass `${ORIGIN}/api/mcp` etc. for other surfaces.
 */
export async function userToken(
  user: TestUser,
  options: { audience?: string | string[]; scope?: string; orgId?: string; clientId?: string } = {},
): Promise<string> {
  const { token } = await issueAccessToken(createDb(env.DB), getConfig(env), {
    iss: ORIGIN,
    sub: user.userId,
    aud: options.audience ?? `${ORIGIN}/v1`,
    client_id: options.clientId ?? "client_test",
    scope: options.scope ?? "openid api assistant",
    org_id: options.orgId ?? user.orgId,
    principal_type: "user",
  });
  return token;
}

/**
 * A new user who is also an active member of `orgId` with `role` (besides their personal organization);
 * the returned `orgId` is that organization, so `userToken(user)` acts there.
 */
export async function memberOf(orgId: string, role: "owner" | "admin" | "member"): Promise<TestUser & { membershipId: string }> {
  const user = await newUser("Member");
  const membershipId = `mem_${crypto.randomUUID().replace(/-/g, "")}`;
  await env.DB.prepare("INSERT INTO memberships (id, org_id, user_id, role, status, created_at) VALUES (?, ?, ?, ?, 'active', ?)")
    .bind(membershipId, orgId, user.userId, role, new Date().toISOString())
    .run();
  return { ...user, orgId, membershipId };
}
