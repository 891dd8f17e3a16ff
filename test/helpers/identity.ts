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
 * An access token for `user` in `orgId`, minted with the real signer under a real grant row (as the
 * token endpoint would after consent). `audience` defaults to the Open Harness API; pass
 * `${ORIGIN}/api/mcp` etc. for other surfaces. The grant id is in the token's `grant_id` claim.
 */
export async function userToken(
  user: TestUser,
  options: { audience?: string | string[]; scope?: string; orgId?: string; clientId?: string } = {},
): Promise<string> {
  const grantId = `grant_${crypto.randomUUID().replace(/-/g, "")}`;
  const scope = options.scope ?? "openid api assistant";
  const orgId = options.orgId ?? user.orgId;
  const clientId = options.clientId ?? "client_test";
  const audience = options.audience ?? `${ORIGIN}/v1`;
  await env.DB.prepare(
    "INSERT INTO oauth_grants (id, client_id, user_id, org_id, scope, resource, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(grantId, clientId, user.userId, orgId, scope, [audience].flat().join(" "), new Date().toISOString())
    .run();
  const { token } = await issueAccessToken(createDb(env.DB), getConfig(env), {
    iss: ORIGIN,
    sub: user.userId,
    aud: audience,
    client_id: clientId,
    scope,
    org_id: orgId,
    grant_id: grantId,
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
