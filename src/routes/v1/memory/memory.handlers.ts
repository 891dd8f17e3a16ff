import type { Context } from "hono";
import type { AppEnv, AppRouteHandler } from "../../../context.ts";
import { validationError } from "../../../errors/handlers.ts";
import { BooleanQuery } from "../../../openapi/schemas.ts";
import { addToArchive as addToArchiveVerb } from "../../../services/memory/add-to-archive.ts";
import { createBlock as createBlockVerb } from "../../../services/memory/create-block.ts";
import { deleteBlock as deleteBlockVerb } from "../../../services/memory/delete-block.ts";
import { exportMemory as exportVerb, type MemoryExport } from "../../../services/memory/export.ts";
import { getBlock as getBlockVerb } from "../../../services/memory/get-block.ts";
import { getMemory } from "../../../services/memory/get-memory.ts";
import { importMemory as importVerb } from "../../../services/memory/import.ts";
import { listArchive } from "../../../services/memory/list-archive.ts";
import { listBlocks as listBlocksVerb } from "../../../services/memory/list-blocks.ts";
import { searchMemory } from "../../../services/memory/search.ts";
import { updateBlock as updateBlockVerb } from "../../../services/memory/update-block.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./memory.routes.ts";
import { toMemoryState } from "./memory.schemas.ts";

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const state = await getMemory({ ctx: authed(c), input: { ref: harnessId, agentId } });
  return c.json({ memory: toMemoryState(state) }, 200);
};

export const listBlocks: AppRouteHandler<typeof routes.listBlocks> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  return c.json({ blocks: await listBlocksVerb({ ctx: authed(c), input: { ref: harnessId, agentId } }) }, 200);
};

export const getBlock: AppRouteHandler<typeof routes.getBlock> = async (c) => {
  const { harnessId, agentId, label } = c.req.valid("param");
  return c.json({ block: await getBlockVerb({ ctx: authed(c), input: { ref: harnessId, agentId, label } }) }, 200);
};

export const updateBlock: AppRouteHandler<typeof routes.updateBlock> = async (c) => {
  const { harnessId, agentId, label } = c.req.valid("param");
  const body = c.req.valid("json");
  const block = await updateBlockVerb({ ctx: authed(c), input: { ref: harnessId, agentId, label, ...body } });
  return c.json({ block }, 200);
};

export const createBlock: AppRouteHandler<typeof routes.createBlock> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const block = await createBlockVerb({ ctx: authed(c), input: { ref: harnessId, agentId, ...c.req.valid("json") } });
  return c.json({ block }, 201);
};

export const deleteBlock: AppRouteHandler<typeof routes.deleteBlock> = async (c) => {
  const { harnessId, agentId, label } = c.req.valid("param");
  await deleteBlockVerb({ ctx: authed(c), input: { ref: harnessId, agentId, label } });
  return c.body(null, 204);
};

export const search: AppRouteHandler<typeof routes.search> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const body = c.req.valid("json");
  const results = await searchMemory({
    ctx: authed(c),
    input: { ref: harnessId, agentId, query: body.query, limit: body.limit, sources: body.include_archive ? "all" : "blocks" },
  });
  return c.json({ results }, 200);
};

export const getArchive: AppRouteHandler<typeof routes.getArchive> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const page = await listArchive({ ctx: authed(c), input: { ref: harnessId, agentId, ...c.req.valid("query") } });
  return c.json(
    toEnvelope(page, (e) => e),
    200,
  );
};

export const addToArchive: AppRouteHandler<typeof routes.addToArchive> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const entry = await addToArchiveVerb({ ctx: authed(c), input: { ref: harnessId, agentId, ...c.req.valid("json") } });
  return c.json({ entry }, 201);
};

function zipResponse(requestId: string, exported: MemoryExport): Response {
  return new Response(exported.bytes, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-length": String(exported.bytes.byteLength),
      "content-disposition": `attachment; filename="${exported.filename.replace(/["\\\r\n]/g, "_")}"`,
      "x-request-id": requestId,
    },
  });
}

export const exportMemory: AppRouteHandler<typeof routes.exportMemory> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const body = (c.req.valid("json") as { include_archive?: boolean } | undefined) ?? {};
  const exported = await exportVerb({ ctx: authed(c), input: { ref: harnessId, agentId, includeArchive: body.include_archive ?? true } });
  return zipResponse(c.get("requestId"), exported);
};

/**
 * memory.export as the reference client calls it: `GET …/memory/export?include_archive=` (spec §9.3 R1).
 * A plain route beside the documented POST (the scope guard is mounted with it in `memory.index.ts`).
 * @throws ApiError `validation_error` for an `include_archive` that is not true/false/1/0.
 */
export const exportMemoryGet = async (c: Context<AppEnv>): Promise<Response> => {
  const flag = c.req.query("include_archive");
  const parsed = BooleanQuery.optional().safeParse(flag);
  if (!parsed.success) throw validationError(parsed.error, "query.include_archive");
  const exported = await exportVerb({
    ctx: authed(c),
    input: { ref: c.req.param("harnessId") ?? "", agentId: c.req.param("agentId") ?? "", includeArchive: parsed.data ?? true },
  });
  return zipResponse(c.get("requestId"), exported);
};

export const importMemory: AppRouteHandler<typeof routes.importMemory> = async (c) => {
  const { harnessId, agentId } = c.req.valid("param");
  const form = c.req.valid("form");
  const summary = await importVerb({
    ctx: authed(c),
    input: { ref: harnessId, agentId, snapshot: new Uint8Array(await form.snapshot.arrayBuffer()), mergeStrategy: form.merge_strategy },
  });
  return c.json(summary, 200);
};
