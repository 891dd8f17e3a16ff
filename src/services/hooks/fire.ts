/**
 * Firing hooks. Every firing is recorded on the harness event stream as `hook.triggered`
 * `{hook_id, event, data}` (spec §6.6) — for a blocking hook with the decision it led to.
 *
 *   non-blocking (every event but pre_tool): the `hook.triggered` payload is POSTed through the webhook
 *     queue — at least once, signed (Standard Webhooks + `X-OpenHarness-Signature`) with the hook's
 *     secret, retried after 1 min, 5 min, 30 min and 2 h; each delivery is a `webhook_deliveries` row.
 *   blocking (pre_tool): POSTed directly, signed the same way, and awaited for up to the hook's
 *     `timeout_ms`. The answer decides: 2xx with `{"action": "allow"}` (or an empty body) allows,
 *     `{"action": "deny", "reason": "…"}` denies (the model sees the reason as a failed tool result),
 *     `{"action": "rewrite", "input": {…}}` replaces the tool input. A timeout, a non-2xx answer, an
 *     unreadable answer or a refused URL applies the hook's `on_error` (allow | deny). Hooks run one
 *     after another in registration order; a denial stops the chain; a rewrite is what the next one sees.
 */
import { and, asc, eq } from "drizzle-orm";
import { hooks } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import type { JsonObject } from "../../lib/json.ts";
import { nowIso } from "../../lib/time.ts";
import { webhookSignatureHeaders } from "../../lib/webhook-signature.ts";
import type { BeforeToolCallVerdict } from "../../runtime/tools/invoke.ts";
import type { AuthedContext } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { publishHarnessEvent, type HarnessRef } from "../harness-events/publish.ts";
import { enqueueWebhookDelivery } from "../webhooks/enqueue.ts";
import type { HookEventName } from "./events.ts";
import type { HookRow } from "./find.ts";
import { harnessOutboundVerdict } from "../network/policy.ts";
import { openSecret } from "../secrets.ts";

/** Characters of a tool input or output put in a queued hook payload (queue messages are ≤ 128 KB). */
export const MAX_HOOK_FIELD_CHARS = 32 * 1024;
/** Characters of a blocking hook's answer read. */
const MAX_ANSWER_CHARS = 256 * 1024;

/** `value`, or `{truncated: true, preview}` when its JSON is longer than {@link MAX_HOOK_FIELD_CHARS}. */
export function clipped(value: unknown): unknown {
  const json = JSON.stringify(value ?? null);
  return json.length <= MAX_HOOK_FIELD_CHARS ? value : { truncated: true, preview: json.slice(0, MAX_HOOK_FIELD_CHARS) };
}

async function enabledHooks(ctx: AuthedContext, harnessId: string, event: HookEventName): Promise<HookRow[]> {
  return ctx.db
    .select()
    .from(hooks)
    .where(and(eq(hooks.orgId, ctx.principal.orgId), eq(hooks.harnessId, harnessId), eq(hooks.event, event), eq(hooks.enabled, true)))
    .orderBy(asc(hooks.createdAt), asc(hooks.id));
}

function triggered(hook: HookRow, harness: HarnessRef, event: HookEventName, data: JsonObject) {
  return { type: "hook.triggered" as const, hook_id: hook.id, event, harness_id: harness.slug, timestamp: nowIso(), data };
}

/**
 * Fires the enabled non-blocking hooks of `event` through the queue and records each firing. Never
 * throws: a hook that cannot be fired is logged (and recorded as an `error` event).
 */
export async function fireHooks(ctx: AuthedContext, input: { harness: HarnessRef; event: HookEventName; data: JsonObject }): Promise<void> {
  let list: HookRow[];
  try {
    list = await enabledHooks(ctx, input.harness.id, input.event);
  } catch (error) {
    ctx.log.error("hooks could not be read", { error, event: input.event });
    return;
  }
  let harness: HarnessRow | undefined;
  for (const hook of list) {
    try {
      // The URL passed when the hook was registered; the harness's policy may have narrowed since.
      harness ??= await findHarness({ ctx, input: { ref: input.harness.id, includeDeleted: true } });
      const target = await harnessOutboundVerdict(ctx, harness, hook.handler.url);
      if (!target.ok) {
        await publishHarnessEvent(ctx, {
          harness: input.harness,
          event: { type: "hook.triggered", hook_id: hook.id, event: input.event, data: { ...input.data, refused: target.reason } },
        });
        continue;
      }
      const payload = triggered(hook, input.harness, input.event, input.data);
      const { deliveryId } = await enqueueWebhookDelivery({
        ctx,
        input: {
          orgId: ctx.principal.orgId,
          webhookId: hook.id,
          url: hook.handler.url,
          event: "hook.triggered",
          payload,
          secret: { sealed: hook.secretSealed, aad: `hook:${hook.id}` },
        },
      });
      await publishHarnessEvent(ctx, {
        harness: input.harness,
        event: { type: "hook.triggered", hook_id: hook.id, event: input.event, data: { ...input.data, delivery_id: deliveryId } },
      });
    } catch (error) {
      ctx.log.error("a hook could not be fired", { hook_id: hook.id, event: input.event, error });
    }
  }
}

/** A tool call as a pre_tool hook sees it. */
export interface PreToolCall {
  executionId?: string;
  sessionId?: string | null;
  toolCallId: string;
  tool: { name: string; source: { kind: string; id?: string } };
  input: Record<string, unknown>;
}

/** What one blocking hook decided, and how (`answer`, or `on_error` with the failure). */
type Decision = { verdict: BeforeToolCallVerdict; by: "answer" | "on_error"; error?: string };

/** Reads a blocking hook's answer. @returns the verdict, or the reason it is unusable */
function readAnswer(text: string): BeforeToolCallVerdict | string {
  if (text.trim() === "") return { action: "allow" };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "the answer is not JSON";
  }
  const answer = (body ?? {}) as { action?: unknown; reason?: unknown; input?: unknown };
  if (answer.action === "allow") return { action: "allow" };
  if (answer.action === "deny")
    return { action: "deny", reason: typeof answer.reason === "string" && answer.reason ? answer.reason : "denied by a pre_tool hook" };
  if (answer.action === "rewrite") {
    if (answer.input && typeof answer.input === "object" && !Array.isArray(answer.input))
      return { action: "rewrite", input: answer.input as Record<string, unknown> };
    return "a rewrite answer needs an `input` object";
  }
  return 'the answer needs "action": "allow", "deny" or "rewrite"';
}

async function askHook(
  ctx: AuthedContext,
  harness: Awaited<ReturnType<typeof findHarness>>,
  hook: HookRow,
  body: string,
  signal?: AbortSignal,
): Promise<Decision> {
  const fallback = (error: string): Decision => ({
    verdict:
      hook.onError === "allow"
        ? { action: "allow" }
        : { action: "deny", reason: `the pre_tool hook ${hook.id} gave no usable answer (${error}); its on_error policy is deny` },
    by: "on_error",
    error,
  });
  const target = await harnessOutboundVerdict(ctx, harness, hook.handler.url);
  if (!target.ok) return fallback(`${target.reason} (rule: ${target.rule})`);
  const secret = await openSecret(ctx, hook.secretSealed, `hook:${hook.id}`);
  if (!secret) return fallback("the hook's signing secret cannot be opened");
  const timeout = AbortSignal.timeout(hook.timeoutMs);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "EdgeHarness-Hooks/1",
        ...(await webhookSignatureHeaders({ id: newId("delivery"), at: new Date(), body, secret })),
      },
      body,
      redirect: "manual",
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    const text = (await response.text()).slice(0, MAX_ANSWER_CHARS);
    if (!response.ok) return fallback(`the hook answered HTTP ${response.status}`);
    const verdict = readAnswer(text);
    return typeof verdict === "string" ? fallback(verdict) : { verdict, by: "answer" };
  } catch {
    if (signal?.aborted) throw signal.reason;
    return fallback(timeout.aborted ? `no answer within ${hook.timeoutMs} ms` : "the hook could not be reached");
  }
}

/**
 * Runs the harness's enabled pre_tool hooks on a call (see the module comment) and records each firing.
 * Never throws except for `signal`'s abort.
 */
export async function runPreToolHooks(
  ctx: AuthedContext,
  input: { harnessId: string; call: PreToolCall; signal?: AbortSignal },
): Promise<BeforeToolCallVerdict> {
  const list = await enabledHooks(ctx, input.harnessId, "pre_tool");
  if (list.length === 0) return { action: "allow" };
  const harness = await findHarness({ ctx, input: { ref: input.harnessId } });
  const ref = { id: harness.id, slug: harness.slug };
  let current = input.call.input;
  let rewritten = false;
  for (const hook of list) {
    const data: JsonObject = {
      execution_id: input.call.executionId ?? null,
      session_id: input.call.sessionId ?? null,
      tool_call_id: input.call.toolCallId,
      tool: { name: input.call.tool.name, source: input.call.tool.source.kind },
      input: current as JsonObject,
    };
    const decision = await askHook(ctx, harness, hook, JSON.stringify(triggered(hook, ref, "pre_tool", data)), input.signal);
    await publishHarnessEvent(ctx, {
      harness: ref,
      event: {
        type: "hook.triggered",
        hook_id: hook.id,
        event: "pre_tool",
        data: {
          ...data,
          input: clipped(current) as JsonObject,
          decision: {
            action: decision.verdict.action,
            by: decision.by,
            ...(decision.verdict.action === "deny" ? { reason: decision.verdict.reason } : {}),
            ...(decision.error ? { error: decision.error } : {}),
          },
        },
      },
    }).catch((error: unknown) => ctx.log.error("recording a hook firing failed", { hook_id: hook.id, error }));
    if (decision.verdict.action === "deny") return decision.verdict;
    if (decision.verdict.action === "rewrite") {
      current = decision.verdict.input;
      rewritten = true;
    }
  }
  return rewritten ? { action: "rewrite", input: current } : { action: "allow" };
}
