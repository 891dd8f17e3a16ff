import { z } from "@hono/zod-openapi";
import { PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { HarnessRow } from "../../../services/harnesses/find.ts";
import { CapabilityRef, InitialFile, KEBAB, nativeFields, NetworkAccess, ScopedMcpServer } from "../../v1/harnesses/harnesses.schemas.ts";

/** Everruns `CreateHarnessRequest` (seeds/002): the harness as a definition — prompt, capabilities, model, files, MCP, network. */
export const CreateHarnessDefinition = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(KEBAB, "must be lowercase letters, digits and single hyphens")
      .openapi({ example: "deep-research" }),
    display_name: z.string().min(1).max(100).nullable().optional(),
    description: z.string().max(1000).nullable().optional(),
    system_prompt: nativeFields.system_prompt.unwrap(),
    capabilities: z.array(CapabilityRef).max(50).optional(),
    default_model_id: nativeFields.default_model_id,
    initial_files: nativeFields.initial_files,
    mcpServers: nativeFields.mcpServers,
    network_access: nativeFields.network_access,
    parent_harness_id: nativeFields.parent_harness_id,
    tags: nativeFields.tags,
  })
  .strict()
  .openapi("CreateHarnessDefinitionRequest");

export const UpdateHarnessDefinition = CreateHarnessDefinition.omit({ name: true })
  .partial()
  .extend({
    status: z.enum(["active", "archived"]).optional().openapi({
      description:
        "`archived` archives the harness (it keeps its configuration but takes no new executions or sessions); `active` unarchives it. To delete, use harnessDefinitions.delete.",
    }),
  })
  .strict()
  .openapi("UpdateHarnessDefinitionRequest");

export const CopyHarnessDefinition = z
  .object({
    name: CreateHarnessDefinition.shape.name.optional().openapi({ description: "The copy's name (default `<source name>-copy`)." }),
    display_name: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "The copy's display name (default `<source display name> (copy)`)." }),
  })
  .strict()
  .openapi("CopyHarnessDefinitionRequest");

export const HarnessDefinitionParams = z.object({
  harnessId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "harnessId", in: "path" }, description: "Typed `harness_…` id or the name." }),
});

export const ListHarnessDefinitionsQuery = PaginationQuery.extend({
  status: z
    .enum(["active", "archived", "deleted"])
    .optional()
    .openapi({ description: "Only harnesses in this lifecycle status; without it, active and archived ones." }),
});

/** Everruns `Harness` response (with `self_url`, `view_url`, `ui_link`). */
export const HarnessDefinition = z
  .object({
    id: z.string().openapi({ description: "harness_{32-hex}" }),
    name: z.string(),
    display_name: z.string().nullable(),
    description: z.string().nullable(),
    system_prompt: z.string(),
    capabilities: z.array(CapabilityRef),
    default_model_id: z.string().nullable(),
    initial_files: z.array(InitialFile),
    mcpServers: z.record(z.string(), ScopedMcpServer),
    network_access: NetworkAccess.nullable(),
    parent_harness_id: z.string().nullable(),
    tags: z.array(z.string()),
    status: z.enum(["active", "archived", "deleted"]),
    is_built_in: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    archived_at: z.string().nullable(),
    deleted_at: z.string().nullable(),
    self_url: z.string(),
    view_url: z.string(),
    ui_link: z.string(),
  })
  .openapi("HarnessDefinition");

export const HarnessDefinitionPage = paginated(HarnessDefinition, "HarnessDefinitionPage");

export const CapabilityCatalogEntry = z
  .object({
    ref: z.string(),
    description: z.string(),
    tools: z.array(z.object({ name: z.string(), description: z.string() })),
  })
  .openapi("CapabilityCatalogEntry");

export const CapabilityCatalog = z.object({ data: z.array(CapabilityCatalogEntry) }).openapi("CapabilityCatalog");

/** The Everruns view of a harness row. */
export function toHarnessDefinition(row: HarnessRow, origin: string): z.infer<typeof HarnessDefinition> {
  // The console's page of this harness, in its organization (`routes/console/console.tsx`).
  const viewUrl = `${origin}/console/o/${row.orgId}/harnesses/${row.id}`;
  return {
    id: row.id,
    name: row.slug,
    display_name: row.displayName,
    description: row.description || null,
    system_prompt: row.systemPrompt,
    capabilities: row.capabilityRefs,
    default_model_id: row.defaultModelId,
    initial_files: row.initialFiles,
    mcpServers: row.mcpServers,
    network_access: row.networkAccess,
    parent_harness_id: row.parentHarnessId,
    tags: row.tags,
    status: row.lifecycle as "active" | "archived" | "deleted",
    is_built_in: row.isBuiltIn,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    archived_at: row.archivedAt,
    deleted_at: row.deletedAt,
    self_url: `${origin}/api/v1/harnesses/${row.id}`,
    view_url: viewUrl,
    ui_link: viewUrl,
  };
}

const LayerRef = z
  .object({
    id: z.string().openapi({ description: "harness_{32-hex}" }),
    name: z.string(),
    display_name: z.string(),
  })
  .openapi("HarnessLayer");

/** harnessDefinitions.resolved: the configuration a run sees, each value with the layer it came from. */
export const ResolvedHarnessDefinition = z
  .object({
    harness: LayerRef,
    chain: z.array(LayerRef).openapi({ description: "The inheritance chain, root first, this harness last." }),
    system_prompt: z.object({
      value: z.string().openapi({ description: "The stacked prompt (parent first), as runs receive it before any agent prompt." }),
      layers: z.array(z.object({ value: z.string(), source: LayerRef })),
    }),
    capabilities: z.array(
      CapabilityRef.extend({
        source: LayerRef.openapi({ description: "The layer whose config won (merged by ref, child wins)." }),
        overrides: z.array(LayerRef).openapi({ description: "Earlier layers that named the same ref." }),
      }),
    ),
    initial_files: z.array(
      z.object({
        path: z.string(),
        encoding: z.string(),
        is_readonly: z.boolean(),
        size_chars: z.number().int(),
        source: LayerRef,
        overrides: z.array(LayerRef),
      }),
    ),
    mcp_servers: z.array(
      z.object({
        name: z.string(),
        url: z.string(),
        type: z.string(),
        auth_mode: z.string(),
        header_names: z.array(z.string()).openapi({ description: "Header names only; values are never shown here." }),
        source: LayerRef,
        overrides: z.array(LayerRef),
      }),
    ),
    network_access: z.object({
      unrestricted: z.boolean(),
      layers: z
        .array(z.object({ source: LayerRef, allowed: z.array(z.string()).nullable(), blocked: z.array(z.string()) }))
        .openapi({ description: "A URL must be allowed by every layer with an allowed list and blocked by none." }),
    }),
    default_model: z.object({
      value: z.string(),
      source: z.string().openapi({ description: "harness, parent harness <name>, organization or deployment." }),
      source_harness: LayerRef.nullable(),
      callable: z.boolean().openapi({ description: "Whether this deployment can call the model (provider configured, script known)." }),
      problem: z.string().nullable(),
    }),
  })
  .openapi("ResolvedHarnessDefinition");
