/**
 * invitations.create / invitations.cancel — an organization invites someone by email; and
 * invitations.listReceived / invitations.accept / invitations.decline — the invitee, signed in, answers.
 *
 * An invitation is a pending `memberships` row: `user_id` null, `invited_email` the normalized address,
 * `status` pending. Accepting sets `user_id`, `status` active and `accepted_at` in one conditional UPDATE
 * that applies only to the invitee's own, still pending invitation (someone else's → 404, like a missing
 * one). Admins invite members; only owners invite admins; nobody is invited straight in as owner
 * (promote with members.update). Inviting an address that already has a pending invitation is a 409
 * `invitation_exists` naming it (cancel it to change the role), not a silent second invitation.
 */
import { and, asc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { memberships, organizations, users } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, ServiceContext, VerbArgs } from "../context.ts";
import { findUser, normalizeEmail, type Role } from "../identity/users.ts";
import { assertCanManage } from "./access.ts";

/** A pending invitation and the organization it is for. */
export interface InvitationInfo {
  id: string;
  email: string;
  role: Role;
  status: "pending";
  organization: { id: string; name: string };
  /** Who invited: a user id, or an API key / machine client id. */
  invitedBy: string | null;
  createdAt: string;
}

/** The membership an accepted invitation became. */
export interface AcceptedInvitation {
  membershipId: string;
  role: Role;
  organization: { id: string; name: string };
  acceptedAt: string;
}

/** The invitee as the page (a web session) or the API (a user principal) knows them. */
export interface Invitee {
  id: string;
  /** Normalized (lowercase) email. */
  email: string;
}

const INVITATION_COLUMNS = {
  id: memberships.id,
  email: memberships.invitedEmail,
  role: memberships.role,
  orgId: memberships.orgId,
  orgName: organizations.name,
  invitedBy: memberships.invitedBy,
  createdAt: memberships.createdAt,
};

function toInvitationInfo(row: {
  id: string;
  email: string | null;
  role: string;
  orgId: string;
  orgName: string;
  invitedBy: string | null;
  createdAt: string;
}): InvitationInfo {
  return {
    id: row.id,
    email: row.email ?? "",
    role: row.role as Role,
    status: "pending",
    organization: { id: row.orgId, name: row.orgName },
    invitedBy: row.invitedBy,
    createdAt: row.createdAt,
  };
}

function notFound(invitationId: string): ApiError {
  return new ApiError("invitation_not_found", `No pending invitation ${invitationId} here.`, {
    details: { invitation_id: invitationId },
    actions: [
      { rel: "list", hint: "List the pending invitations (members.list?status=pending, or invitations.listReceived for your own)." },
    ],
  });
}

/** Still an invitation: not answered yet. */
function pending(): SQL {
  return and(eq(memberships.status, "pending"), isNull(memberships.userId))!;
}

/**
 * invitations.create — invites `email` into the caller's organization as `role` (admin or member).
 * @throws ApiError `forbidden` (a member; or inviting an admin without being an owner),
 *   `validation_error` (`body.email`), `member_exists` (409), `invitation_exists` (409).
 */
export async function inviteMember({
  ctx,
  input,
}: VerbArgs<AuthedContext, { email: string; role: Exclude<Role, "owner"> }>): Promise<InvitationInfo> {
  await assertCanManage(ctx, input.role === "admin" ? "invite admins" : "invite members", { ownerOnly: input.role === "admin" });
  const email = normalizeEmail(input.email);
  if (!email) throw new ApiError("validation_error", "body.email: enter a valid email address.", { details: { field: "body.email" } });
  const orgId = ctx.principal.orgId;
  const [member, invited] = await ctx.db.batch([
    ctx.db
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, orgId), eq(users.email, email), eq(memberships.status, "active"))),
    ctx.db
      .select({ id: memberships.id, role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.invitedEmail, email), pending())),
  ]);
  if (member[0]) {
    throw new ApiError("member_exists", `${email} is already a member of this organization.`, {
      details: { field: "body.email", membership_id: member[0].id },
      actions: [{ rel: "change-role", operation_id: "members.update", hint: "Change their role instead." }],
    });
  }
  const inviteConflict = (existing: { id: string; role: string }) =>
    new ApiError("invitation_exists", `${email} already has a pending invitation (${existing.id}, as ${existing.role}).`, {
      details: { field: "body.email", invitation_id: existing.id, role: existing.role },
      actions: [{ rel: "cancel", operation_id: "invitations.cancel", hint: "Cancel it first to invite with another role." }],
    });
  if (invited[0]) throw inviteConflict(invited[0]);
  const id = newId("membership");
  const [inserted] = await ctx.db
    .insert(memberships)
    .values({
      id,
      orgId,
      userId: null,
      invitedEmail: email,
      role: input.role,
      status: "pending",
      invitedBy: ctx.principal.subject,
      createdAt: nowIso(),
    })
    // memberships_org_invite_uq: a concurrent invitation of the same address won the race.
    .onConflictDoNothing()
    .returning({ id: memberships.id });
  if (!inserted) throw inviteConflict({ id: "(just created)", role: input.role });
  const row = await ctx.db
    .select(INVITATION_COLUMNS)
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.id, id))
    .get();
  if (!row) throw new Error(`invitation ${id} vanished after insert`);
  return toInvitationInfo(row);
}

/**
 * invitations.cancel — withdraws a pending invitation of the caller's organization.
 * @throws ApiError `forbidden` (a member), `invitation_not_found` (unknown, answered, or another organization's).
 */
export async function cancelInvitation({ ctx, input }: VerbArgs<AuthedContext, { invitationId: string }>): Promise<void> {
  await assertCanManage(ctx, "cancel invitations");
  const [deleted] = await ctx.db
    .delete(memberships)
    .where(and(eq(memberships.id, input.invitationId), eq(memberships.orgId, ctx.principal.orgId), pending()))
    .returning({ id: memberships.id });
  if (!deleted) throw notFound(input.invitationId);
}

/** Pending invitations addressed to `invitee`, oldest first (for the invitations page and the API). */
export async function invitationsFor({ ctx, input }: VerbArgs<ServiceContext, { invitee: Invitee }>): Promise<InvitationInfo[]> {
  const rows = await ctx.db
    .select(INVITATION_COLUMNS)
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.invitedEmail, input.invitee.email), pending()))
    .orderBy(asc(memberships.id))
    .all();
  return rows.map(toInvitationInfo);
}

/**
 * Accepts the invitee's own pending invitation: it becomes their active membership (one conditional
 * UPDATE, so accepting twice or someone else's invitation changes nothing).
 * @throws ApiError `invitation_not_found` (unknown, answered, or addressed to someone else),
 *   `member_exists` (the invitee already belongs to that organization — decline the invitation).
 */
export async function acceptInvitation({
  ctx,
  input,
}: VerbArgs<ServiceContext, { invitationId: string; invitee: Invitee }>): Promise<AcceptedInvitation> {
  const acceptedAt = nowIso();
  const [accepted] = await ctx.db
    .update(memberships)
    .set({ userId: input.invitee.id, status: "active", acceptedAt })
    .where(
      and(
        eq(memberships.id, input.invitationId),
        eq(memberships.invitedEmail, input.invitee.email),
        pending(),
        // memberships_org_user_uq: one membership per user and organization.
        sql`NOT EXISTS (SELECT 1 FROM memberships AS m WHERE m.org_id = ${memberships.orgId} AND m.user_id = ${input.invitee.id})`,
      ),
    )
    .returning({ id: memberships.id, orgId: memberships.orgId, role: memberships.role });
  if (!accepted) {
    const stillPending = await ctx.db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.id, input.invitationId), eq(memberships.invitedEmail, input.invitee.email), pending()))
      .get();
    if (stillPending)
      throw new ApiError("member_exists", "You already belong to this organization; decline the invitation instead.", {
        details: { invitation_id: input.invitationId },
        actions: [{ rel: "decline", operation_id: "invitations.decline" }],
      });
    throw notFound(input.invitationId);
  }
  const org = await ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, accepted.orgId)).get();
  return {
    membershipId: accepted.id,
    role: accepted.role as Role,
    organization: { id: accepted.orgId, name: org?.name ?? accepted.orgId },
    acceptedAt,
  };
}

/**
 * Declines (deletes) the invitee's own pending invitation.
 * @throws ApiError `invitation_not_found` (unknown, answered, or addressed to someone else).
 */
export async function declineInvitation({
  ctx,
  input,
}: VerbArgs<ServiceContext, { invitationId: string; invitee: Invitee }>): Promise<void> {
  const [deleted] = await ctx.db
    .delete(memberships)
    .where(and(eq(memberships.id, input.invitationId), eq(memberships.invitedEmail, input.invitee.email), pending()))
    .returning({ id: memberships.id });
  if (!deleted) throw notFound(input.invitationId);
}

/**
 * The user behind a user principal, as an invitee (the API's answer-your-invitations verbs).
 * @throws ApiError `forbidden` for service principals (API keys, machine clients): invitations are
 *   addressed to people.
 */
export async function callerAsInvitee(ctx: AuthedContext): Promise<Invitee> {
  const user = ctx.principal.kind === "user" ? await findUser(ctx.db, ctx.principal.subject) : undefined;
  if (!user) {
    throw new ApiError("forbidden", "Only a user can answer invitations addressed to them; API keys and machine clients cannot.", {
      details: { principal_kind: ctx.principal.kind },
      actions: [{ rel: "authenticate", hint: "Use an OAuth access token of the invited user." }],
    });
  }
  return { id: user.id, email: user.email };
}

/** invitations.listReceived — the calling user's pending invitations, in any organization. */
export async function listReceivedInvitations({ ctx }: VerbArgs<AuthedContext, Record<string, never>>): Promise<InvitationInfo[]> {
  return invitationsFor({ ctx, input: { invitee: await callerAsInvitee(ctx) } });
}

/** invitations.accept — the calling user accepts an invitation addressed to their email. */
export async function acceptInvitationAsCaller({
  ctx,
  input,
}: VerbArgs<AuthedContext, { invitationId: string }>): Promise<AcceptedInvitation> {
  return acceptInvitation({ ctx, input: { invitationId: input.invitationId, invitee: await callerAsInvitee(ctx) } });
}

/** invitations.decline — the calling user declines an invitation addressed to their email. */
export async function declineInvitationAsCaller({ ctx, input }: VerbArgs<AuthedContext, { invitationId: string }>): Promise<void> {
  await declineInvitation({ ctx, input: { invitationId: input.invitationId, invitee: await callerAsInvitee(ctx) } });
}
