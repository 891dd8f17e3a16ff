import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { authed } from "../../authed.ts";
import { CAPABILITY_VERSION } from "../../../operations/manifest.ts";
import { findHarness } from "../../../services/harnesses/find.ts";
import { harnessHealth } from "../../../services/harnesses/health.ts";
import { listHarnesses } from "../../../services/harnesses/list.ts";
import { harnessManifest } from "../../../services/harnesses/manifest.ts";
import { registerHarness } from "../../../services/harnesses/register.ts";
import { unregisterHarness } from "../../../services/harnesses/unregister.ts";
import { updateHarness } from "../../../services/harnesses/update.ts";
import { validateCredentials as validateCredentialsVerb } from "../../../services/harnesses/validate-credentials.ts";
import type * as routes from "./harnesses.routes.ts";
import { toHarnessView } from "./harnesses.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const ctx = authed(c);
  const page = await listHarnesses({ ctx, input: c.req.valid("query") });
  return c.json(
    toEnvelope(page, (row) => toHarnessView(row, ctx.origin)),
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const ctx = authed(c);
  const row = await findHarness({ ctx, input: { ref: c.req.valid("param").harnessId } });
  return c.json({ harness: toHarnessView(row, ctx.origin) }, 200);
};

export const register: AppRouteHandler<typeof routes.register> = async (c) => {
  const ctx = authed(c);
  const { capabilities: _capabilities, credentials: _credentials, description, ...body } = c.req.valid("json");
  const row = await registerHarness({ ctx, input: { ...body, description: description ?? "" } });
  c.header("location", `/v1/harnesses/${row.slug}`);
  return c.json({ harness: toHarnessView(row, ctx.origin) }, 201);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const ctx = authed(c);
  const row = await updateHarness({ ctx, input: { ref: c.req.valid("param").harnessId, ...c.req.valid("json") } });
  return c.json({ harness: toHarnessView(row, ctx.origin) }, 200);
};

export const unregister: AppRouteHandler<typeof routes.unregister> = async (c) => {
  await unregisterHarness({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } });
  return c.body(null, 204);
};

export const capabilities: AppRouteHandler<typeof routes.capabilities> = async (c) => {
  const { harness, manifest } = await harnessManifest({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } });
  return c.json({ harness_id: harness.slug, harness_name: harness.displayName, version: CAPABILITY_VERSION, capabilities: manifest }, 200);
};

export const health: AppRouteHandler<typeof routes.health> = async (c) => {
  const result = await harnessHealth({
    ctx: c.var.services,
    input: { ref: c.req.valid("param").harnessId, principal: c.get("principal") },
  });
  return c.json(result, 200);
};

export const validateCredentials: AppRouteHandler<typeof routes.validateCredentials> = async (c) => {
  const result = await validateCredentialsVerb({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...c.req.valid("json") } });
  return c.json(result, 200);
};
