import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { capabilityCatalog } from "../../../services/harnesses/catalog.ts";
import { findHarness } from "../../../services/harnesses/find.ts";
import { listHarnesses } from "../../../services/harnesses/list.ts";
import { registerHarness } from "../../../services/harnesses/register.ts";
import { resolveHarness } from "../../../services/harnesses/resolved.ts";
import { copyHarness, deleteHarness } from "../../../services/harnesses/lifecycle.ts";
import { updateHarness } from "../../../services/harnesses/update.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./harnesses.routes.ts";
import { toHarnessDefinition } from "./harnesses.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const ctx = authed(c);
  const { status, ...query } = c.req.valid("query");
  const page = await listHarnesses({ ctx, input: { ...query, ...(status ? { lifecycle: status } : {}) } });
  return c.json(
    toEnvelope(page, (row) => toHarnessDefinition(row, ctx.origin)),
    200,
  );
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const ctx = authed(c);
  const body = c.req.valid("json");
  const row = await registerHarness({
    ctx,
    input: {
      id: body.name,
      name: body.display_name ?? body.name,
      vendor: "EdgeHarness",
      description: body.description ?? "",
      execution_type: "hosted",
      config: {},
      kind: "native",
      capabilityRefsField: "body.capabilities",
      system_prompt: body.system_prompt,
      ...(body.capabilities ? { capability_refs: body.capabilities } : {}),
      ...(body.default_model_id !== undefined ? { default_model_id: body.default_model_id } : {}),
      ...(body.initial_files ? { initial_files: body.initial_files } : {}),
      ...(body.mcpServers ? { mcpServers: body.mcpServers } : {}),
      ...(body.network_access !== undefined ? { network_access: body.network_access } : {}),
      ...(body.parent_harness_id !== undefined ? { parent_harness_id: body.parent_harness_id } : {}),
      ...(body.tags ? { tags: body.tags } : {}),
    },
  });
  c.header("location", `/api/v1/harnesses/${row.id}`);
  return c.json(toHarnessDefinition(row, ctx.origin), 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const ctx = authed(c);
  // A deleted harness's record stays readable by its typed id (status `deleted`, `deleted_at`).
  const row = await findHarness({ ctx, input: { ref: c.req.valid("param").harnessId, includeDeleted: true } });
  return c.json(toHarnessDefinition(row, ctx.origin), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const ctx = authed(c);
  const { display_name, description, capabilities, status, ...rest } = c.req.valid("json");
  const row = await updateHarness({
    ctx,
    input: {
      ref: c.req.valid("param").harnessId,
      capabilityRefsField: "body.capabilities",
      ...(status ? { lifecycle: status } : {}),
      ...(display_name ? { name: display_name } : {}),
      ...(description ? { description } : {}),
      ...(capabilities ? { capability_refs: capabilities } : {}),
      ...rest,
    },
  });
  return c.json(toHarnessDefinition(row, ctx.origin), 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await deleteHarness({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } });
  return c.body(null, 204);
};

export const copy: AppRouteHandler<typeof routes.copy> = async (c) => {
  const ctx = authed(c);
  const row = await copyHarness({ ctx, input: { ref: c.req.valid("param").harnessId, ...c.req.valid("json") } });
  c.header("location", `/api/v1/harnesses/${row.id}`);
  return c.json(toHarnessDefinition(row, ctx.origin), 201);
};

export const catalog: AppRouteHandler<typeof routes.catalog> = async (c) => {
  return c.json({ data: capabilityCatalog() }, 200);
};

export const resolved: AppRouteHandler<typeof routes.resolved> = async (c) => {
  const { harnessId } = c.req.valid("param");
  return c.json(await resolveHarness({ ctx: authed(c), input: { ref: harnessId } }), 200);
};
