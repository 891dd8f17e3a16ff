import type { Context } from "hono";
import type { AppEnv, AppRouteHandler } from "../../../context.ts";
import { toEnvelope } from "../../../lib/page.ts";
import { listHarnessEvents, streamHarnessEvents } from "../../../services/harness-events/list.ts";
import { findHook, listHooks } from "../../../services/hooks/find.ts";
import { registerHook } from "../../../services/hooks/register.ts";
import { unregisterHook } from "../../../services/hooks/unregister.ts";
import { updateHook } from "../../../services/hooks/update.ts";
import { deleteWebhook as deleteWebhookVerb } from "../../../services/webhooks/delete.ts";
import { listWebhooks as listWebhooksVerb } from "../../../services/webhooks/list.ts";
import { registerWebhook as registerWebhookVerb } from "../../../services/webhooks/register.ts";
import { authed } from "../../authed.ts";
import { passStream, streamCursor } from "../../sse.ts";
import type * as routes from "./hooks.routes.ts";
import { toHookView, toStoredEvent, toWebhookView } from "./hooks.schemas.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { event } = c.req.valid("query");
  const found = await listHooks({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...(event ? { event } : {}) } });
  return c.json({ hooks: found.hooks.map((h) => toHookView(h)) }, 200);
};

export const register: AppRouteHandler<typeof routes.register> = async (c) => {
  const body = c.req.valid("json");
  const { hook, secret } = await registerHook({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId, ...body } });
  return c.json({ hook: toHookView(hook, secret) }, 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { harnessId, hookId } = c.req.valid("param");
  const { hook } = await findHook({ ctx: authed(c), input: { ref: harnessId, hookId } });
  return c.json({ hook: toHookView(hook) }, 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { harnessId, hookId } = c.req.valid("param");
  const hook = await updateHook({ ctx: authed(c), input: { ref: harnessId, hookId, ...c.req.valid("json") } });
  return c.json({ hook: toHookView(hook) }, 200);
};

export const unregister: AppRouteHandler<typeof routes.unregister> = async (c) => {
  const { harnessId, hookId } = c.req.valid("param");
  await unregisterHook({ ctx: authed(c), input: { ref: harnessId, hookId } });
  return c.body(null, 204);
};

export const streamEvents: AppRouteHandler<typeof routes.streamEvents> = async (c) => {
  const { events } = c.req.valid("query");
  const response = await streamHarnessEvents({
    ctx: authed(c),
    input: {
      ref: c.req.valid("param").harnessId,
      lastEventId: streamCursor(c),
      events: events === undefined ? [] : Array.isArray(events) ? events : [events],
    },
  });
  return passStream(c, response) as never;
};

/**
 * hooks.streamEvents as POST with a JSON body `{events}` (spec §9.1 #3: the reference client sends its
 * filter that way). Same stream; `Last-Event-ID` as on GET.
 */
export async function streamEventsPost(
  c: Context<AppEnv>,
  body: { events?: string[] | undefined },
  lastEventId: number,
): Promise<Response> {
  const response = await streamHarnessEvents({
    ctx: authed(c),
    input: { ref: c.req.param("harnessId") ?? "", lastEventId, events: body.events ?? [] },
  });
  return passStream(c, response);
}

export const listEvents: AppRouteHandler<typeof routes.listEvents> = async (c) => {
  const { limit, offset, type, since } = c.req.valid("query");
  const { page } = await listHarnessEvents({
    ctx: authed(c),
    input: { ref: c.req.valid("param").harnessId, limit, offset, ...(type ? { type } : {}), ...(since ? { since } : {}) },
  });
  return c.json(toEnvelope(page, toStoredEvent), 200);
};

export const registerWebhook: AppRouteHandler<typeof routes.registerWebhook> = async (c) => {
  const { webhook, secret } = await registerWebhookVerb({
    ctx: authed(c),
    input: { ref: c.req.valid("param").harnessId, ...c.req.valid("json") },
  });
  return c.json({ webhook: toWebhookView(webhook, { secret }) }, 201);
};

export const listWebhooks: AppRouteHandler<typeof routes.listWebhooks> = async (c) => {
  const found = await listWebhooksVerb({ ctx: authed(c), input: { ref: c.req.valid("param").harnessId } });
  return c.json({ webhooks: found.webhooks.map((w) => toWebhookView(w.webhook, { deliveries: w })) }, 200);
};

export const deleteWebhook: AppRouteHandler<typeof routes.deleteWebhook> = async (c) => {
  const { harnessId, webhookId } = c.req.valid("param");
  await deleteWebhookVerb({ ctx: authed(c), input: { ref: harnessId, webhookId } });
  return c.body(null, 204);
};
