import { and, eq } from "drizzle-orm";
import { hooks } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness } from "../harnesses/find.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { hookEventOf, type HookRow } from "./find.ts";
import { assertOutboundAllowed, networkPolicyLayers } from "../network/policy.ts";
import { sealSecret } from "../secrets.ts";
import { chooseSecret, SECRET_HINT_CHARS } from "./secrets.ts";

/** How long a blocking hook may take to answer, in milliseconds: default and bounds. */
export const DEFAULT_HOOK_TIMEOUT_MS = 5_000;
export const MIN_HOOK_TIMEOUT_MS = 100;
export const MAX_HOOK_TIMEOUT_MS = 30_000;
/** Most hooks one harness may have. */
export const MAX_HOOKS_PER_HARNESS = 50;

/** Open Harness `HookHandler` as sent (`command` is refused). */
export type HookHandlerInput = { type: "webhook"; url: string } | { type: "command"; command: string };

/** hooks.register input: the spec's fields plus the blocking settings and an optional secret. */
export interface RegisterHookInput {
  ref: string;
  event: string;
  handler: HookHandlerInput;
  enabled?: boolean;
  timeout_ms?: number;
  on_error?: "allow" | "deny";
  secret?: string;
}

/**
 * A handler this deployment can run: `webhook` with a URL that passes the SSRF rules and the harness's
 * network policy.
 * @throws ApiError `hook_handler_unsupported` (422: `command` — no processes on the edge), `validation_error`, `network_blocked`
 */
export async function acceptedHandler(
  ctx: AuthedContext,
  harness: HarnessRow,
  handler: HookHandlerInput,
  operation: string,
): Promise<{ type: "webhook"; url: string }> {
  if (handler.type === "command") {
    throw new ApiError(
      "hook_handler_unsupported",
      "command handlers cannot run here: hooks run on Cloudflare's edge, where there are no processes to start. Use a webhook handler that runs the command on your side.",
      {
        domain: "hooks",
        operation,
        details: { field: "body.handler.type" },
        actions: [{ rel: "fix-input", hint: 'Send handler {"type": "webhook", "url": "https://…"}.' }],
      },
    );
  }
  const url = assertOutboundAllowed(ctx, handler.url, await networkPolicyLayers(ctx, { harness }), "body.handler.url", {
    domain: "hooks",
    operation,
  });
  return { type: "webhook", url: url.toString() };
}

/**
 * hooks.register — a hook on one of the harness's events with a webhook handler. `pre_tool` hooks are
 * blocking: the runtime waits up to `timeout_ms` for the answer and applies `on_error` (default `deny`)
 * when none usable comes. The signing secret (generated unless given) is returned once.
 * @throws ApiError `harness_not_found`, `validation_error` (event, secret, too many hooks),
 *   `hook_handler_unsupported`, `validation_error`, `network_blocked`, `secrets_unavailable`
 */
export async function registerHook({ ctx, input }: VerbArgs<AuthedContext, RegisterHookInput>): Promise<{ hook: HookRow; secret: string }> {
  const harness = await findHarness({ ctx, input });
  const event = hookEventOf(input.event, "body.event");
  const handler = await acceptedHandler(ctx, harness, input.handler, "hooks.register");
  const existing = await ctx.db.$count(hooks, and(eq(hooks.orgId, ctx.principal.orgId), eq(hooks.harnessId, harness.id)));
  if (existing >= MAX_HOOKS_PER_HARNESS) {
    throw new ApiError("validation_error", `Harness ${harness.slug} has ${existing} hooks, the most it may have.`, {
      domain: "hooks",
      actions: [{ rel: "list", operation_id: "hooks.list", href: `/v1/harnesses/${harness.slug}/hooks` }],
    });
  }
  const secret = chooseSecret(input.secret, "body.secret");
  const id = newId("hook");
  const now = nowIso();
  const row: HookRow = {
    id,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    event,
    handler,
    enabled: input.enabled ?? true,
    timeoutMs: input.timeout_ms ?? DEFAULT_HOOK_TIMEOUT_MS,
    onError: input.on_error ?? "deny",
    secretSealed: await sealSecret(ctx, secret, `hook:${id}`),
    secretHint: secret.slice(-SECRET_HINT_CHARS),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.insert(hooks).values(row);
  return { hook: row, secret };
}
