import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { createOrgMachineClient, listOrgMachineClients, revokeOrgMachineClient } from "../../../services/organizations/machine-clients.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./oauth-clients.routes.ts";
import { toMachineClientView } from "./oauth-clients.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  return c.json(toEnvelope(await listOrgMachineClients({ ctx: authed(c), input: c.req.valid("query") }), toMachineClientView), 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const ctx = authed(c);
  const { client, clientSecret } = await createOrgMachineClient({ ctx, input: c.req.valid("json") });
  return c.json(
    { ...toMachineClientView(client), client_secret: clientSecret, token_endpoint: `${ctx.origin}/api/auth/oauth2/token` },
    201,
  );
};

export const revoke: AppRouteHandler<typeof routes.revoke> = async (c) => {
  await revokeOrgMachineClient({ ctx: authed(c), input: { clientId: c.req.valid("param").clientId } });
  return c.body(null, 204);
};
