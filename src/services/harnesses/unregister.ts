import { and, eq } from "drizzle-orm";
import { harnesses } from "../../db/schema.ts";
import { deletePrefix, harnessPrefix } from "../storage/keys.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, forgetHarnesses } from "./find.ts";
import { assertNotBusy, builtInReadOnly } from "./lifecycle.ts";

/**
 * harnesses.unregister — `DELETE /v1/harnesses/{harnessId}`. Removes the harness, its agents and stored
 * credentials (D1 cascade) and its blobs (R2). Execution index rows stay for the organization's history.
 * @throws ApiError `harness_busy` (409) while executions are pending or running or sessions have not ended; `harness_read_only` for built-ins.
 */
export async function unregisterHarness({ ctx, input }: VerbArgs<AuthedContext, { ref: string }>): Promise<void> {
  const harness = await findHarness({ ctx, input });
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "unregistered");
  await assertNotBusy(ctx, harness);
  forgetHarnesses(ctx);
  await ctx.db.delete(harnesses).where(and(eq(harnesses.id, harness.id), eq(harnesses.orgId, ctx.principal.orgId)));
  await deletePrefix(ctx.env.BUCKET, harnessPrefix(ctx.principal.orgId, harness.id));
}
