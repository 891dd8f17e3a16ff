/**
 * organization.get / organization.update — the caller's organization's settings (`organizations`):
 * its display name and its default model (the step before the deployment default when a run's model is
 * resolved, `services/models/resolve.ts`). Everyone in the organization reads; owners and admins write.
 */
import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { nowIso } from "../../lib/time.ts";
import { MODEL_ALIASES, parseModelId, PROVIDERS } from "../../runtime/models/providers.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCanManage } from "./access.ts";

/** An organization's settings. */
export interface OrganizationSettings {
  id: string;
  name: string;
  /** `provider/model` (or an alias); null = the deployment default. */
  defaultModel: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Input of {@link updateOrganization}: absent = unchanged; `default_model: null` = back to the deployment default. */
export interface UpdateOrganizationInput {
  name?: string;
  default_model?: string | null;
}

const COLUMNS = {
  id: organizations.id,
  name: organizations.name,
  defaultModel: organizations.defaultModel,
  createdAt: organizations.createdAt,
  updatedAt: organizations.updatedAt,
};

/**
 * organization.get — the caller's organization.
 * @throws Error when the principal's organization row is missing (a server bug: principals name live organizations).
 */
export async function getOrganization({ ctx }: VerbArgs<AuthedContext, Record<string, never>>): Promise<OrganizationSettings> {
  const row = await ctx.db.select(COLUMNS).from(organizations).where(eq(organizations.id, ctx.principal.orgId)).get();
  if (!row) throw new Error(`organization ${ctx.principal.orgId} of an authenticated principal does not exist`);
  return row;
}

/**
 * organization.update — renames the organization and/or sets its default model.
 * @throws ApiError `forbidden` for a member; `validation_error` (`body.default_model`) for a model id
 *   whose provider is unknown (it would fail every run that falls back to it).
 */
export async function updateOrganization({ ctx, input }: VerbArgs<AuthedContext, UpdateOrganizationInput>): Promise<OrganizationSettings> {
  await assertCanManage(ctx, "change its settings");
  if (input.default_model && !parseModelId(input.default_model)) {
    throw new ApiError("validation_error", `body.default_model: ${input.default_model} is not a model id of the form provider/model.`, {
      details: { field: "body.default_model", providers: PROVIDERS, aliases: Object.keys(MODEL_ALIASES) },
      actions: [
        { rel: "fix-input", hint: `Use provider/model with provider one of ${PROVIDERS.join(", ")}, or null for the deployment default.` },
      ],
    });
  }
  const patch: Partial<typeof organizations.$inferInsert> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.default_model !== undefined) patch.defaultModel = input.default_model;
  if (Object.keys(patch).length > 0) {
    await ctx.db
      .update(organizations)
      .set({ ...patch, updatedAt: nowIso() })
      .where(eq(organizations.id, ctx.principal.orgId));
  }
  return getOrganization({ ctx, input: {} });
}
