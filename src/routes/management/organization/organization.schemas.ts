import { z } from "@hono/zod-openapi";
import type { OrganizationSettings } from "../../../services/organizations/settings.ts";
import { MAX_MODEL_ID_CHARS } from "../../../lib/limits.ts";

export const OrganizationSchema = z
  .object({
    id: z.string().openapi({ example: "org_0193…" }),
    name: z.string(),
    default_model: z
      .string()
      .nullable()
      .openapi({ description: "Model for runs that name none (after request, agent and harness); null = the deployment default." }),
    created_at: z.string().openapi({ description: "ISO 8601." }),
    updated_at: z.string().openapi({ description: "ISO 8601." }),
  })
  .openapi("Organization");

export const UpdateOrganizationBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional().openapi({ description: "Display name (1–100 characters)." }),
    default_model: z.string().trim().min(1).max(MAX_MODEL_ID_CHARS).nullable().optional().openapi({
      description: "A model id `provider/model` (e.g. `anthropic/claude-sonnet-4-5`) or an alias; null restores the deployment default.",
      example: "anthropic/claude-sonnet-4-5",
    }),
  })
  .strict()
  .openapi("UpdateOrganizationRequest");

/** The API view of the organization's settings. */
export function toOrganizationView(org: OrganizationSettings): z.infer<typeof OrganizationSchema> {
  return { id: org.id, name: org.name, default_model: org.defaultModel, created_at: org.createdAt, updated_at: org.updatedAt };
}
