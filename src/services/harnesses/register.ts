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
import { redactMcpServers, syncHarnessConnections } from "../mcp/sync.ts";
import { sealingKey } from "../secrets.ts";
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

/**
 * Input of {@link registerHarness}: the Open Harness register fields plus the native-harness fields.
 * Without `id` the HarnessId is derived from `name` ({@link slugFromName}), as the reference
 * TypeScript client registers (spec §9.1 #6).
 */
export interface RegisterHarnessInput extends NativeHarnessFields {
  id?: string;
  name: string;
  vendor: string;
  /** The vendor's version of the harness (reference client), stored and echoed. */
  version?: string;
  description: string;
  execution_type: "hosted" | "sdk" | "ide";
  config: HarnessConfigJson;
  kind?: "native" | "remote" | "registry";
  /** What the caller's view calls `capability_refs`, for problems (`body.capabilities` at /api/v1). */
  capabilityRefsField?: string;
  /** The harness this one is a copy of: its MCP servers' stored header values carry over. */
  copiedFrom?: HarnessRow;
}

/** Longest HarnessId, in characters. */
export const MAX_HARNESS_ID_CHARS = 64;

/**
 * The HarnessId (kebab-case slug) derived from a display name: accents dropped, lowercased, every run
 * of other characters a single hyphen, no hyphen at either end, at most {@link MAX_HARNESS_ID_CHARS}
 * characters (`"Claude Code (beta)"` → `claude-code-beta`). Empty when the name has no letter or digit.
 */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, MAX_HARNESS_ID_CHARS)
    .replace(/-+$/, "");
}

/** Built-in tools a native harness gets when it names no capability refs. */
export const DEFAULT_CAPABILITY_REFS: CapabilityRef[] = [{ ref: "current_time" }, { ref: "workspace_files" }];

/**
 * Who executes: an explicit `kind` wins; otherwise a hosted harness runs on the native runtime, or — with
 * a `base_url` — on that remote Open Harness server (proxied); sdk and ide harnesses are registry-only.
 */
export function deriveKind(input: Pick<RegisterHarnessInput, "kind" | "execution_type" | "config">): "native" | "remote" | "registry" {
  if (input.kind) return input.kind;
  if (input.execution_type !== "hosted") return "registry";
  return input.config.base_url ? "remote" : "native";
}

/**
 * harnesses.register — `POST /v1/harnesses`. Creates a harness in the caller's organization; its id is
 * `input.id`, else derived from `input.name`.
 * @throws ApiError `harness_exists` (409) when the slug is taken; `harness_not_found` when the parent
 *   does not resolve; `validation_error` naming `body.name` when no id is sent and none can be derived.
 */
export async function registerHarness({ ctx, input }: VerbArgs<AuthedContext, RegisterHarnessInput>): Promise<HarnessRow> {
  const derived = input.id === undefined;
  const slug = input.id ?? slugFromName(input.name);
  if (!slug) {
    throw new ApiError("validation_error", "body.name: no harness id can be made from this name (it has no letter or digit); send `id`.", {
      details: { field: "body.name" },
      actions: [{ rel: "fix-input", hint: "Send a kebab-case `id`, or a name with letters or digits." }],
    });
  }
  if (input.capability_refs) assertKnownCapabilityRefs(input.capability_refs, input.capabilityRefsField);
  const parent = input.parent_harness_id ? await findHarness({ ctx, input: { ref: input.parent_harness_id } }) : undefined;
  if (Object.values(input.mcpServers ?? {}).some((s) => Object.keys(s.headers ?? {}).length > 0)) await sealingKey(ctx);
  const now = nowIso();
  const kind = deriveKind(input);
  const row: HarnessRow = {
    id: newId("harness"),
    orgId: ctx.principal.orgId,
    slug,
    displayName: input.name,
    vendor: input.vendor,
    version: input.version ?? null,
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
    mcpServers: redactMcpServers(input.mcpServers ?? {}),
    networkAccess: input.network_access ?? null,
    parentHarnessId: parent?.id ?? null,
    tags: input.tags ?? [],
    isBuiltIn: false,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
    deletedAt: null,
    remoteManifest: null,
  };
  const inserted = await ctx.db.insert(harnesses).values(row).onConflictDoNothing().returning({ id: harnesses.id });
  if (inserted.length === 0) {
    const from = derived ? ` (derived from the name "${input.name}")` : "";
    throw new ApiError("harness_exists", `A harness with id ${slug}${from} already exists in this organization.`, {
      details: { harness_id: slug, ...(derived ? { derived_from: "name" } : {}) },
      actions: [
        { rel: "get-existing", operation_id: "harnesses.get", href: `/v1/harnesses/${slug}` },
        { rel: "fix-input", hint: derived ? "Send another name, or an explicit kebab-case `id`." : "Choose another kebab-case id." },
      ],
    });
  }
  if (input.mcpServers && Object.keys(input.mcpServers).length > 0)
    await syncHarnessConnections(ctx, row, input.mcpServers, input.copiedFrom);
  return row;
}
