/**
 * harnesses.validateCredentials for a remote harness: the key is the remote Open Harness server's API
 * key. It is checked with a real, cheap call (the remote's capability manifest) and, with `store: true`,
 * stored sealed (AES-256-GCM, associated data = harness + `openharness`); the manifest read with it is
 * kept on the harness.
 */
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { NO_ENCRYPTION_KEY, storeCredential } from "../harnesses/stored-credentials.ts";
import { REMOTE_PROVIDER } from "./connection.ts";
import { readRemoteManifest, saveRemoteManifest } from "./manifest.ts";

/** Result of a remote key check (the spec's `{valid, stored, error?}` plus the provider). */
export interface RemoteCredentialsResult {
  valid: boolean;
  stored: boolean;
  provider: typeof REMOTE_PROVIDER;
  error?: string;
}

/**
 * Checks (and optionally stores) the remote server's key of a remote harness.
 * @throws ApiError `validation_error` when a `base_url` is sent (a remote harness's server is its config.base_url);
 *   `network_blocked` when the remote URL is refused.
 */
export async function validateRemoteCredentials(
  ctx: AuthedContext,
  harness: HarnessRow,
  input: { api_key: string; base_url?: string; store: boolean },
): Promise<RemoteCredentialsResult> {
  if (input.base_url) {
    throw new ApiError(
      "validation_error",
      "body.base_url: a remote harness's server is its config.base_url; change it with harnesses.update.",
      {
        details: { field: "body.base_url" },
        actions: [{ rel: "fix-input", hint: "Omit base_url." }],
      },
    );
  }
  const read = await readRemoteManifest(ctx, harness, input.api_key);
  if (!read.ok) return { valid: false, stored: false, provider: REMOTE_PROVIDER, error: read.error };
  if (!input.store) return { valid: true, stored: false, provider: REMOTE_PROVIDER };
  const stored = await storeCredential(
    ctx,
    { orgId: ctx.principal.orgId, harnessId: harness.id, provider: REMOTE_PROVIDER },
    input.api_key,
  );
  if (!stored) return { valid: true, stored: false, provider: REMOTE_PROVIDER, error: NO_ENCRYPTION_KEY };
  await saveRemoteManifest(ctx, harness, read.manifest);
  return { valid: true, stored: true, provider: REMOTE_PROVIDER };
}
