/**
 * members.list / members.update / members.remove — the organization's memberships (`memberships`).
 *
 * A membership is `active` (a user with a role) or `pending` (an invitation: `user_id` null,
 * `invited_email` set; see `invitations.ts`). An organization always keeps at least one active owner:
 * demoting or removing an owner is one conditional statement that only applies while another owner
 * remains, so two owners demoting each other at once cannot leave the organization ownerless.
 * Removing a member also revokes the OAuth grants they gave in this organization (their refresh tokens
 * stop working; access tokens already issued expire within the hour, and every management write
 * re-checks the role).
 */
import { and, asc, count, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { memberships, oauthGrants, oauthRefreshTokens, users } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { Page } from "../../lib/page.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { Role } from "../identity/users.ts";
import { assertCanManage } from "./access.ts";
import { forgetLiveCredentials } from "../../auth/revocation.ts";

/** A membership as the API shows it: an active member, or a pending invitation (`user` null). */
export interface MemberInfo {
  id: string;
  status: "active" | "pending";
  role: Role;
  /** The member's email, or the address an invitation was sent to. */
  email: string;
  user: { id: string; email: string; name: string } | null;
  /** Who invited them: a user id or an API key / client id; null for the founding owner. */
  invitedBy: string | null;
  createdAt: string;
  acceptedAt: string | null;
}

/** Input of {@link listMembers}. */
export interface ListMembersInput {
  limit: number;
  offset: number;
  status?: "active" | "pending";
}

/** Reason recorded on grants revoked because their user left the organization. */
export const MEMBERSHIP_REMOVED = "membership_removed";

const MEMBER_COLUMNS = {
  id: memberships.id,
  status: memberships.status,
  role: memberships.role,
  invitedEmail: memberships.invitedEmail,
  invitedBy: memberships.invitedBy,
  createdAt: memberships.createdAt,
  acceptedAt: memberships.acceptedAt,
  userId: users.id,
  userEmail: users.email,
  userName: users.displayName,
};

type MemberRow = {
  id: string;
  status: string;
  role: string;
  invitedEmail: string | null;
  invitedBy: string | null;
  createdAt: string;
  acceptedAt: string | null;
  userId: string | null;
  userEmail: string | null;
  userName: string | null;
};

function toMemberInfo(row: MemberRow): MemberInfo {
  const user = row.userId && row.userEmail !== null ? { id: row.userId, email: row.userEmail, name: row.userName ?? "" } : null;
  return {
    id: row.id,
    status: row.status as MemberInfo["status"],
    role: row.role as Role,
    email: user?.email ?? row.invitedEmail ?? "",
    user,
    invitedBy: row.invitedBy,
    createdAt: row.createdAt,
    acceptedAt: row.acceptedAt,
  };
}

function notFound(membershipId: string): ApiError {
  return new ApiError("member_not_found", `No active member ${membershipId} in this organization.`, {
    details: { membership_id: membershipId },
    actions: [
      {
        rel: "list",
        operation_id: "members.list",
        hint: "List the organization's members (pending invitations have their own endpoints).",
      },
    ],
  });
}

function lastOwner(action: string): ApiError {
  return new ApiError("last_owner", `An organization must keep at least one owner; cannot ${action}.`, {
    actions: [{ rel: "promote-first", operation_id: "members.update", hint: "Make another member an owner first." }],
  });
}

/** True while the organization has another active owner besides the row being changed (or the row is no owner). */
function keepsAnOwner(orgId: string): SQL {
  const owners = sql`(SELECT count(*) FROM memberships AS o WHERE o.org_id = ${orgId} AND o.role = 'owner' AND o.status = 'active')`;
  return or(ne(memberships.role, "owner"), sql`${owners} > 1`)!;
}

function activeMember(orgId: string, membershipId: string): SQL {
  return and(eq(memberships.id, membershipId), eq(memberships.orgId, orgId), eq(memberships.status, "active"))!;
}

async function findMember(ctx: AuthedContext, membershipId: string): Promise<MemberInfo | undefined> {
  const row = await ctx.db
    .select(MEMBER_COLUMNS)
    .from(memberships)
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(activeMember(ctx.principal.orgId, membershipId))
    .get();
  return row ? toMemberInfo(row) : undefined;
}

/** members.list — active members (with their user) then pending invitations, oldest first within each. */
export async function listMembers({ ctx, input }: VerbArgs<AuthedContext, ListMembersInput>): Promise<Page<MemberInfo>> {
  const where = and(eq(memberships.orgId, ctx.principal.orgId), input.status ? eq(memberships.status, input.status) : undefined);
  // Not one db.batch: D1 batches return rows keyed by column name, and the join repeats `id` and `email`.
  const [rows, totals] = await Promise.all([
    ctx.db
      .select(MEMBER_COLUMNS)
      .from(memberships)
      .leftJoin(users, eq(users.id, memberships.userId))
      .where(where)
      .orderBy(asc(memberships.status), asc(memberships.id))
      .limit(input.limit)
      .offset(input.offset)
      .all(),
    ctx.db.select({ n: count() }).from(memberships).where(where).all(),
  ]);
  return { items: rows.map(toMemberInfo), total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset };
}

/**
 * members.update — changes an active member's role. Owners only (an admin cannot promote anyone to
 * owner, nor demote one); demoting the last owner is refused.
 * @throws ApiError `forbidden` (not an owner), `member_not_found`, `last_owner` (409).
 */
export async function changeMemberRole({ ctx, input }: VerbArgs<AuthedContext, { membershipId: string; role: Role }>): Promise<MemberInfo> {
  await assertCanManage(ctx, "change members' roles", { ownerOnly: true });
  const orgId = ctx.principal.orgId;
  const guard =
    input.role === "owner" ? activeMember(orgId, input.membershipId) : and(activeMember(orgId, input.membershipId), keepsAnOwner(orgId));
  const [changed] = await ctx.db.update(memberships).set({ role: input.role }).where(guard).returning({ id: memberships.id });
  const member = await findMember(ctx, input.membershipId);
  if (!member) throw notFound(input.membershipId);
  if (!changed) throw lastOwner(`make its last owner ${input.role === "admin" ? "an admin" : "a member"}`);
  return member;
}

/**
 * members.remove — removes an active member and revokes the OAuth grants they gave in this
 * organization. Owners and admins (or service principals) may remove admins and members; only an owner
 * removes an owner, and never the last one.
 * @throws ApiError `forbidden`, `member_not_found`, `last_owner` (409).
 */
export async function removeMember({ ctx, input }: VerbArgs<AuthedContext, { membershipId: string }>): Promise<void> {
  await assertCanManage(ctx, "remove members");
  const orgId = ctx.principal.orgId;
  const target = await findMember(ctx, input.membershipId);
  if (!target?.user) throw notFound(input.membershipId);
  if (target.role === "owner") await assertCanManage(ctx, "remove an owner", { ownerOnly: true });
  const userId = target.user.id;
  const [removed] = await ctx.db.batch([
    ctx.db
      .delete(memberships)
      .where(and(activeMember(orgId, input.membershipId), keepsAnOwner(orgId)))
      .returning({ id: memberships.id }),
    // Only once the membership is gone (NOT EXISTS), so a refused removal revokes nothing.
    ctx.db
      .update(oauthGrants)
      .set({ revokedAt: nowIso(), revokedReason: MEMBERSHIP_REMOVED })
      .where(
        and(
          eq(oauthGrants.userId, userId),
          eq(oauthGrants.orgId, orgId),
          isNull(oauthGrants.revokedAt),
          sql`NOT EXISTS (SELECT 1 FROM memberships AS m WHERE m.org_id = ${orgId} AND m.user_id = ${userId})`,
        ),
      ),
    ctx.db
      .delete(oauthRefreshTokens)
      .where(
        inArray(
          oauthRefreshTokens.grantId,
          sql`(SELECT id FROM oauth_grants WHERE user_id = ${userId} AND org_id = ${orgId} AND revoked_reason = ${MEMBERSHIP_REMOVED})`,
        ),
      ),
  ]);
  forgetLiveCredentials();
  if (removed.length === 0) {
    if (await findMember(ctx, input.membershipId)) throw lastOwner("remove its last owner");
    throw notFound(input.membershipId);
  }
}
