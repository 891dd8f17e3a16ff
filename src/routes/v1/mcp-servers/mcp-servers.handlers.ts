import type { AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { listServerItems } from "../../../services/mcp/catalog.ts";
import { connectMcpServer } from "../../../services/mcp/connect.ts";
import { checkMcpHealth } from "../../../services/mcp/health.ts";
import { disconnectMcpServer, updateMcpServer } from "../../../services/mcp/manage.ts";
import { getMcpServer, listMcpServers } from "../../../services/mcp/read.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./mcp-servers.routes.ts";
import { toHealthView, toMcpServerView } from "./mcp-servers.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const query = c.req.valid("query");
  const { harness, items, total } = await listMcpServers({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...query } });
  const envelope = toEnvelope({ items, total, limit: query.limit, offset: query.offset }, (item) => toMcpServerView(item, harness.slug));
  return c.json({ ...envelope, servers: envelope.data }, 200);
};

export const connect: AppRouteHandler<typeof routes.connect> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const connection = await connectMcpServer({ ctx: authed(c), input: { ref: harnessId, ...c.req.valid("json") } });
  const view = toMcpServerView(connection, connection.harnessSlug);
  c.header("location", `/v1/harnesses/${connection.harnessSlug}/mcp-servers/${view.id}`);
  return c.json({ server: view }, 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  const { harness, connection } = await getMcpServer({ ctx: authed(c), input: { ref: harnessId, serverId } });
  return c.json({ server: toMcpServerView(connection, harness.slug) }, 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  const connection = await updateMcpServer({ ctx: authed(c), input: { ref: harnessId, serverId, ...c.req.valid("json") } });
  return c.json({ server: toMcpServerView(connection, connection.harnessSlug) }, 200);
};

export const disconnect: AppRouteHandler<typeof routes.disconnect> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  await disconnectMcpServer({ ctx: authed(c), input: { ref: harnessId, serverId } });
  return c.body(null, 204);
};

const refresh = (value: string | undefined) => value === "true" || value === "1";

export const listTools: AppRouteHandler<typeof routes.listTools> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  const { catalog } = await listServerItems({
    ctx: authed(c),
    input: { ref: harnessId, serverId, refresh: refresh(c.req.valid("query").refresh), operation: "mcp.listTools" },
  });
  return c.json({ tools: catalog.tools }, 200);
};

export const listResources: AppRouteHandler<typeof routes.listResources> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  const { catalog } = await listServerItems({
    ctx: authed(c),
    input: { ref: harnessId, serverId, refresh: refresh(c.req.valid("query").refresh), operation: "mcp.listResources" },
  });
  return c.json({ resources: catalog.resources }, 200);
};

export const listPrompts: AppRouteHandler<typeof routes.listPrompts> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  const { catalog } = await listServerItems({
    ctx: authed(c),
    input: { ref: harnessId, serverId, refresh: refresh(c.req.valid("query").refresh), operation: "mcp.listPrompts" },
  });
  return c.json({ prompts: catalog.prompts }, 200);
};

export const health: AppRouteHandler<typeof routes.health> = async (c) => {
  const { harnessId, serverId } = c.req.valid("param");
  const { health: result, connection, harnessSlug } = await checkMcpHealth({ ctx: authed(c), input: { ref: harnessId, serverId } });
  return c.json(toHealthView(result, toMcpServerView(connection, harnessSlug)), 200);
};
