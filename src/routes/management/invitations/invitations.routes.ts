import { createRoute } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { AUTH_ERRORS, BEARER_SECURITY, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import {
  AcceptedInvitationSchema,
  CreateInvitationBody,
  InvitationIdParam,
  InvitationList,
  InvitationSchema,
} from "./invitations.schemas.ts";

const tags = ["Members and invitations"];

export const create = createRoute({
  operationId: "invitations.create",
  method: "post",
  path: "/invitations",
  tags,
  summary: "Invite someone by email",
  description:
    "Owners, admins and API keys invite members; only owners invite admins. The invitee accepts after signing in (the page `/api/auth/invitations`, or invitations.accept). An address that is already a member, or already has a pending invitation, is 409 (`member_exists`, `invitation_exists` with the pending invitation's id).",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { body: { required: true, content: { "application/json": { schema: CreateInvitationBody } } } },
  responses: {
    201: jsonContent(InvitationSchema, "The pending invitation"),
    ...problemResponses(...AUTH_ERRORS, "invalid_json", "member_exists", "invitation_exists"),
  },
});

export const cancel = createRoute({
  operationId: "invitations.cancel",
  method: "delete",
  path: "/invitations/{invitationId}",
  tags,
  summary: "Cancel a pending invitation",
  description: "Owners, admins and API keys. An accepted, unknown or other organization's invitation is 404.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { params: InvitationIdParam },
  responses: { 204: { description: "Cancelled" }, ...problemResponses(...AUTH_ERRORS, "invitation_not_found") },
});

export const listReceived = createRoute({
  operationId: "invitations.listReceived",
  method: "get",
  path: "/invitations/received",
  tags,
  summary: "Invitations addressed to the calling user",
  description: "Pending invitations to the caller's email, in any organization. Users only (an OAuth token); API keys get 403.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationRead),
  responses: { 200: jsonContent(InvitationList, "The caller's pending invitations, oldest first"), ...problemResponses(...AUTH_ERRORS) },
});

export const accept = createRoute({
  operationId: "invitations.accept",
  method: "post",
  path: "/invitations/{invitationId}/accept",
  tags,
  summary: "Accept an invitation addressed to the calling user",
  description:
    "Users only (an OAuth token). The invitation must be pending and addressed to the caller's email; anyone else's is 404. The caller becomes an active member with the invited role; a new token for that organization comes from the consent page's organization picker.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { params: InvitationIdParam },
  responses: {
    200: jsonContent(AcceptedInvitationSchema, "The membership it became"),
    ...problemResponses(...AUTH_ERRORS, "invitation_not_found", "member_exists"),
  },
});

export const decline = createRoute({
  operationId: "invitations.decline",
  method: "post",
  path: "/invitations/{invitationId}/decline",
  tags,
  summary: "Decline an invitation addressed to the calling user",
  description: "Users only (an OAuth token). The invitation is deleted; anyone else's is 404.",
  security: BEARER_SECURITY,
  middleware: requireScope(SCOPES.organizationWrite),
  request: { params: InvitationIdParam },
  responses: { 204: { description: "Declined" }, ...problemResponses(...AUTH_ERRORS, "invitation_not_found") },
});
