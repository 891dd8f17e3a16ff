import { z } from "@hono/zod-openapi";
import { API_SCOPES } from "../../../auth/resources.ts";
import { paginated, PaginationQuery } from "../../../openapi/schemas.ts";
import type { MachineClientInfo } from "../../../services/organizations/machine-clients.ts";

export const MachineClientSchema = z
  .object({
    client_id: z.string().openapi({ example: "client_0193…" }),
    name: z.string(),
    scope: z.string().openapi({ description: "Space-separated OAuth scopes it may request: `api`, `assistant`.", example: "api" }),
    grant_types: z.array(z.literal("client_credentials")),
    token_endpoint_auth_method: z
      .literal("client_secret_basic")
      .openapi({ description: "`client_secret_post` is accepted as well for machine clients." }),
    created_at: z.string().openapi({ description: "ISO 8601." }),
  })
  .openapi("MachineClient");

export const CreateMachineClientBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: "What the client is (1–100 characters).", example: "Nightly report job" }),
    scope: z
      .string()
      .max(100)
      .refine(
        (s) => {
          const parts = s.split(" ").filter(Boolean);
          return parts.length > 0 && parts.every((p) => (API_SCOPES as readonly string[]).includes(p));
        },
        `Use a space-separated subset of: ${API_SCOPES.join(" ")}.`,
      )
      .optional()
      .openapi({
        description: "Space-separated subset of `api assistant`. Default: those whose permissions the caller holds itself.",
        example: "api assistant",
      }),
  })
  .strict()
  .openapi("CreateMachineClientRequest");

export const CreatedMachineClient = MachineClientSchema.extend({
  client_secret: z.string().openapi({ description: "Shown only in this response; store it now." }),
  token_endpoint: z.string().openapi({ description: "Where to POST `grant_type=client_credentials` (RFC 6749 §4.4)." }),
}).openapi("CreatedMachineClient");

export const ClientIdParam = z.object({
  clientId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "clientId", in: "path" }, description: "The client id (`client_…`).", example: "client_0193…" }),
});

export const ListMachineClientsQuery = PaginationQuery;

export const MachineClientPage = paginated(MachineClientSchema, "MachineClientPage");

/** The API view of a machine client. */
export function toMachineClientView(client: MachineClientInfo): z.infer<typeof MachineClientSchema> {
  return {
    client_id: client.clientId,
    name: client.name,
    scope: client.scope,
    grant_types: ["client_credentials"],
    token_endpoint_auth_method: "client_secret_basic",
    created_at: client.createdAt,
  };
}
