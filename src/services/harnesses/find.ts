import { and, eq, ne, or } from "drizzle-orm";
import { harnesses } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { isId } from "../../lib/ids.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";

export type HarnessRow = typeof harnesses.$inferSelect;

/** The 404 for a harness reference that does not resolve in the caller's organization. */
export function harnessNotFound(ref: string): ApiError {
  return new ApiError("harness_not_found", `No harness ${ref} in this organization.`, {
    details: { harness_id: ref },
    actions: [{ rel: "list", hint: "List the organization's harnesses.", operation_id: "harnesses.list", href: "/v1/harnesses" }],
  });
}

const MEMO_PREFIX = "harness:";

/**
 * Drops the harness rows this request has read (`ctx.memo`): every verb that writes a harness row
 * calls it, so a read after the write in the same request sees the write.
 */
export function forgetHarnesses(ctx: Pick<AuthedContext, "memo">): void {
  for (const key of ctx.memo?.keys() ?? []) if (key.startsWith(MEMO_PREFIX)) ctx.memo!.delete(key);
}

/**
 * Resolves a `{harnessId}` path parameter — the slug (Open Harness id) or the typed `harness_…` id —
 * within the caller's organization. Deleted harnesses do not resolve, except by typed id with
 * `includeDeleted` (the Everruns view reads a deleted harness's record). A row found is kept for the
 * rest of the request (`ctx.memo`), so a middleware and the handler after it read it once.
 * @throws ApiError `harness_not_found` (also for another organization's harness).
 */
export async function findHarness({ ctx, input }: VerbArgs<AuthedContext, { ref: string; includeDeleted?: boolean }>): Promise<HarnessRow> {
  const key = `${MEMO_PREFIX}${ctx.principal.orgId}:${input.ref}:${input.includeDeleted ? "any" : "live"}`;
  const known = ctx.memo?.get(key) as HarnessRow | undefined;
  if (known) return known;
  const row = await readHarness(ctx, input);
  ctx.memo?.set(key, row);
  return row;
}

async function readHarness(ctx: AuthedContext, input: { ref: string; includeDeleted?: boolean }): Promise<HarnessRow> {
  const { ref } = input;
  const live = ne(harnesses.lifecycle, "deleted");
  // A deleted harness's name is free again, so a name can match a deleted row beside a live one.
  const byRef = isId("harness", ref) ? or(eq(harnesses.id, ref), and(eq(harnesses.slug, ref), live)) : and(eq(harnesses.slug, ref), live);
  const row = await ctx.db
    .select()
    .from(harnesses)
    .where(and(eq(harnesses.orgId, ctx.principal.orgId), byRef))
    .get();
  if (!row || (row.lifecycle === "deleted" && !(input.includeDeleted && row.id === ref))) throw harnessNotFound(ref);
  return row;
}
