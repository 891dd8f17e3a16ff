import type { AppRouteHandler } from "../../../context.ts";
import { getOrganizationLimits, updateOrganizationLimits } from "../../../services/limits/limits.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./limits.routes.ts";
import { toLimitsView } from "./limits.schemas.ts";

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  return c.json(toLimitsView(await getOrganizationLimits({ ctx: authed(c), input: {} })), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  return c.json(toLimitsView(await updateOrganizationLimits({ ctx: authed(c), input: c.req.valid("json") })), 200);
};
