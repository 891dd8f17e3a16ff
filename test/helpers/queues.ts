/** Unit-style queue tests: a batch run through the Worker's real queue handler. */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../src/index.ts";

/**
 * Runs one batch of `queue` through the Worker's queue handler, spying on every message's retry.
 * Messages get ids `m0`, `m1`, … in order, with their `attempts` (1 = first delivery).
 * @returns the batch's result (acks, retries) and one `retry` spy per message, in order.
 */
export async function runBatch(queue: string, messages: { body: unknown; attempts: number }[]) {
  const batch = createMessageBatch(
    queue,
    messages.map((m, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: m.attempts, body: m.body })),
  );
  const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<Env>).queue!(batch, env, ctx);
  return { result: await getQueueResult(batch, ctx), retries };
}
