/**
 * Signing an outbound webhook two ways at once:
 *   - Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`,
 *     `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's bytes
 *     (`whsec_<base64>`), computed by the `standardwebhooks` library itself;
 *   - Open Harness (spec §8.2): `X-OpenHarness-Signature: sha256=<lowercase hex HMAC-SHA256 of the raw
 *     body>`, keyed with the secret string exactly as it was shown to the user.
 * A receiver verifies either. The timestamp is the attempt's, so each retry is signed afresh.
 */
import { Webhook } from "standardwebhooks";

/** Prefix of the secrets this deployment mints (Standard Webhooks convention). */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** A new secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${WEBHOOK_SECRET_PREFIX}${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The headers of one signed delivery attempt of `body` (the exact bytes sent).
 * @param id the delivery's `webhook-id`, the same on every attempt
 * @param at the attempt's time
 */
export async function webhookSignatureHeaders(input: {
  id: string;
  at: Date;
  body: string;
  secret: string;
}): Promise<Record<string, string>> {
  const timestamp = Math.floor(input.at.getTime() / 1000);
  const standard = new Webhook(input.secret).sign(input.id, new Date(timestamp * 1000), input.body);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(input.secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input.body)));
  const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": standard,
    "x-openharness-signature": `sha256=${hex}`,
  };
}
