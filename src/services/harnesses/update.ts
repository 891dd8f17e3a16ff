import { and, eq } from "drizzle-orm";
import { harnesses, type HarnessConfigJson } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { sealingKey } from "../secrets.ts";
import { redactMcpServers, syncHarnessConnections } from "../mcp/sync.ts";
import { assertKnownCapabilityRefs } from "./capability-refs.ts";
import { findHarness, forgetHarnesses, type HarnessRow } from "./find.ts";
import { builtInReadOnly } from "./lifecycle.ts";
import type { NativeHarnessFields } from "./register.ts";

/** Input of {@link updateHarness}: every field optional; `config` merges key by key. */
export interface UpdateHarnessInput extends NativeHarnessFields {
  ref: string;
  name?: string;
  version?: string;
  description?: string;
  config?: Partial<HarnessConfigJson>;
  /** What the caller's view calls `capability_refs`, for problems (`body.capabilities` at /api/v1). */
  capabilityRefsField?: string;
  /** Archive (`archived`) or unarchive (`active`) in the same write (Everruns `status`). */
  lifecycle?: "active" | "archived";
}

/**
 * harnesses.update — `PATCH /v1/harnesses/{harnessId}` (and harnessDefinitions.update, which may also
 * archive or unarchive in the same write). `id`, `vendor` and `execution_type` are immutable.
 * @throws ApiError `harness_not_found`; `harness_read_only` for built-in harnesses; `validation_error` for a parent cycle.
 */
export async function updateHarness({ ctx, input }: VerbArgs<AuthedContext, UpdateHarnessInput>): Promise<HarnessRow> {
  if (input.capability_refs) assertKnownCapabilityRefs(input.capability_refs, input.capabilityRefsField);
  const current = await findHarness({ ctx, input: { ref: input.ref } });
  if (current.isBuiltIn) throw builtInReadOnly(current, input.lifecycle === "archived" ? "archived" : "modified");
  let parentId = current.parentHarnessId;
  if (input.parent_harness_id !== undefined) {
    parentId = input.parent_harness_id === null ? null : (await findHarness({ ctx, input: { ref: input.parent_harness_id } })).id;
    await assertNoCycle(ctx, current.id, parentId);
  }
  if (Object.values(input.mcpServers ?? {}).some((s) => Object.keys(s.headers ?? {}).length > 0)) await sealingKey(ctx);
  const now = nowIso();
  const patch: Partial<HarnessRow> = {
    displayName: input.name ?? current.displayName,
    version: input.version ?? current.version,
    description: input.description ?? current.description,
    config: input.config ? { ...current.config, ...input.config } : current.config,
    availability: input.status ?? current.availability,
    systemPrompt: input.system_prompt ?? current.systemPrompt,
    capabilityRefs: input.capability_refs ?? current.capabilityRefs,
    defaultModelId: input.default_model_id === undefined ? current.defaultModelId : input.default_model_id,
    initialFiles: input.initial_files ?? current.initialFiles,
    mcpServers: input.mcpServers ? redactMcpServers(input.mcpServers) : current.mcpServers,
    networkAccess: input.network_access === undefined ? current.networkAccess : input.network_access,
    parentHarnessId: parentId,
    tags: input.tags ?? current.tags,
    updatedAt: now,
  };
  if (input.lifecycle && input.lifecycle !== current.lifecycle) {
    patch.lifecycle = input.lifecycle;
    patch.archivedAt = input.lifecycle === "archived" ? now : null;
  }
  forgetHarnesses(ctx);
  const [row] = await ctx.db
    .update(harnesses)
    .set(patch)
    .where(and(eq(harnesses.id, current.id), eq(harnesses.orgId, ctx.principal.orgId)))
    .returning();
  if (input.mcpServers) await syncHarnessConnections(ctx, row!, input.mcpServers);
  return row!;
}

/** Parent chains are walked at run time; refuse a parent that would make one loop. */
async function assertNoCycle(ctx: AuthedContext, selfId: string, parentId: string | null): Promise<void> {
  const seen = new Set([selfId]);
  let next = parentId;
  for (let depth = 0; next && depth < 16; depth++) {
    if (seen.has(next)) {
      throw new ApiError("validation_error", "parent_harness_id would make the inheritance chain a cycle.", {
        details: { field: "body.parent_harness_id" },
        actions: [{ rel: "fix-input", hint: "Pick a parent that does not inherit from this harness." }],
      });
    }
    seen.add(next);
    const row = await ctx.db
      .select({ parent: harnesses.parentHarnessId })
      .from(harnesses)
      .where(and(eq(harnesses.id, next), eq(harnesses.orgId, ctx.principal.orgId)))
      .get();
    next = row?.parent ?? null;
  }
}
