import { z } from "@hono/zod-openapi";
import type { AcceptedInvitation, InvitationInfo } from "../../../services/organizations/invitations.ts";
import { RoleSchema } from "../members/members.schemas.ts";

const OrganizationRef = z.object({ id: z.string(), name: z.string() }).openapi("OrganizationRef");

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ description: "Invitation id (`mem_…`): the membership it becomes once accepted.", example: "mem_0193…" }),
    email: z.string().openapi({ description: "The invited address (lowercased)." }),
    role: RoleSchema,
    status: z.literal("pending"),
    organization: OrganizationRef,
    invited_by: z.string().nullable().openapi({ description: "Who invited: a user id, or an API key / machine client id." }),
    created_at: z.string().openapi({ description: "ISO 8601." }),
  })
  .openapi("Invitation");

export const CreateInvitationBody = z
  .object({
    email: z
      .email()
      .max(254)
      .openapi({ description: "Who to invite; they accept after signing in with this address.", example: "ada@example.com" }),
    role: z.enum(["admin", "member"]).default("member").openapi({
      description: "Role once accepted (default member). Only owners invite admins; make someone owner later with members.update.",
    }),
  })
  .strict()
  .openapi("CreateInvitationRequest");

export const InvitationIdParam = z.object({
  invitationId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "invitationId", in: "path" }, description: "The invitation id (`mem_…`).", example: "mem_0193…" }),
});

export const InvitationList = z.object({ data: z.array(InvitationSchema) }).openapi("InvitationList");

export const AcceptedInvitationSchema = z
  .object({
    membership_id: z.string(),
    role: RoleSchema,
    organization: OrganizationRef,
    accepted_at: z.string().openapi({ description: "ISO 8601." }),
  })
  .openapi("AcceptedInvitation");

/** The API view of a pending invitation. */
export function toInvitationView(invitation: InvitationInfo): z.infer<typeof InvitationSchema> {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: invitation.status,
    organization: invitation.organization,
    invited_by: invitation.invitedBy,
    created_at: invitation.createdAt,
  };
}

/** The API view of an accepted invitation (the membership it became). */
export function toAcceptedView(accepted: AcceptedInvitation): z.infer<typeof AcceptedInvitationSchema> {
  return {
    membership_id: accepted.membershipId,
    role: accepted.role,
    organization: accepted.organization,
    accepted_at: accepted.acceptedAt,
  };
}
