import { and, eq } from "drizzle-orm";
import { hooks } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHook } from "./find.ts";

/**
 * hooks.unregister — removes the hook; it does not fire afterwards (hooks are read at every firing).
 * @throws ApiError `harness_not_found`, `hook_not_found`
 */
export async function unregisterHook({ ctx, input }: VerbArgs<AuthedContext, { ref: string; hookId: string }>): Promise<void> {
  const { hook } = await findHook({ ctx, input });
  await ctx.db.delete(hooks).where(and(eq(hooks.id, hook.id), eq(hooks.orgId, ctx.principal.orgId)));
}
