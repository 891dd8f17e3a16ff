import { createRouter } from "../../context.ts";
import { apiKeysRouter } from "./api-keys/api-keys.index.ts";
import { harnessDefinitionsRouter } from "./harnesses/harnesses.index.ts";
import { invitationsRouter } from "./invitations/invitations.index.ts";
import { limitsRouter } from "./limits/limits.index.ts";
import { membersRouter } from "./members/members.index.ts";
import { oauthClientsRouter } from "./oauth-clients/oauth-clients.index.ts";
import { organizationRouter } from "./organization/organization.index.ts";
import { usageRouter } from "./usage/usage.index.ts";
import { webhookDeliveriesRouter } from "./webhook-deliveries/webhook-deliveries.index.ts";

/**
 * The management API surface, mounted at `/api/v1`: the organization's settings, members and
 * invitations, API keys, machine OAuth clients, usage ledger and limits. Every verb filters by the
 * caller's organization; every write needs an owner or admin (`services/organizations/access.ts`).
 */
export const managementApi = createRouter()
  .route("/", organizationRouter)
  .route("/", membersRouter)
  .route("/", invitationsRouter)
  .route("/", apiKeysRouter)
  .route("/", oauthClientsRouter)
  .route("/", usageRouter)
  .route("/", limitsRouter)
  .route("/", harnessDefinitionsRouter)
  .route("/", webhookDeliveriesRouter);
