import { and, count, eq, inArray } from "drizzle-orm";
import { executions, harnesses, sessions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { deletePrefix, harnessPrefix } from "../storage/keys.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "./find.ts";

/**
 * harnesses.unregister — `DELETE /v1/harnesses/{harnessId}`. Removes the harness, its agents and stored
 * credentials (D1 cascade) and its blobs (R2). Execution index rows stay for the organization's history.
 * @throws ApiError `harness_busy` (409) while executions are pending or running or sessions have not ended; `harness_read_only` for built-ins.
 */
export async function unregisterHarness({ ctx, input }: VerbArgs<AuthedContext, { ref: string }>): Promise<void> {
  const harness = await findHarness({ ctx, input });
  if (harness.isBuiltIn) {
    throw new ApiError("harness_read_only", `Harness ${harness.slug} is built in and cannot be unregistered.`);
  }
  const [active] = await ctx.db
    .select({ n: count() })
    .from(executions)
    .where(
      and(
        eq(executions.orgId, ctx.principal.orgId),
        eq(executions.harnessId, harness.id),
        inArray(executions.status, ["pending", "running"]),
      ),
    );
  const [open] = await ctx.db
    .select({ n: count() })
    .from(sessions)
    .where(
      and(eq(sessions.orgId, ctx.principal.orgId), eq(sessions.harnessId, harness.id), inArray(sessions.status, ["active", "paused"])),
    );
  if ((open?.n ?? 0) > 0) {
    throw new ApiError("harness_busy", `Harness ${harness.slug} has ${open!.n} session(s) that have not ended.`, {
      details: { harness_id: harness.slug, open_sessions: open!.n },
      actions: [
        {
          rel: "list",
          hint: "End the sessions (sessions.end), then retry.",
          operation_id: "sessions.list",
          href: `/v1/harnesses/${harness.slug}/sessions`,
        },
      ],
    });
  }
  if ((active?.n ?? 0) > 0) {
    throw new ApiError("harness_busy", `Harness ${harness.slug} has ${active!.n} execution(s) in progress.`, {
      details: { harness_id: harness.slug, active_executions: active!.n },
      actions: [
        {
          rel: "list",
          hint: "Cancel or wait for the running executions, then retry.",
          operation_id: "execution.list",
          href: `/v1/harnesses/${harness.slug}/executions?status=running`,
        },
        { rel: "retry-later", hint: "Retry once the executions have finished." },
      ],
    });
  }
  await ctx.db.delete(harnesses).where(and(eq(harnesses.id, harness.id), eq(harnesses.orgId, ctx.principal.orgId)));
  await deletePrefix(ctx.env.BUCKET, harnessPrefix(ctx.principal.orgId, harness.id));
}
