import { z } from "@hono/zod-openapi";
import { SCOPES } from "../../../auth/scopes.ts";
import { paginated, PaginationQuery } from "../../../openapi/schemas.ts";
import type { ApiKeyInfo } from "../../../services/organizations/api-keys.ts";

/** Most scopes one key may list (there are fewer scopes than this; duplicates are folded). */
const MAX_SCOPES_PER_KEY = 32;

export const ApiKeyScope = z.enum(["*", ...Object.values(SCOPES)]).openapi("ApiKeyScope", {
  description: "An API scope (`src/auth/scopes.ts`), or `*` for everything the organization may do.",
});

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({
      description: "Key id. The bearer token embeds it: `eh_sk_<hex part of the id>_<secret>`, so a leaked token names its key.",
      example: "key_0193…",
    }),
    name: z.string(),
    scopes: z.array(ApiKeyScope),
    created_at: z.string().openapi({ description: "ISO 8601." }),
  })
  .openapi("ApiKey");

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: "What the key is for (1–100 characters).", example: "CI deploys" }),
    scopes: z.array(ApiKeyScope).min(1).max(MAX_SCOPES_PER_KEY).optional().openapi({
      description: "Scopes of the new key; only scopes the caller holds (`*` needs all of them). Default: the caller's own scopes.",
    }),
  })
  .strict()
  .openapi("CreateApiKeyRequest");

export const CreatedApiKey = z
  .object({
    key: ApiKeySchema,
    token: z.string().openapi({ description: "The bearer token. Shown only in this response; store it now.", example: "eh_sk_0193…_…" }),
  })
  .openapi("CreatedApiKey");

export const ApiKeyIdParam = z.object({
  keyId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "keyId", in: "path" }, description: "The key's id (`key_…`).", example: "key_0193…" }),
});

export const ListApiKeysQuery = PaginationQuery;

export const ApiKeyPage = paginated(ApiKeySchema, "ApiKeyPage");

/** The API view of a key's metadata. */
export function toApiKeyView(key: ApiKeyInfo): z.infer<typeof ApiKeySchema> {
  return { id: key.id, name: key.name, scopes: key.scopes as z.infer<typeof ApiKeyScope>[], created_at: key.createdAt };
}
