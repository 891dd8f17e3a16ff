import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../../services/organizations/api-keys.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./api-keys.routes.ts";
import { toApiKeyView } from "./api-keys.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  return c.json(toEnvelope(await listApiKeys({ ctx: authed(c), input: c.req.valid("query") }), toApiKeyView), 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const { key, token } = await createApiKey({ ctx: authed(c), input: c.req.valid("json") });
  return c.json({ key: toApiKeyView(key), token }, 201);
};

export const revoke: AppRouteHandler<typeof routes.revoke> = async (c) => {
  await revokeApiKey({ ctx: authed(c), input: { keyId: c.req.valid("param").keyId } });
  return c.body(null, 204);
};
