import { ApiError } from "../../errors/api-error.ts";
import { checkOutboundUrl } from "../../lib/outbound-url.ts";
import { DEFAULT_BASE_URLS, parseModelId, probeProviderKey, type KeyedProvider } from "../../runtime/models/providers.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertOutboundAllowed, networkPolicyLayers } from "../network/policy.ts";
import { REMOTE_PROVIDER } from "../remote/connection.ts";
import { validateRemoteCredentials } from "../remote/credentials.ts";
import { findHarness, type HarnessRow } from "./find.ts";
import { NO_ENCRYPTION_KEY, storeCredential } from "./stored-credentials.ts";

/** Input of {@link validateCredentials} (spec body plus an optional `provider`). */
export interface ValidateCredentialsInput {
  ref: string;
  api_key: string;
  base_url?: string;
  store: boolean;
  /** A model provider, or `openharness` for a remote harness's server key. */
  provider?: KeyedProvider | typeof REMOTE_PROVIDER;
}

/** Spec response `{valid, stored, error?}` plus the provider that was checked. */
export interface ValidateCredentialsResult {
  valid: boolean;
  stored: boolean;
  provider: KeyedProvider | typeof REMOTE_PROVIDER;
  error?: string;
}

/** Which provider a key is for: explicit, else the harness's default model's provider, else by key shape. */
export function inferProvider(harness: HarnessRow, input: { provider?: KeyedProvider; api_key: string; base_url?: string }): KeyedProvider {
  if (input.provider) return input.provider;
  const fromModel = harness.defaultModelId ? parseModelId(harness.defaultModelId)?.provider : undefined;
  if (fromModel === "anthropic" || fromModel === "openai" || fromModel === "openai-compatible") return fromModel;
  if (input.api_key.startsWith("sk-ant-")) return "anthropic";
  return input.base_url ? "openai-compatible" : "openai";
}

/**
 * harnesses.validateCredentials — `POST /v1/harnesses/{harnessId}/validate-credentials`.
 * Checks the key with a real provider call; with `store: true` and a valid key, stores it sealed with
 * AES-256-GCM under the deployment's `CREDENTIALS_ENCRYPTION_KEY`. An invalid key is `valid: false` in a
 * 200 body (401 is reserved for the caller's own credentials).
 * @throws ApiError `validation_error` when `base_url` fails the SSRF check or is missing for openai-compatible;
 *   `network_blocked` when the harness chain's `network_access` refuses the `base_url` given.
 */
export async function validateCredentials({
  ctx,
  input,
}: VerbArgs<AuthedContext, ValidateCredentialsInput>): Promise<ValidateCredentialsResult> {
  const harness = await findHarness({ ctx, input });
  if (harness.kind === "remote" && (input.provider === undefined || input.provider === REMOTE_PROVIDER)) {
    return validateRemoteCredentials(ctx, harness, input);
  }
  if (input.provider === REMOTE_PROVIDER) {
    throw new ApiError(
      "validation_error",
      `body.provider: openharness keys belong to remote harnesses; ${harness.slug} is ${harness.kind}.`,
      {
        details: { field: "body.provider" },
        actions: [{ rel: "fix-input", hint: "Send the model provider the key is for (anthropic, openai, openai-compatible)." }],
      },
    );
  }
  const provider = inferProvider(harness, { ...input, provider: input.provider });
  const base = input.base_url ?? (provider === "openai-compatible" ? undefined : DEFAULT_BASE_URLS[provider]);
  if (!base) {
    throw new ApiError("validation_error", "base_url is required for openai-compatible credentials.", {
      details: { field: "body.base_url" },
      actions: [{ rel: "fix-input", hint: "Send the server's base URL, e.g. https://openrouter.ai/api/v1." }],
    });
  }
  const verdict = checkOutboundUrl(base, ctx.config.privateHostAllowlist);
  if (!verdict.ok) {
    throw new ApiError("validation_error", `base_url ${verdict.reason}.`, {
      details: { field: "body.base_url" },
      actions: [{ rel: "fix-input", hint: "Use a public https URL of the provider's API." }],
    });
  }
  // A base URL the caller chose is an outbound URL they control: the harness chain's network_access
  // applies before the key is sent there (the default provider URLs are the deployment's, as in runs).
  if (input.base_url !== undefined) {
    assertOutboundAllowed(ctx, verdict.url.href, await networkPolicyLayers(ctx, { harness }), "body.base_url", {
      domain: "registry",
      operation: "harnesses.validateCredentials",
    });
  }
  const probe = await probeProviderKey(provider, input.api_key, verdict.url.toString());
  if (!probe.valid) return { valid: false, stored: false, provider, ...(probe.error ? { error: probe.error } : {}) };
  if (!input.store) return { valid: true, stored: false, provider };
  const stored = await storeCredential(
    ctx,
    { orgId: ctx.principal.orgId, harnessId: harness.id, provider },
    input.api_key,
    input.base_url ?? null,
  );
  if (!stored) return { valid: true, stored: false, provider, error: NO_ENCRYPTION_KEY };
  return { valid: true, stored: true, provider };
}
