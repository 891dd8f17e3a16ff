import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  AcceptedInvitationSchema,
  CreateInvitationBody,
  InvitationIdParam,
  InvitationList,
  InvitationSchema,
} from "./invitations.schemas.ts";
import { operationRoute } from "../../operation-route.ts";

const tags = ["Members and invitations"];

export const create = operationRoute("invitations.create", {
  tags,
  summary: "Invite someone by email",
  description:
    "Owners, admins and API keys invite members; only owners invite admins. The invitee accepts after signing in (the page `/api/auth/invitations`, or invitations.accept). An address that is already a member, or already has a pending invitation, is 409 (`member_exists`, `invitation_exists` with the pending invitation's id).",
  request: { body: { required: true, content: { "application/json": { schema: CreateInvitationBody } } } },
  responses: {
    201: jsonContent(InvitationSchema, "The pending invitation"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "member_exists", "invitation_exists"),
  },
});

export const cancel = operationRoute("invitations.cancel", {
  tags,
  summary: "Cancel a pending invitation",
  description: "Owners, admins and API keys. An accepted, unknown or other organization's invitation is 404.",
  request: { params: InvitationIdParam },
  responses: { 204: { description: "Cancelled" }, ...problemResponses(...AUTH_ERRORS, "invitation_not_found") },
});

export const listReceived = operationRoute("invitations.listReceived", {
  tags,
  summary: "Invitations addressed to the calling user",
  description: "Pending invitations to the caller's email, in any organization. Users only (an OAuth token); API keys get 403.",
  responses: { 200: jsonContent(InvitationList, "The caller's pending invitations, oldest first"), ...problemResponses(...AUTH_ERRORS) },
});

export const accept = operationRoute("invitations.accept", {
  tags,
  summary: "Accept an invitation addressed to the calling user",
  description:
    "Users only (an OAuth token). The invitation must be pending and addressed to the caller's email; anyone else's is 404. The caller becomes an active member with the invited role; a new token for that organization comes from the consent page's organization picker.",
  request: { params: InvitationIdParam },
  responses: {
    200: jsonContent(AcceptedInvitationSchema, "The membership it became"),
    ...problemResponses(...AUTH_ERRORS, "invitation_not_found", "member_exists"),
  },
});

export const decline = operationRoute("invitations.decline", {
  tags,
  summary: "Decline an invitation addressed to the calling user",
  description: "Users only (an OAuth token). The invitation is deleted; anyone else's is 404.",
  request: { params: InvitationIdParam },
  responses: { 204: { description: "Declined" }, ...problemResponses(...AUTH_ERRORS, "invitation_not_found") },
});
