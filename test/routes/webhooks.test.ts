import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/index.ts";
import { webhookDeliveries, webhooks } from "../../src/db/schema.ts";
import { WEBHOOK_DLQ_NAME, WEBHOOK_QUEUE_NAME, type WebhookDeliveryV1 } from "../../src/queues/messages.ts";
import { WEBHOOK_RETRY_DELAYS_SECONDS } from "../../src/queues/webhook-delivery.ts";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";
import { runBatch } from "../helpers/queues.ts";
import { received, type Received } from "../helpers/webhooks.ts";
import { waitForResult } from "../helpers/executions.ts";

const RECEIVER = env.RECEIVER_URL;
const db = () => createDb(env.DB);

/** Verifies both signatures of a received delivery: Standard Webhooks (the library) and X-OpenHarness-Signature. */
async function verifyBoth(secret: string, got: Received): Promise<unknown> {
  const payload = new Webhook(secret).verify(got.body, got.headers);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const hex = got.headers["x-openharness-signature"]!.replace(/^sha256=/, "");
  const mac = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  expect(await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(got.body))).toBe(true);
  return payload;
}

/** The queue message of a recorded delivery, as the producer sent it (body and sealed secret from D1). */
async function messageOf(deliveryId: string): Promise<WebhookDeliveryV1> {
  const row = (await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get())!;
  const hook = (await db().select().from(webhooks).where(eq(webhooks.id, row.webhookId!)).get())!;
  return {
    v: 1,
    kind: "webhook.delivery",
    delivery_id: row.id,
    org_id: row.orgId,
    url: row.url,
    event: row.event,
    body: row.body!,
    secret: { sealed: hook.secretSealed, aad: `webhook:${hook.id}` },
  };
}

describe("webhooks.register / list / delete", () => {
  it("registers with a generated secret shown once (masked afterwards), lists and deletes", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const created = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
      url: `${RECEIVER}/hooks/reg`,
      events: ["execution.completed"],
    });
    expect(created.status).toBe(201);
    expect(created.body.webhook).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: `${RECEIVER}/hooks/reg`,
      events: ["execution.completed"],
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    const secret = created.body.webhook.secret as string;
    const listed = await org.json("GET", `/v1/harnesses/${h.id}/webhooks`);
    expect(listed.body.webhooks).toEqual([
      expect.objectContaining({
        id: created.body.webhook.id,
        secret: `whsec_…${secret.slice(-4)}`,
        last_delivery: null,
        failed_deliveries: 0,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const row = await db().select().from(webhooks).where(eq(webhooks.id, created.body.webhook.id)).get();
    expect(row!.secretSealed).not.toContain(secret.slice(6, 20));
    expect((await org.fetch(`/v1/harnesses/${h.id}/webhooks/${created.body.webhook.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/webhooks/${created.body.webhook.id}`), 404, "webhook_not_found");
    expect((await org.json("GET", `/v1/harnesses/${h.id}/webhooks`)).body.webhooks).toEqual([]);
  });

  it("refuses non-HTTPS and private URLs and hosts the network policy blocks (422 network_blocked), what is no URL, bad events and secrets (400); other organizations get 404", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { network_access: { allowed: ["*.example.com"] } });
    for (const url of ["http://hooks.example.com/x", "https://10.1.2.3/x", "https://192.168.1.1/x"]) {
      await expectProblem(
        await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, { url, events: ["execution.completed"] }),
        422,
        "network_blocked",
      );
    }
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, { url: "not a url", events: ["execution.completed"] }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, { url: "https://evil.test/x", events: ["execution.completed"] }),
      422,
      "network_blocked",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, { url: "https://hooks.example.com/x", events: ["whatever"] }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
        url: "https://hooks.example.com/x",
        events: ["execution.completed"],
        secret: "short",
      }),
      400,
      "validation_error",
    );
    const ok = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
      url: "https://hooks.example.com/x",
      events: ["execution.completed"],
    });
    expect(ok.status).toBe(201);
    const other = await newOrg();
    await expectProblem(await other.json("GET", `/v1/harnesses/${h.id}/webhooks`), 404, "harness_not_found");
    await expectProblem(await other.json("DELETE", `/v1/harnesses/${h.id}/webhooks/${ok.body.webhook.id}`), 404, "harness_not_found");
  });
});

describe("webhooks.executionCompleted", () => {
  it("delivers the spec payload through the queue, verified with standardwebhooks and the plain HMAC", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const name = `done-${crypto.randomUUID()}`;
    const created = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
      url: `${RECEIVER}/hooks/${name}`,
      events: ["execution.completed"],
    });
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello" });
    await waitForResult(org, h.id, started.body.execution_id);
    await vi.waitFor(async () => expect(await received(name)).toHaveLength(1), { timeout: 10_000, interval: 100 });
    const [got] = await received(name);
    const payload = await verifyBoth(created.body.webhook.secret, got!);
    expect(payload).toEqual({
      event: "execution.completed",
      execution_id: started.body.execution_id,
      harness_id: h.id,
      status: "completed",
      artifacts: [],
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) },
      completed_at: expect.any(String),
      result_url: `https://edgeharness.test/v1/harnesses/${h.id}/executions/${started.body.execution_id}/result`,
    });
    expect(got!.headers["content-type"]).toBe("application/json");
    await vi.waitFor(async () => {
      const listed = await org.json("GET", `/v1/harnesses/${h.id}/webhooks`);
      expect(listed.body.webhooks[0].last_delivery).toMatchObject({ id: got!.headers["webhook-id"], status: "delivered", attempts: 1 });
    });
  });

  it("reaches a receiver that is down for the first deliveries exactly once (dedup by webhook-id), retrying after 1 min, 5 min, 30 min", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const name = `flaky-${crypto.randomUUID()}`;
    const created = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
      url: `${RECEIVER}/hooks/${name}?fail=3`,
      events: ["execution.completed"],
    });
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello" });
    await waitForResult(org, h.id, started.body.execution_id);
    // The first attempt happens through the real queue, and fails.
    let deliveryId = "";
    await vi.waitFor(
      async () => {
        const row = await db()
          .select()
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.webhookId, created.body.webhook.id)))
          .get();
        expect(row).toMatchObject({ status: "retrying", attempts: 1, lastStatus: 503 });
        deliveryId = row!.id;
      },
      { timeout: 10_000, interval: 100 },
    );
    // Its retries, as the queue redelivers them: the delay grows on the spec's schedule until the receiver is back.
    const message = await messageOf(deliveryId);
    for (const attempt of [2, 3]) {
      const { result, retries } = await runBatch(WEBHOOK_QUEUE_NAME, [{ body: message, attempts: attempt }]);
      expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m0"]);
      expect(retries[0]).toHaveBeenCalledWith({ delaySeconds: WEBHOOK_RETRY_DELAYS_SECONDS[attempt - 1] });
    }
    const { result } = await runBatch(WEBHOOK_QUEUE_NAME, [{ body: message, attempts: 4 }]);
    expect(result.explicitAcks).toEqual(["m0"]);
    const attempts = await received(name);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    // The receiver's view: every attempt carries the same webhook-id and verifies; deduplicated, it processed one event.
    const ids = new Set(attempts.map((a) => a.headers["webhook-id"]));
    expect(ids).toEqual(new Set([deliveryId]));
    const processed = new Map<string, unknown>();
    for (const a of attempts) {
      const payload = await verifyBoth(created.body.webhook.secret, a);
      if (!processed.has(a.headers["webhook-id"]!)) processed.set(a.headers["webhook-id"]!, payload);
    }
    expect([...processed.values()]).toEqual([expect.objectContaining({ execution_id: started.body.execution_id })]);
    const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get();
    expect(row).toMatchObject({ status: "delivered", attempts: 4, lastStatus: 204 });
  });

  it("shows a dead delivery on the webhook and redelivers it with the same webhook-id", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const name = `dead-${crypto.randomUUID()}`;
    const created = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, {
      url: `${RECEIVER}/hooks/${name}?fail=1`,
      events: ["execution.completed"],
    });
    const webhookId = created.body.webhook.id as string;
    const started = await org.json("POST", `/v1/harnesses/${h.id}/execute`, { message: "hello" });
    await waitForResult(org, h.id, started.body.execution_id);
    let deliveryId = "";
    await vi.waitFor(
      async () => {
        const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).get();
        expect(row?.attempts).toBe(1);
        deliveryId = row!.id;
      },
      { timeout: 10_000, interval: 100 },
    );
    const busy = await org.json("POST", `/api/v1/harnesses/${h.id}/webhooks/${webhookId}/deliveries/${deliveryId}/redeliver`);
    await expectProblem(busy, 409, "delivery_in_progress");
    // After the last retry the queue hands it to the dead-letter consumer.
    await runBatch(WEBHOOK_DLQ_NAME, [{ body: await messageOf(deliveryId), attempts: 1 }]);
    const listed = await org.json("GET", `/v1/harnesses/${h.id}/webhooks`);
    expect(listed.body.webhooks[0]).toMatchObject({ failed_deliveries: 1, last_delivery: { id: deliveryId, status: "dead" } });
    const dead = await org.json("GET", `/api/v1/harnesses/${h.id}/webhooks/${webhookId}/deliveries?status=dead`);
    expect(dead.body).toMatchObject({
      total: 1,
      data: [{ id: deliveryId, status: "dead", last_status: 503, last_error: expect.stringContaining("HTTP 503") }],
    });
    const again = await org.json("POST", `/api/v1/harnesses/${h.id}/webhooks/${webhookId}/deliveries/${deliveryId}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.delivery).toMatchObject({ id: deliveryId, status: "pending", attempts: 0 });
    await vi.waitFor(
      async () => {
        const row = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get();
        expect(row?.status).toBe("delivered");
      },
      { timeout: 10_000, interval: 100 },
    );
    const attempts = await received(name);
    expect(attempts.map((a) => a.headers["webhook-id"])).toEqual([deliveryId, deliveryId]);
    await verifyBoth(created.body.webhook.secret, attempts[1]!);
    const other = await newOrg();
    await expectProblem(await other.json("GET", `/api/v1/harnesses/${h.id}/webhooks/${webhookId}/deliveries`), 404, "harness_not_found");
    await expectProblem(
      await org.json("POST", `/api/v1/harnesses/${h.id}/webhooks/${webhookId}/deliveries/dlv_nope/redeliver`),
      404,
      "delivery_not_found",
    );
  });
});
