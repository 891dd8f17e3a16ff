/**
 * The webhook queue's consumers (STYLE.md "queue consumer"): each message is parsed against its
 * versioned schema, delivered once — signed afresh for this attempt, SSRF-checked, 30 s timeout,
 * redirects not followed — and then acknowledged, or retried after 1 min, 5 min, 30 min and 2 h
 * (`delaySeconds`, spec §8.2). After the last retry Cloudflare Queues moves it to the dead-letter
 * queue, whose consumer marks the delivery `dead`. Every attempt is recorded on its
 * `webhook_deliveries` row, so the user can see what happened.
 */
import { and, eq, sql } from "drizzle-orm";
import type { LogInput } from "../../durable-objects/harness-events/harness-events.protocol.ts";
import { getConfig } from "../config.ts";
import { createDb } from "../db/index.ts";
import { webhookDeliveries } from "../db/schema.ts";
import { importAesKey, openString } from "../lib/crypto.ts";
import { createLogger, type Logger } from "../lib/log.ts";
import { checkOutboundUrl } from "../lib/outbound-url.ts";
import { nowIso } from "../lib/time.ts";
import { webhookSignatureHeaders } from "../lib/webhook-signature.ts";
import { writeHarnessLog } from "../services/diagnostics/harness-log.ts";
import { WebhookQueueMessage, type WebhookDeliveryV1 } from "./messages.ts";

/** Pause before retry n (after the n-th failed attempt), in seconds: 1 min, 5 min, 30 min, 2 h. */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [60, 300, 1800, 7200] as const;
/** How long one delivery attempt may take, in milliseconds (spec §8.2). */
export const WEBHOOK_TIMEOUT_MS = 30_000;
/** Characters of a failed answer's body kept as the error. */
const ERROR_BODY_CHARS = 300;

/** What one attempt came to. `retry: false` failures cannot succeed later (a refused URL, an unreadable secret). */
export type AttemptOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; retry: boolean };

/** The pause after `attempts` failed attempts, in seconds (the last delay repeats if asked beyond the schedule). */
export function retryDelaySeconds(attempts: number): number {
  return WEBHOOK_RETRY_DELAYS_SECONDS[Math.min(Math.max(attempts, 1), WEBHOOK_RETRY_DELAYS_SECONDS.length) - 1]!;
}

/**
 * The exact JSON text to POST: the message's inline body, or (for a body over
 * `INLINE_WEBHOOK_BODY_MAX_BYTES`) the one stored on the delivery's row; undefined when the row is gone.
 */
async function deliveryBody(env: Env, message: WebhookDeliveryV1): Promise<string | undefined> {
  if (message.body !== undefined) return message.body;
  const row = await createDb(env.DB)
    .select({ body: webhookDeliveries.body })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, message.delivery_id), eq(webhookDeliveries.orgId, message.org_id)))
    .get();
  return row?.body ?? undefined;
}

/** POSTs the delivery once, signed for this attempt. Never throws. */
export async function attemptDelivery(env: Env, message: WebhookDeliveryV1): Promise<AttemptOutcome> {
  const config = getConfig(env);
  const target = checkOutboundUrl(message.url, config.privateHostAllowlist);
  if (!target.ok) return { ok: false, status: null, error: `the URL ${target.reason}`, retry: false };
  let body: string | undefined;
  try {
    body = await deliveryBody(env, message);
  } catch {
    return { ok: false, status: null, error: "the stored body could not be read", retry: true };
  }
  if (body === undefined) return { ok: false, status: null, error: "the delivery's stored body is gone", retry: false };
  let headers: Record<string, string> = { "content-type": "application/json", "user-agent": "EdgeHarness-Webhooks/1" };
  if (message.secret) {
    const key = config.credentialsEncryptionKey;
    if (!key)
      return {
        ok: false,
        status: null,
        error: "the deployment has no CREDENTIALS_ENCRYPTION_KEY to open the signing secret",
        retry: false,
      };
    let secret: string;
    try {
      secret = await openString(await importAesKey(key), message.secret.sealed, message.secret.aad);
    } catch {
      return { ok: false, status: null, error: "the signing secret cannot be opened (was the encryption key rotated?)", retry: false };
    }
    headers = { ...headers, ...(await webhookSignatureHeaders({ id: message.delivery_id, at: new Date(), body, secret })) };
  }
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    const text = response.ok ? "" : (await response.text().catch(() => "")).slice(0, ERROR_BODY_CHARS);
    if (!response.ok) await response.body?.cancel().catch(() => {});
    if (response.ok) return { ok: true, status: response.status };
    const what =
      response.status >= 300 && response.status < 400 ? "redirected (redirects are not followed)" : `answered HTTP ${response.status}`;
    return { ok: false, status: response.status, error: `the receiver ${what}${text ? `: ${text}` : ""}`, retry: true };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      status: null,
      error: timedOut ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : "the receiver could not be reached",
      retry: true,
    };
  }
}

async function record(env: Env, id: string, attempts: number, outcome: AttemptOutcome, final: boolean): Promise<void> {
  const at = nowIso();
  await createDb(env.DB)
    .update(webhookDeliveries)
    .set({
      status: outcome.ok ? "delivered" : final ? "dead" : "retrying",
      attempts: sql`max(${webhookDeliveries.attempts}, ${attempts})`,
      lastStatus: outcome.status,
      lastError: outcome.ok ? null : outcome.error,
      updatedAt: at,
      ...(outcome.ok ? { deliveredAt: at } : {}),
    })
    .where(eq(webhookDeliveries.id, id));
}

/** Logs one attempt to the harness's log: delivered (`info`), to be retried (`warn`), or given up (`error`). */
async function logAttempt(
  env: Env,
  delivery: WebhookDeliveryV1,
  attempt: number,
  outcome: AttemptOutcome,
  retryInSeconds: number | null,
  log: Logger,
): Promise<void> {
  if (!delivery.harness_id) return;
  const what = `${delivery.event} delivery ${delivery.delivery_id}`;
  const line: LogInput = outcome.ok
    ? { level: "info", message: `${what} delivered (attempt ${attempt}, HTTP ${outcome.status})` }
    : retryInSeconds !== null
      ? { level: "warn", message: `${what} failed (attempt ${attempt}): ${outcome.error}; retrying in ${retryInSeconds} s` }
      : { level: "error", message: `${what} failed for good (attempt ${attempt}): ${outcome.error}` };
  line.context = {
    delivery_id: delivery.delivery_id,
    event: delivery.event,
    attempt,
    ...(outcome.status !== null ? { status: outcome.status } : {}),
    ...(retryInSeconds !== null ? { retry_in_seconds: retryInSeconds } : {}),
  };
  await writeHarnessLog(env, { orgId: delivery.org_id, harnessId: delivery.harness_id }, [line], log);
}

/** The consumer of the delivery queue: one attempt per message, then ack or retry with the schedule's delay. */
export async function consumeWebhookBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = WebhookQueueMessage.safeParse(message.body);
      if (!parsed.success) {
        log.error("unreadable queue message dropped", { message_id: message.id, issues: parsed.error.issues.slice(0, 5) });
        message.ack();
        return;
      }
      const delivery = parsed.data;
      const outcome = await attemptDelivery(env, delivery);
      try {
        await record(env, delivery.delivery_id, message.attempts, outcome, !outcome.ok && !outcome.retry);
      } catch (error) {
        log.error("recording a delivery attempt failed", { delivery_id: delivery.delivery_id, error });
      }
      const final = outcome.ok || !outcome.retry;
      const delay = retryDelaySeconds(message.attempts);
      await logAttempt(env, delivery, message.attempts, outcome, final ? null : delay, log);
      if (final) {
        if (!outcome.ok) log.warn("webhook delivery failed for good", { delivery_id: delivery.delivery_id, error: outcome.error });
        message.ack();
        return;
      }
      message.retry({ delaySeconds: delay });
    }),
  );
}

/** The consumer of the dead-letter queue: the deliveries that never arrived are marked `dead`. */
export async function consumeWebhookDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  for (const message of batch.messages) {
    const parsed = WebhookQueueMessage.safeParse(message.body);
    if (parsed.success) {
      const at = nowIso();
      await createDb(env.DB)
        .update(webhookDeliveries)
        .set({ status: "dead", updatedAt: at })
        .where(eq(webhookDeliveries.id, parsed.data.delivery_id));
      log.warn("webhook delivery gave up after every retry", { delivery_id: parsed.data.delivery_id, url: parsed.data.url });
      if (parsed.data.harness_id)
        await writeHarnessLog(
          env,
          { orgId: parsed.data.org_id, harnessId: parsed.data.harness_id },
          [
            {
              level: "error",
              message: `${parsed.data.event} delivery ${parsed.data.delivery_id} gave up after every retry`,
              context: { delivery_id: parsed.data.delivery_id, event: parsed.data.event },
            },
          ],
          log,
        );
    } else {
      log.error("unreadable dead letter dropped", { message_id: message.id });
    }
    message.ack();
  }
}
