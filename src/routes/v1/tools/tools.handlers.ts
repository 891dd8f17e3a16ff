import type { AppRouteHandler } from "../../../context.ts";
import { SSE_HEADERS } from "../../../lib/sse.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { invokeHarnessTool, invokeHarnessToolStream } from "../../../services/tools/invoke.ts";
import { getTool, listTools } from "../../../services/tools/list.ts";
import { registerTool } from "../../../services/tools/register.ts";
import { unregisterTool } from "../../../services/tools/unregister.ts";
import { authed } from "../../authed.ts";
import type * as routes from "./tools.routes.ts";
import { customToolView } from "./tools.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const query = c.req.valid("query");
  const { items, total } = await listTools({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...query } });
  const envelope = toEnvelope({ items, total, limit: query.limit, offset: query.offset }, (t) => t);
  return c.json({ ...envelope, tools: envelope.data }, 200);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, toolId } = c.req.valid("param");
  const tool = await getTool({ ctx: authed(c), input: { ref: harnessId, toolId, ...c.req.valid("query") } });
  return c.json({ tool }, 200);
};

export const register: AppRouteHandler<typeof routes.register> = async (c) => {
  const { harnessId } = c.req.valid("param");
  const { row, secret } = await registerTool({ ctx: authed(c), input: { ref: harnessId, ...c.req.valid("json") } });
  c.header("location", `/v1/harnesses/${harnessId}/tools/${row.id}`);
  return c.json({ tool: customToolView(row), signing_secret: secret }, 201);
};

export const unregister: AppRouteHandler<typeof routes.unregister> = async (c) => {
  const { harnessId, toolId } = c.req.valid("param");
  await unregisterTool({ ctx: authed(c), input: { ref: harnessId, toolId } });
  return c.body(null, 204);
};

export const invoke: AppRouteHandler<typeof routes.invoke> = async (c) => {
  const { harnessId, toolId } = c.req.valid("param");
  const result = await invokeHarnessTool({ ctx: authed(c), input: { ref: harnessId, toolId, ...c.req.valid("json") } });
  return c.json(result, 200);
};

export const invokeStream: AppRouteHandler<typeof routes.invokeStream> = async (c) => {
  const { harnessId, toolId } = c.req.valid("param");
  const stream = await invokeHarnessToolStream({
    ctx: authed(c),
    input: { ref: harnessId, toolId, ...c.req.valid("json") },
    signal: c.req.raw.signal,
  });
  return new Response(stream, { status: 200, headers: { ...SSE_HEADERS, "x-request-id": c.get("requestId") } }) as never;
};
