import {
  harnesses,
  type CapabilityRef,
  type HarnessConfigJson,
  type InitialFile,
  type NetworkAccess,
  type ScopedMcpServer,
} from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertKnownCapabilityRefs } from "./capability-refs.ts";
import { findHarness, type HarnessRow } from "./find.ts";

/** Open Harness `HarnessStatus` (availability). */
export type HarnessAvailability = "active" | "beta" | "coming_soon" | "maintenance" | "deprecated";

/** The native-harness fields of the Everruns create request, shared by register and update. */
export interface NativeHarnessFields {
  status?: HarnessAvailability;
  system_prompt?: string;
  capability_refs?: CapabilityRef[];
  default_model_id?: string | null;
  initial_files?: InitialFile[];
  mcpServers?: Record<string, ScopedMcpServer>;
  network_access?: NetworkAccess | null;
  parent_harness_id?: string | null;
  tags?: string[];
}

/** Input of {@link registerHarness}: the Open Harness register fields plus the native-harness fields. */
export interface RegisterHarnessInput extends NativeHarnessFields {
  id: string;
  name: string;
  vendor: string;
  description: string;
  execution_type: "hosted" | "sdk" | "ide";
  config: HarnessConfigJson;
  kind?: "native" | "registry";
}

/** Built-in tools a native harness gets when it names no capability refs. */
export const DEFAULT_CAPABILITY_REFS: CapabilityRef[] = [{ ref: "current_time" }, { ref: "workspace_files" }];

/**
 * Who executes: an explicit `kind` wins; otherwise a hosted harness without a remote `base_url` runs on
 * the native runtime, and every other harness (sdk, ide, remote) is registry-only.
 */
export function deriveKind(input: Pick<RegisterHarnessInput, "kind" | "execution_type" | "config">): "native" | "registry" {
  if (input.kind) return input.kind;
  return input.execution_type === "hosted" && !input.config.base_url ? "native" : "registry";
}

/**
 * harnesses.register — `POST /v1/harnesses`. Creates a harness in the caller's organization.
 * @throws ApiError `harness_exists` (409) when the slug is taken; `harness_not_found` when the parent does not resolve.
 */
export async function registerHarness({ ctx, input }: VerbArgs<AuthedContext, RegisterHarnessInput>): Promise<HarnessRow> {
  if (input.capability_refs) assertKnownCapabilityRefs(input.capability_refs);
  const parent = input.parent_harness_id ? await findHarness({ ctx, input: { ref: input.parent_harness_id } }) : undefined;
  const now = nowIso();
  const kind = deriveKind(input);
  const row: HarnessRow = {
    id: newId("harness"),
    orgId: ctx.principal.orgId,
    slug: input.id,
    displayName: input.name,
    vendor: input.vendor,
    description: input.description,
    executionType: input.execution_type,
    kind,
    availability: input.status ?? "active",
    lifecycle: "active",
    config: input.config,
    systemPrompt: input.system_prompt ?? "",
    capabilityRefs: input.capability_refs ?? (kind === "native" ? DEFAULT_CAPABILITY_REFS : []),
    defaultModelId: input.default_model_id ?? null,
    initialFiles: input.initial_files ?? [],
    mcpServers: input.mcpServers ?? {},
    networkAccess: input.network_access ?? null,
    parentHarnessId: parent?.id ?? null,
    tags: input.tags ?? [],
    isBuiltIn: false,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
    deletedAt: null,
  };
  const inserted = await ctx.db.insert(harnesses).values(row).onConflictDoNothing().returning({ id: harnesses.id });
  if (inserted.length === 0) {
    throw new ApiError("harness_exists", `A harness with id ${input.id} already exists in this organization.`, {
      details: { harness_id: input.id },
      actions: [
        { rel: "get-existing", operation_id: "harnesses.get", href: `/v1/harnesses/${input.id}` },
        { rel: "fix-input", hint: "Choose another kebab-case id." },
      ],
    });
  }
  return row;
}
