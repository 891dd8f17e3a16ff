import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { listUsage } from "../../../services/limits/usage.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./usage.routes.ts";
import { toUsageTodayView, toUsageView } from "./usage.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { page, today } = await listUsage({ ctx: authed(c), input: c.req.valid("query") });
  return c.json({ ...toEnvelope(page, toUsageView), today: toUsageTodayView(today) }, 200);
};
