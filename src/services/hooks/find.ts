import { and, asc, eq } from "drizzle-orm";
import { hooks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { canonicalHookEvent, HOOK_EVENT_SPELLINGS, type HookEventName } from "./events.ts";

export type HookRow = typeof hooks.$inferSelect;

/** The 404 for a hook id that does not resolve on the harness (also another organization's). */
export function hookNotFound(harness: HarnessRow, hookId: string): ApiError {
  return new ApiError("hook_not_found", `No hook ${hookId} on harness ${harness.slug}.`, {
    domain: "hooks",
    details: { hook_id: hookId },
    actions: [{ rel: "list", operation_id: "hooks.list", href: `/v1/harnesses/${harness.slug}/hooks` }],
  });
}

/**
 * The stored event for `name`.
 * @throws ApiError `validation_error` listing the accepted names (`custom`: nothing on this deployment emits custom events)
 */
export function hookEventOf(name: string, field: string): HookEventName {
  const event = canonicalHookEvent(name);
  if (event) return event;
  const custom = name.trim().toLowerCase() === "custom";
  throw new ApiError(
    "validation_error",
    custom
      ? "custom hooks are not accepted: nothing on this deployment emits custom events, so such a hook would never fire."
      : `${JSON.stringify(name)} is not a hook event; use one of ${HOOK_EVENT_SPELLINGS.join(", ")}.`,
    {
      domain: "hooks",
      details: { field, accepted: HOOK_EVENT_SPELLINGS },
      actions: [
        { rel: "fix-input", hint: "Use pre_tool, post_tool, stop, error, execution.start, session.start, session.message or session.end." },
      ],
    },
  );
}

/**
 * hooks.list — the harness's hooks, oldest first, optionally of one event (any accepted spelling).
 * @throws ApiError `harness_not_found`, `validation_error` (event)
 */
export async function listHooks({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; event?: string }>): Promise<{ harness: HarnessRow; hooks: HookRow[] }> {
  const harness = await findHarness({ ctx, input });
  const event = input.event === undefined ? undefined : hookEventOf(input.event, "query.event");
  const rows = await ctx.db
    .select()
    .from(hooks)
    .where(and(eq(hooks.orgId, ctx.principal.orgId), eq(hooks.harnessId, harness.id), event ? eq(hooks.event, event) : undefined))
    .orderBy(asc(hooks.createdAt), asc(hooks.id));
  return { harness, hooks: rows };
}

/**
 * hooks.get — one hook of the harness.
 * @throws ApiError `harness_not_found`, `hook_not_found`
 */
export async function findHook({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; hookId: string }>): Promise<{ harness: HarnessRow; hook: HookRow }> {
  const harness = await findHarness({ ctx, input });
  const hook = await ctx.db
    .select()
    .from(hooks)
    .where(and(eq(hooks.id, input.hookId), eq(hooks.orgId, ctx.principal.orgId), eq(hooks.harnessId, harness.id)))
    .get();
  if (!hook) throw hookNotFound(harness, input.hookId);
  return { harness, hook };
}
