/**
 * console.token — a short-lived access token for the web console, for the signed-in person in the
 * organization they picked. The console is a first-party OAuth client: its tokens are ordinary RFC 9068
 * access tokens under a real grant (`oauth_grants` row, client {@link CONSOLE_CLIENT_ID}), so every
 * revocation path applies to them — signing out revokes the grants that sign-in minted
 * (`auth/web-sessions.ts`), removing a member revokes their grants in that organization
 * (`members.remove`), and a revoked grant stops its tokens within `REVOCATION_CHECK_TTL_MS`.
 *
 * One grant per (sign-in, organization), reused while live; the token is bound to the Open Harness API
 * and the management API (RFC 8707 audiences `<origin>/v1` and `<origin>/api/v1`) with {@link CONSOLE_SCOPE}:
 * it acts as the person, within their role in the organization (owners and admins manage it, members
 * read it — `services/organizations/access.ts`).
 */
import { and, eq, isNull } from "drizzle-orm";
import { resources } from "../../auth/resources.ts";
import { issueAccessToken } from "../../auth/tokens.ts";
import type { SignedIn } from "../../auth/web-sessions.ts";
import { consoleGrants, oauthGrants, organizations } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { ServiceContext, VerbArgs } from "../context.ts";
import { roleIn, type Role } from "../identity/users.ts";

/** The console's client id: the `client_id` claim of its tokens and the `client_id` of its grants (no registered row). */
export const CONSOLE_CLIENT_ID = "edgeharness-console";

/**
 * The OAuth scopes of console tokens: `api` (act as the person on `/v1` and `/api/v1`) and `assistant`, so
 * the person holds every scope there is and an owner or admin may create full-access (`*`) API keys from
 * the console; the audience keeps the token off the chat API and the MCP server (`auth/resources.ts`).
 */
export const CONSOLE_SCOPE = "api assistant";

/** What the console's token endpoint answers (RFC 6749 §5.1 fields, plus the organization it acts in). */
export interface ConsoleToken {
  access_token: string;
  token_type: "Bearer";
  /** Seconds until the token expires. */
  expires_in: number;
  scope: string;
  /** The APIs (RFC 8707 audiences) the token is for. */
  audience: string[];
  organization: { id: string; name: string; role: Role };
}

/** The console grant of this sign-in in `orgId` while it is live (not revoked), else a new one. */
async function liveGrant(ctx: ServiceContext, session: SignedIn, orgId: string, audience: string[]): Promise<string> {
  const existing = await ctx.db
    .select({ id: oauthGrants.id })
    .from(consoleGrants)
    .innerJoin(oauthGrants, eq(oauthGrants.id, consoleGrants.grantId))
    .where(and(eq(consoleGrants.webSessionId, session.sessionId), eq(consoleGrants.orgId, orgId), isNull(oauthGrants.revokedAt)))
    .get();
  if (existing) return existing.id;
  const grantId = newId("grant");
  const now = nowIso();
  await ctx.db.batch([
    ctx.db.insert(oauthGrants).values({
      id: grantId,
      clientId: CONSOLE_CLIENT_ID,
      userId: session.user.id,
      orgId,
      scope: CONSOLE_SCOPE,
      resource: audience.join(" "),
      createdAt: now,
    }),
    ctx.db.insert(consoleGrants).values({ grantId, webSessionId: session.sessionId, orgId, createdAt: now }),
  ]);
  return grantId;
}

/**
 * Mints the console's access token for `session`'s user in `orgId` (the caller has checked the
 * cookie, the CSRF token and the Origin).
 * @throws ApiError `organization_not_found` (404) when the person is not an active member of `orgId` —
 *   another organization looks the same as one that does not exist.
 */
export async function mintConsoleToken({
  ctx,
  input,
}: VerbArgs<ServiceContext, { session: SignedIn; orgId: string }>): Promise<ConsoleToken> {
  const { session, orgId } = input;
  const role = await roleIn(ctx.db, session.user.id, orgId);
  const org = role
    ? await ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get()
    : undefined;
  if (!role || !org) {
    throw new ApiError("organization_not_found", `You are not a member of an organization ${orgId.slice(0, 100)}.`, {
      details: { org_id: orgId.slice(0, 100) },
      actions: [{ rel: "choose-organization", hint: "Pick one of your organizations.", href: "/console" }],
    });
  }
  const r = resources(ctx.origin);
  const audience = [r.openHarness, r.management];
  const grantId = await liveGrant(ctx, session, orgId, audience);
  const access = await issueAccessToken(ctx.db, ctx.config, {
    iss: ctx.origin,
    sub: session.user.id,
    aud: audience,
    client_id: CONSOLE_CLIENT_ID,
    scope: CONSOLE_SCOPE,
    org_id: orgId,
    grant_id: grantId,
    principal_type: "user",
  });
  return {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    scope: CONSOLE_SCOPE,
    audience,
    organization: { id: orgId, name: org.name, role },
  };
}
