import type { AppRouteHandler } from "../../../context.ts";
import {
  acceptInvitationAsCaller,
  cancelInvitation,
  declineInvitationAsCaller,
  inviteMember,
  listReceivedInvitations,
} from "../../../services/organizations/invitations.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./invitations.routes.ts";
import { toAcceptedView, toInvitationView } from "./invitations.schemas.ts";

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  return c.json(toInvitationView(await inviteMember({ ctx: authed(c), input: c.req.valid("json") })), 201);
};

export const cancel: AppRouteHandler<typeof routes.cancel> = async (c) => {
  await cancelInvitation({ ctx: authed(c), input: { invitationId: c.req.valid("param").invitationId } });
  return c.body(null, 204);
};

export const listReceived: AppRouteHandler<typeof routes.listReceived> = async (c) => {
  return c.json({ data: (await listReceivedInvitations({ ctx: authed(c), input: {} })).map(toInvitationView) }, 200);
};

export const accept: AppRouteHandler<typeof routes.accept> = async (c) => {
  return c.json(
    toAcceptedView(await acceptInvitationAsCaller({ ctx: authed(c), input: { invitationId: c.req.valid("param").invitationId } })),
    200,
  );
};

export const decline: AppRouteHandler<typeof routes.decline> = async (c) => {
  await declineInvitationAsCaller({ ctx: authed(c), input: { invitationId: c.req.valid("param").invitationId } });
  return c.body(null, 204);
};
