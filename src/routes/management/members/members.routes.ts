import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { ListMembersQuery, MemberPage, MemberSchema, MembershipIdParam, UpdateMemberBody } from "./members.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Members and invitations"];

export const list = operationRoute("members.list", {
  tags,
  summary: "The organization's members and pending invitations",
  description: "Active members (with their account's email and name) first, then pending invitations; oldest first within each.",
  request: { query: ListMembersQuery },
  responses: { 200: jsonContent(MemberPage, "A page of memberships"), ...problemResponses(...AUTH_ERRORS) },
});

export const update = operationRoute("members.update", {
  tags,
  summary: "Change a member's role",
  description:
    "Owners only (admins, members and API keys get 403). The organization must keep at least one owner: demoting the last one is 409 `last_owner`.",
  request: {
    params: MembershipIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateMemberBody } } },
  },
  responses: {
    200: jsonContent(MemberSchema, "The member with their new role"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "member_not_found", "last_owner"),
  },
});

export const remove = operationRoute("members.remove", {
  tags,
  summary: "Remove a member",
  description:
    "Owners and admins (or API keys) remove admins and members; only an owner removes an owner, and never the last one (409 `last_owner`). The OAuth grants the member gave in this organization are revoked.",
  request: { params: MembershipIdParam },
  responses: { 204: { description: "Removed" }, ...problemResponses(...AUTH_ERRORS, "member_not_found", "last_owner") },
});
