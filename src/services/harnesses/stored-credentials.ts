/**
 * Keys stored per harness (`harness_credentials`): model-provider keys and remote harnesses' server keys,
 * sealed with AES-256-GCM under the deployment's `CREDENTIALS_ENCRYPTION_KEY`. The one place that seals,
 * stores and opens them.
 */
import { and, eq } from "drizzle-orm";
import { harnessCredentials } from "../../db/schema.ts";
import { importAesKey, openString, sealString } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { ServiceContext } from "../context.ts";

/** AES-GCM associated data binding a stored key to its harness and provider (a key cannot be moved to another row). */
export function credentialAad(harnessId: string, provider: string): string {
  return `${harnessId}:${provider}`;
}

/** Where a key belongs: one row per (harness, provider), inside an organization. */
export interface CredentialSlot {
  orgId: string;
  harnessId: string;
  provider: string;
}

/** A stored key, opened. */
export interface OpenedCredential {
  apiKey: string;
  /** The provider base URL stored with a model key, when one was given. */
  baseUrl?: string;
}

/** Why a key was not stored (the deployment has no encryption key), for the response's `error`. */
export const NO_ENCRYPTION_KEY = "This deployment has no CREDENTIALS_ENCRYPTION_KEY secret, so the key was not stored.";

/**
 * Seals `apiKey` and upserts it into its slot (replacing the previous key and base URL).
 * @returns false, storing nothing, when the deployment has no `CREDENTIALS_ENCRYPTION_KEY`.
 */
export async function storeCredential(
  ctx: ServiceContext,
  slot: CredentialSlot,
  apiKey: string,
  baseUrl: string | null = null,
): Promise<boolean> {
  if (!ctx.config.credentialsEncryptionKey) return false;
  const key = await importAesKey(ctx.config.credentialsEncryptionKey);
  const sealed = await sealString(key, apiKey, credentialAad(slot.harnessId, slot.provider));
  const now = nowIso();
  await ctx.db
    .insert(harnessCredentials)
    .values({ id: newId("credential"), ...slot, sealedApiKey: sealed, baseUrl, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [harnessCredentials.harnessId, harnessCredentials.provider],
      set: { sealedApiKey: sealed, baseUrl, updatedAt: now },
    });
  return true;
}

/**
 * The key stored in a slot, opened; undefined when there is none or the deployment has no
 * `CREDENTIALS_ENCRYPTION_KEY`. Throws (from AES-GCM) only when a row was tampered with.
 */
export async function openCredential(ctx: ServiceContext, slot: CredentialSlot): Promise<OpenedCredential | undefined> {
  if (!ctx.config.credentialsEncryptionKey) return undefined;
  const row = await ctx.db
    .select()
    .from(harnessCredentials)
    .where(
      and(
        eq(harnessCredentials.harnessId, slot.harnessId),
        eq(harnessCredentials.orgId, slot.orgId),
        eq(harnessCredentials.provider, slot.provider),
      ),
    )
    .get();
  if (!row) return undefined;
  const key = await importAesKey(ctx.config.credentialsEncryptionKey);
  const apiKey = await openString(key, row.sealedApiKey, credentialAad(slot.harnessId, slot.provider));
  return { apiKey, ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}) };
}
