/**
 * oauthClients.create / oauthClients.list / oauthClients.revoke — the organization's machine OAuth
 * clients (`oauth_clients` with kind `machine` and this `org_id`): confidential clients that use
 * `client_credentials` (RFC 6749 §4.4) at `/api/auth/oauth2/token` and act as the organization's
 * service principal.
 *
 * The secret is returned once by create (only its SHA-256 is stored). Revoking sets `revoked_at`: from
 * then on the token endpoint answers `invalid_client` (`resolveClient`). Access tokens it already
 * obtained are JWTs verified without a database read, so they stay valid until they expire (≤ 1 hour).
 */
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { createMachineClient } from "../../auth/oauth/clients.ts";
import { API_SCOPES, principalScopes } from "../../auth/resources.ts";
import { oauthClients } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { Page } from "../../lib/page.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCanManage, assertScopesHeld, GRANTABLE_SCOPES } from "./access.ts";
import { forgetLiveCredentials } from "../../auth/revocation.ts";

/** A machine client's metadata (never its secret). */
export interface MachineClientInfo {
  clientId: string;
  name: string;
  /** Space-separated OAuth scopes it may request (`api`, `assistant`). */
  scope: string;
  createdAt: string;
}

const INFO_COLUMNS = { clientId: oauthClients.id, name: oauthClients.name, scope: oauthClients.scope, createdAt: oauthClients.createdAt };

function toInfo(row: { clientId: string; name: string; scope: string | null; createdAt: string }): MachineClientInfo {
  return { ...row, scope: row.scope ?? "" };
}

function liveMachineClients(orgId: string) {
  return and(eq(oauthClients.orgId, orgId), eq(oauthClients.kind, "machine"), isNull(oauthClients.revokedAt));
}

/** The organization scopes an OAuth scope string grants (e.g. `api` → harnesses:read, …). */
function grantedBy(scope: string): string[] {
  return principalScopes(scope).filter((s) => GRANTABLE_SCOPES.includes(s));
}

/** The default scope: each of `api`, `assistant` whose grants the caller holds itself. */
function defaultScope(ctx: AuthedContext): string {
  const own = ctx.principal.scopes;
  const held = API_SCOPES.filter((s) => own.includes("*") || grantedBy(s).every((g) => own.includes(g)));
  return held.length > 0 ? held.join(" ") : API_SCOPES[0];
}

/**
 * oauthClients.create — creates a machine client for the caller's organization.
 * `scope` (space-separated subset of `api assistant`) defaults to what the caller may hand on.
 * @returns its metadata and the client secret (shown once).
 * @throws ApiError `forbidden` for a member, or for a scope granting more than the caller holds.
 */
export async function createOrgMachineClient({
  ctx,
  input,
}: VerbArgs<AuthedContext, { name: string; scope?: string }>): Promise<{ client: MachineClientInfo; clientSecret: string }> {
  await assertCanManage(ctx, "create machine clients");
  const requested = (input.scope ?? defaultScope(ctx)).split(" ").filter(Boolean);
  const scope = API_SCOPES.filter((s) => requested.includes(s)).join(" ");
  assertScopesHeld(ctx, grantedBy(scope), "a machine client");
  const created = await createMachineClient(ctx.db, ctx.principal.orgId, input.name, scope);
  const row = await ctx.db.select(INFO_COLUMNS).from(oauthClients).where(eq(oauthClients.id, created.clientId)).get();
  if (!row) throw new Error(`machine client ${created.clientId} vanished after insert`);
  return { client: toInfo(row), clientSecret: created.clientSecret };
}

/** oauthClients.list — the organization's live machine clients, newest first. */
export async function listOrgMachineClients({
  ctx,
  input,
}: VerbArgs<AuthedContext, { limit: number; offset: number }>): Promise<Page<MachineClientInfo>> {
  const where = liveMachineClients(ctx.principal.orgId);
  const [rows, totals] = await ctx.db.batch([
    ctx.db.select(INFO_COLUMNS).from(oauthClients).where(where).orderBy(desc(oauthClients.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(oauthClients).where(where),
  ]);
  return { items: rows.map(toInfo), total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset };
}

/**
 * oauthClients.revoke — revokes a live machine client of the caller's organization (one conditional UPDATE).
 * @throws ApiError `forbidden` for a member; `oauth_client_not_found` for an unknown, revoked, non-machine
 *   or other organization's client.
 */
export async function revokeOrgMachineClient({ ctx, input }: VerbArgs<AuthedContext, { clientId: string }>): Promise<void> {
  await assertCanManage(ctx, "revoke machine clients");
  const [revoked] = await ctx.db
    .update(oauthClients)
    .set({ revokedAt: nowIso() })
    .where(and(eq(oauthClients.id, input.clientId), liveMachineClients(ctx.principal.orgId)))
    .returning({ id: oauthClients.id });
  if (!revoked) {
    throw new ApiError("oauth_client_not_found", `No live machine client ${input.clientId} in this organization.`, {
      details: { client_id: input.clientId },
      actions: [{ rel: "list", operation_id: "oauthClients.list", hint: "List the organization's machine clients." }],
    });
  }
  forgetLiveCredentials();
}
