import { z } from "@hono/zod-openapi";
import { paginated, PaginationQuery } from "../../../openapi/schemas.ts";
import type { MemberInfo } from "../../../services/organizations/members.ts";

export const RoleSchema = z.enum(["owner", "admin", "member"]).openapi("Role", {
  description: "owner: everything, including roles; admin: manage keys, clients, members and settings; member: read.",
});

export const MemberSchema = z
  .object({
    id: z.string().openapi({ description: "Membership id (`mem_…`); for a pending invitation, the invitation id.", example: "mem_0193…" }),
    status: z.enum(["active", "pending"]).openapi({ description: "active: a member; pending: invited, not accepted yet." }),
    role: RoleSchema,
    email: z.string().openapi({ description: "The member's email, or the address the invitation was sent to." }),
    user: z
      .object({ id: z.string(), email: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: "The member's account; null for a pending invitation." }),
    invited_by: z
      .string()
      .nullable()
      .openapi({ description: "Who invited them (a user id, or an API key / client id); null for the founding owner." }),
    created_at: z.string().openapi({ description: "ISO 8601." }),
    accepted_at: z.string().nullable().openapi({ description: "When the invitation was accepted (ISO 8601)." }),
  })
  .openapi("Member");

export const ListMembersQuery = PaginationQuery.extend({
  status: z.enum(["active", "pending"]).optional().openapi({ description: "Only active members, or only pending invitations." }),
});

export const MemberPage = paginated(MemberSchema, "MemberPage");

export const MembershipIdParam = z.object({
  membershipId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "membershipId", in: "path" }, description: "The membership id (`mem_…`).", example: "mem_0193…" }),
});

export const UpdateMemberBody = z.object({ role: RoleSchema }).strict().openapi("UpdateMemberRequest");

/** The API view of a membership. */
export function toMemberView(member: MemberInfo): z.infer<typeof MemberSchema> {
  return {
    id: member.id,
    status: member.status,
    role: member.role,
    email: member.email,
    user: member.user,
    invited_by: member.invitedBy,
    created_at: member.createdAt,
    accepted_at: member.acceptedAt,
  };
}
