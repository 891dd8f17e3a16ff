import { and, eq } from "drizzle-orm";
import { hooks } from "../../db/schema.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHook, type HookRow } from "./find.ts";
import { acceptedHandler, type HookHandlerInput } from "./register.ts";

/**
 * hooks.update — changes the handler, `enabled`, `timeout_ms` or `on_error` (the event is fixed).
 * @throws ApiError `harness_not_found`, `hook_not_found`, `hook_handler_unsupported`, `validation_error` (not a URL), `network_blocked` (SSRF rule or network policy)
 */
export async function updateHook({
  ctx,
  input,
}: VerbArgs<
  AuthedContext,
  { ref: string; hookId: string; handler?: HookHandlerInput; enabled?: boolean; timeout_ms?: number; on_error?: "allow" | "deny" }
>): Promise<HookRow> {
  const { harness, hook } = await findHook({ ctx, input });
  const handler = input.handler ? await acceptedHandler(ctx, harness, input.handler, "hooks.update") : undefined;
  const [row] = await ctx.db
    .update(hooks)
    .set({
      ...(handler ? { handler } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(input.timeout_ms !== undefined ? { timeoutMs: input.timeout_ms } : {}),
      ...(input.on_error !== undefined ? { onError: input.on_error } : {}),
      updatedAt: nowIso(),
    })
    .where(and(eq(hooks.id, hook.id), eq(hooks.orgId, ctx.principal.orgId)))
    .returning();
  return row!;
}
