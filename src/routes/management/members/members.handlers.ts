import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { changeMemberRole, listMembers, removeMember } from "../../../services/organizations/members.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./members.routes.ts";
import { toMemberView } from "./members.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  return c.json(toEnvelope(await listMembers({ ctx: authed(c), input: c.req.valid("query") }), toMemberView), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const input = { membershipId: c.req.valid("param").membershipId, role: c.req.valid("json").role };
  return c.json(toMemberView(await changeMemberRole({ ctx: authed(c), input })), 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await removeMember({ ctx: authed(c), input: { membershipId: c.req.valid("param").membershipId } });
  return c.body(null, 204);
};
