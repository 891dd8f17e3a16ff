import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors/api-error.ts";
import type { AuthedContext } from "../services/context.ts";

/**
 * The service context of a route guarded by `requireScope` (which guarantees a principal).
 * @throws ApiError `unauthorized` if a route forgot its guard — fail closed.
 */
export function authed(c: Context<AppEnv>): AuthedContext {
  const principal = c.get("principal");
  if (!principal) throw new ApiError("unauthorized", "This operation requires credentials.");
  return { ...c.var.services, principal };
}
