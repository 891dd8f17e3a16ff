import type { AppRouteHandler } from "../../../context.ts";
import { getOrganization, updateOrganization } from "../../../services/organizations/settings.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./organization.routes.ts";
import { toOrganizationView } from "./organization.schemas.ts";

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  return c.json(toOrganizationView(await getOrganization({ ctx: authed(c), input: {} })), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  return c.json(toOrganizationView(await updateOrganization({ ctx: authed(c), input: c.req.valid("json") })), 200);
};
