/**
 * The harness lifecycle of seeds/002 (`status: active | archived | deleted`, `archived_at`,
 * `deleted_at`, `is_built_in`): archive and unarchive (through update), delete (a soft delete: the
 * record stays, status `deleted`, its name free again), the read-only built-ins and their copy.
 *
 * - An archived harness keeps its configuration and can still be read and edited, but refuses new
 *   executions, sessions and session turns (409 `harness_archived`, `allowed_actions` → `unarchive`).
 * - A deleted harness resolves nowhere by name and is left out of lists; its typed id still reads it
 *   on the Everruns view (status `deleted`, `deleted_at`). Its stored provider keys are deleted with it.
 * - Built-in harnesses (provisioned with every organization) cannot be modified, archived or deleted:
 *   409 `harness_read_only` with an `allowed_actions` entry pointing at the copy operation.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import { executions, harnessCredentials, harnesses, sessions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, forgetHarnesses, type HarnessRow } from "./find.ts";
import { MAX_HARNESS_ID_CHARS, registerHarness } from "./register.ts";

/** Everruns lifecycle status of a harness. */
export type HarnessLifecycle = "active" | "archived" | "deleted";

/** The copy operation a built-in's refusals point at. */
export function copyAction(harness: Pick<HarnessRow, "id" | "slug">) {
  return {
    rel: "copy",
    hint: "Copy it to get an editable harness with the same prompt, capabilities and settings.",
    operation_id: "harnessDefinitions.copy",
    href: `/api/v1/harnesses/${harness.id}/copy`,
  };
}

/** 409 `harness_read_only` for a write (`what`: "modified", "deleted" …) on a built-in harness. */
export function builtInReadOnly(harness: Pick<HarnessRow, "id" | "slug">, what: string): ApiError {
  return new ApiError("harness_read_only", `Harness ${harness.slug} is built in and cannot be ${what}; copy it instead.`, {
    details: { harness_id: harness.slug, is_built_in: true },
    actions: [copyAction(harness)],
  });
}

/**
 * Refuses new work on an archived harness.
 * @throws ApiError `harness_archived` (409) with an `unarchive` action.
 */
export function assertNotArchived(harness: HarnessRow, operationId: string): void {
  if (harness.lifecycle !== "archived") return;
  throw new ApiError("harness_archived", `Harness ${harness.slug} is archived: it takes no new executions or sessions.`, {
    operation: operationId,
    details: { harness_id: harness.slug, archived_at: harness.archivedAt },
    actions: [
      {
        rel: "unarchive",
        hint: 'Unarchive it: PATCH {"status": "active"}.',
        operation_id: "harnessDefinitions.update",
        href: `/api/v1/harnesses/${harness.id}`,
      },
    ],
  });
}

/**
 * Refuses to remove a harness that still has open sessions or pending/running executions.
 * @throws ApiError `harness_busy` (409).
 */
export async function assertNotBusy(ctx: AuthedContext, harness: HarnessRow): Promise<void> {
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
}

/**
 * harnessDefinitions.delete — `DELETE /api/v1/harnesses/{harnessId}`, as seeds/002 describes it: the
 * record stays with status `deleted` and `deleted_at`; it no longer resolves by name (which is free
 * again) nor appears in lists; its stored provider keys are deleted (one D1 batch).
 * @throws ApiError `harness_not_found`; `harness_read_only` for built-ins; `harness_busy` (409) while it has open sessions or running executions.
 */
export async function deleteHarness({ ctx, input }: VerbArgs<AuthedContext, { ref: string }>): Promise<HarnessRow> {
  const harness = await findHarness({ ctx, input });
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "deleted");
  await assertNotBusy(ctx, harness);
  const now = nowIso();
  const scope = and(eq(harnesses.id, harness.id), eq(harnesses.orgId, ctx.principal.orgId));
  forgetHarnesses(ctx);
  const [updated] = await ctx.db.batch([
    ctx.db.update(harnesses).set({ lifecycle: "deleted", deletedAt: now, updatedAt: now }).where(scope).returning(),
    ctx.db
      .delete(harnessCredentials)
      .where(and(eq(harnessCredentials.harnessId, harness.id), eq(harnessCredentials.orgId, ctx.principal.orgId))),
  ]);
  return updated[0]!;
}

/** Input of {@link copyHarness}: the copy's name (HarnessId) and display name, both optional. */
export interface CopyHarnessInput {
  ref: string;
  name?: string;
  display_name?: string;
}

/**
 * harnessDefinitions.copy — `POST /api/v1/harnesses/{harnessId}/copy`: a new, editable harness with
 * the source's prompt, capability refs, model, starter files, MCP servers, network policy, parent and
 * tags (a built-in's `built-in` tag dropped). Name defaults to `<source name>-copy`, display name to
 * `<source display name> (copy)`.
 * @throws ApiError `harness_not_found`; `harness_exists` (409) when the name is taken.
 */
export async function copyHarness({ ctx, input }: VerbArgs<AuthedContext, CopyHarnessInput>): Promise<HarnessRow> {
  const source = await findHarness({ ctx, input: { ref: input.ref } });
  return registerHarness({
    ctx,
    input: {
      id: input.name ?? `${source.slug.slice(0, MAX_HARNESS_ID_CHARS - 5).replace(/-+$/, "")}-copy`,
      name: input.display_name ?? `${source.displayName} (copy)`,
      vendor: source.vendor,
      ...(source.version ? { version: source.version } : {}),
      description: source.description,
      execution_type: source.executionType as "hosted" | "sdk" | "ide",
      config: source.config,
      kind: source.kind as "native" | "remote" | "registry",
      status: source.availability as "active",
      system_prompt: source.systemPrompt,
      capability_refs: source.capabilityRefs,
      default_model_id: source.defaultModelId,
      initial_files: source.initialFiles,
      mcpServers: source.mcpServers,
      network_access: source.networkAccess,
      parent_harness_id: source.parentHarnessId,
      tags: source.isBuiltIn ? source.tags.filter((t) => t !== "built-in") : source.tags,
      copiedFrom: source,
    },
  });
}
