/**
 * The Worker's `queue` handler: each batch goes to the consumer of the queue it came from.
 * @throws Error for a queue this Worker does not consume (a wrangler.toml mistake: fail loudly).
 */
import { WEBHOOK_DLQ_NAME, WEBHOOK_QUEUE_NAME } from "./messages.ts";
import { consumeWebhookBatch, consumeWebhookDeadLetters } from "./webhook-delivery.ts";

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case WEBHOOK_QUEUE_NAME:
      return consumeWebhookBatch(batch, env);
    case WEBHOOK_DLQ_NAME:
      return consumeWebhookDeadLetters(batch, env);
    default:
      throw new Error(`no consumer for queue ${batch.queue}`);
  }
}
