import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { createDb } from "../../src/db/index.ts";
import { webhookDeliveries } from "../../src/db/schema.ts";
import { importAesKey, sealString } from "../../src/lib/crypto.ts";
import { newWebhookSecret } from "../../src/lib/webhook-signature.ts";
import { INLINE_WEBHOOK_BODY_MAX_BYTES, WEBHOOK_DLQ_NAME, WEBHOOK_QUEUE_NAME, type WebhookDeliveryV1 } from "../../src/queues/messages.ts";
import { WEBHOOK_RETRY_DELAYS_SECONDS } from "../../src/queues/webhook-delivery.ts";
import { enqueueWebhookDelivery } from "../../src/services/webhooks/enqueue.ts";
import { newOrg } from "../helpers/api.ts";
import { runBatch } from "../helpers/queues.ts";
import { received } from "../helpers/webhooks.ts";

const RECEIVER = env.RECEIVER_URL;
const db = () => createDb(env.DB);

async function sealed(secret: string, aad: string) {
  return { sealed: await sealString(await importAesKey(env.CREDENTIALS_ENCRYPTION_KEY), secret, aad), aad };
}

/** A delivery row and its queue message, as the producer writes them (without sending). */
async function delivery(orgId: string, url: string, secret: string | null): Promise<WebhookDeliveryV1> {
  const id = `dlv_${crypto.randomUUID().replaceAll("-", "")}`;
  const at = new Date().toISOString();
  await db().insert(webhookDeliveries).values({
    id,
    orgId,
    webhookId: null,
    url,
    event: "execution.completed",
    status: "pending",
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  });
  return {
    v: 1,
    kind: "webhook.delivery",
    delivery_id: id,
    org_id: orgId,
    url,
    event: "execution.completed",
    body: JSON.stringify({ event: "execution.completed", execution_id: "exec_1" }),
    secret: secret ? await sealed(secret, `webhook:${id}`) : null,
  };
}

describe("the webhook queue", () => {
  it("delivers a message, signed so that the standardwebhooks library and a plain HMAC both verify it", async () => {
    const org = await newOrg();
    const secret = newWebhookSecret();
    const name = `ok-${crypto.randomUUID()}`;
    const message = await delivery(org.orgId, `${RECEIVER}/hooks/${name}`, secret);
    const { result } = await runBatch(WEBHOOK_QUEUE_NAME, [{ body: message, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m0"]);
    const [got] = await received(name);
    expect(got!.body).toBe(message.body);
    expect(new Webhook(secret).verify(got!.body, got!.headers)).toEqual(JSON.parse(message.body!));
    expect(got!.headers["webhook-id"]).toBe(message.delivery_id);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const hex = got!.headers["x-openharness-signature"]!.replace(/^sha256=/, "");
    const mac = new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(got!.body))).toBe(true);
    const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, message.delivery_id)).get();
    expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 204, lastError: null });
  });

  it("retries a failed attempt after 1 min, 5 min, 30 min and 2 h, with the same webhook-id each time", async () => {
    const org = await newOrg();
    const name = `down-${crypto.randomUUID()}`;
    const message = await delivery(org.orgId, `${RECEIVER}/hooks/${name}?fail=10`, newWebhookSecret());
    for (const [i, delay] of WEBHOOK_RETRY_DELAYS_SECONDS.entries()) {
      const { result, retries } = await runBatch(WEBHOOK_QUEUE_NAME, [{ body: message, attempts: i + 1 }]);
      expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m0"]);
      expect(retries[0]).toHaveBeenCalledWith({ delaySeconds: delay });
    }
    const attempts = await received(name);
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.headers["webhook-id"]))).toEqual(new Set([message.delivery_id]));
    const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, message.delivery_id)).get();
    expect(row).toMatchObject({ status: "retrying", attempts: 4, lastStatus: 503, lastError: expect.stringContaining("HTTP 503") });
    // The dead-letter consumer records what never arrived.
    const dead = await runBatch(WEBHOOK_DLQ_NAME, [{ body: message, attempts: 1 }]);
    expect(dead.result.explicitAcks).toEqual(["m0"]);
    expect((await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, message.delivery_id)).get())!.status).toBe("dead");
  });

  it("acknowledges what can never succeed: an unreadable message, a private address", async () => {
    const org = await newOrg();
    const refused = await delivery(org.orgId, "https://10.0.0.7/hook", null);
    const { result, retries } = await runBatch(WEBHOOK_QUEUE_NAME, [
      { body: { v: 9, kind: "webhook.delivery" }, attempts: 1 },
      { body: refused, attempts: 1 },
    ]);
    expect(result.explicitAcks.toSorted()).toEqual(["m0", "m1"]);
    expect(retries.every((r) => r.mock.calls.length === 0)).toBe(true);
    const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, refused.delivery_id)).get();
    expect(row).toMatchObject({ status: "dead", lastError: expect.stringContaining("private") });
  });

  it("is consumed through the producer binding as deployed: enqueue, deliver, record", async () => {
    const org = await newOrg();
    const name = `e2e-${crypto.randomUUID()}`;
    const secret = newWebhookSecret();
    const { deliveryId } = await enqueueWebhookDelivery({
      ctx: { db: db(), env },
      input: {
        orgId: org.orgId,
        harnessId: "harness_none",
        webhookId: null,
        url: `${RECEIVER}/hooks/${name}`,
        event: "execution.completed",
        payload: { hello: "world" },
        secret: await sealed(secret, "e2e"),
      },
    });
    await vi.waitFor(
      async () => {
        const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get();
        expect(row?.status).toBe("delivered");
      },
      { timeout: 10_000, interval: 100 },
    );
    const [got] = await received(name);
    expect(new Webhook(secret).verify(got!.body, got!.headers)).toEqual({ hello: "world" });
  });

  it("delivers a body larger than a queue message may be (128 KB) from the delivery's row, byte for byte and signed", async () => {
    const org = await newOrg();
    const name = `big-${crypto.randomUUID()}`;
    const secret = newWebhookSecret();
    // An execution.completed payload whose output is 300 KB of multi-byte text.
    const payload = { event: "execution.completed", execution_id: "exec_big", output: "é—long output ".repeat(20_000) };
    const send = vi.spyOn(env.WEBHOOK_QUEUE, "send");
    const { deliveryId } = await enqueueWebhookDelivery({
      ctx: { db: db(), env },
      input: {
        orgId: org.orgId,
        harnessId: "harness_none",
        webhookId: null,
        url: `${RECEIVER}/hooks/${name}`,
        event: "execution.completed",
        payload,
        secret: await sealed(secret, "big"),
      },
    });
    const sent = send.mock.calls[0]![0] as WebhookDeliveryV1;
    send.mockRestore();
    expect(sent.body).toBeUndefined();
    expect(new TextEncoder().encode(JSON.stringify(sent)).byteLength).toBeLessThan(INLINE_WEBHOOK_BODY_MAX_BYTES);
    await vi.waitFor(
      async () => {
        const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get();
        expect(row?.status).toBe("delivered");
      },
      { timeout: 10_000, interval: 100 },
    );
    const [got] = await received(name);
    expect(got!.body).toBe(JSON.stringify(payload));
    expect(new Webhook(secret).verify(got!.body, got!.headers)).toEqual(payload);
  });

  it("acknowledges a message whose stored body is gone instead of retrying it", async () => {
    const org = await newOrg();
    const message = await delivery(org.orgId, `${RECEIVER}/hooks/gone-${crypto.randomUUID()}`, null);
    const { body: _inline, ...withoutBody } = message;
    const { result, retries } = await runBatch(WEBHOOK_QUEUE_NAME, [{ body: withoutBody, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(retries[0]).not.toHaveBeenCalled();
    const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, message.delivery_id)).get();
    expect(row).toMatchObject({ status: "dead", lastError: expect.stringContaining("stored body") });
  });
});
