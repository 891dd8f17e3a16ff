/**
 * Secrets sealed at rest with the deployment's `CREDENTIALS_ENCRYPTION_KEY` (AES-256-GCM; the
 * associated data names the record a value belongs to, so a sealed value cannot be moved to another):
 * hook, webhook and custom-tool signing secrets, MCP headers and tokens. Provider and remote-harness
 * keys go through `harnesses/stored-credentials.ts`, which seals the same way.
 */
import { ApiError } from "../errors/api-error.ts";
import { importAesKey, openString, sealString } from "../lib/crypto.ts";
import type { ServiceContext } from "./context.ts";

/**
 * The deployment's sealing key.
 * @throws ApiError `secrets_unavailable` (503) when `CREDENTIALS_ENCRYPTION_KEY` is not set.
 */
export async function sealingKey(ctx: Pick<ServiceContext, "config">): Promise<CryptoKey> {
  if (!ctx.config.credentialsEncryptionKey) {
    throw new ApiError("secrets_unavailable", "This deployment cannot store secrets: CREDENTIALS_ENCRYPTION_KEY is not set.", {
      actions: [{ rel: "configure", hint: "Set the CREDENTIALS_ENCRYPTION_KEY secret (base64 of 32 random bytes)." }],
    });
  }
  return importAesKey(ctx.config.credentialsEncryptionKey);
}

/**
 * Seals `secret` for the record `aad` (e.g. `hook:{id}`, `webhook:{id}`).
 * @throws ApiError `secrets_unavailable` (503) when the deployment has no `CREDENTIALS_ENCRYPTION_KEY`
 */
export async function sealSecret(ctx: Pick<ServiceContext, "config">, secret: string, aad: string): Promise<string> {
  return sealString(await sealingKey(ctx), secret, aad);
}

/** Opens a sealed secret; undefined when the key is missing or changed (or the value was tampered with). */
export async function openSecret(ctx: Pick<ServiceContext, "config">, sealed: string, aad: string): Promise<string | undefined> {
  const key = ctx.config.credentialsEncryptionKey;
  if (!key) return undefined;
  try {
    return await openString(await importAesKey(key), sealed, aad);
  } catch {
    return undefined;
  }
}
