/**
 * Signing secrets of hooks and webhooks: minted (`whsec_…`) when the caller sends none, shown once,
 * stored sealed with the deployment key (AES-GCM, associated data `hook:{id}` / `webhook:{id}` — the
 * queue message carries the same sealed value), and afterwards shown only masked.
 */
import { ApiError } from "../../errors/api-error.ts";
import { newWebhookSecret } from "../../lib/webhook-signature.ts";

/** Characters of a secret kept in clear to recognise it (`whsec_…Ab3d`). */
export const SECRET_HINT_CHARS = 4;
/** Shortest secret a caller may choose, in decoded bytes (Standard Webhooks: 24–64). */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

/** The masked form shown after registration. */
export function maskedSecret(hint: string): string {
  return `whsec_…${hint}`;
}

/**
 * The caller's secret checked (Standard Webhooks form: `whsec_` + base64 of 24–64 bytes, which both
 * signatures can use), or a new one.
 * @throws ApiError `validation_error` naming the field
 */
export function chooseSecret(given: string | undefined, field: string): string {
  if (given === undefined) return newWebhookSecret();
  const body = given.startsWith("whsec_") ? given.slice(6) : "";
  let bytes = 0;
  try {
    bytes = body ? atob(body).length : 0;
  } catch {
    bytes = 0;
  }
  if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new ApiError(
      "validation_error",
      `${field} must be whsec_ followed by base64 of ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} random bytes.`,
      {
        details: { field },
        actions: [{ rel: "fix-input", hint: "Omit it: the server generates one and shows it once." }],
      },
    );
  }
  return given;
}
