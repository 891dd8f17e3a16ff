/**
 * Model providers and where their credentials come from.
 * A model id is `<provider>/<model>`: `anthropic/claude-sonnet-4-5`, `openai/gpt-4.1-mini`,
 * `openai-compatible/llama3.2` (any OpenAI-compatible base URL: Ollama, vLLM, OpenRouter …),
 * `workers-ai/@cf/meta/llama-3.1-8b-instruct` (the AI binding) and `scripted/<script>` (deterministic).
 */

export const PROVIDERS = ["anthropic", "openai", "openai-compatible", "workers-ai", "scripted"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Providers whose keys `harnesses.validateCredentials` can check and store. */
export const KEYED_PROVIDERS = ["anthropic", "openai", "openai-compatible"] as const;
export type KeyedProvider = (typeof KEYED_PROVIDERS)[number];

/** Default API base URLs (the same ones the AI SDK providers use). */
export const DEFAULT_BASE_URLS: Record<Exclude<KeyedProvider, "openai-compatible">, string> = {
  anthropic: "https://api.anthropic.com/v1",
  openai: "https://api.openai.com/v1",
};

/** OAF / agent model aliases → full model ids. */
export const MODEL_ALIASES: Record<string, string> = {
  haiku: "anthropic/claude-haiku-4-5",
  sonnet: "anthropic/claude-sonnet-4-5",
  opus: "anthropic/claude-opus-4-1",
};

/** A provider key plus the base URL it is used with. */
export interface ProviderCredential {
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

/** Splits `provider/model`; `undefined` when the provider part is unknown or the model part empty. */
export function parseModelId(id: string): { provider: ProviderName; model: string } | undefined {
  const resolved = MODEL_ALIASES[id] ?? id;
  const slash = resolved.indexOf("/");
  if (slash <= 0) return undefined;
  const provider = resolved.slice(0, slash) as ProviderName;
  const model = resolved.slice(slash + 1);
  if (!PROVIDERS.includes(provider) || model.length === 0) return undefined;
  return { provider, model };
}

/** Result of a key check: `valid` plus a human-readable reason when not. */
export interface ProbeResult {
  valid: boolean;
  error?: string;
}

/** Upper bound on one credential check, ms. */
export const PROBE_TIMEOUT_MS = 10_000;

/**
 * Checks a provider key with the cheapest authenticated call the provider has: `GET {base}/models`
 * (OpenAI and compatible servers: `Authorization: Bearer`; Anthropic: `x-api-key` +
 * `anthropic-version`). 2xx = valid; 401/403 = invalid key; anything else = not verifiable.
 * `baseUrl` must already have passed the SSRF check.
 */
export async function probeProviderKey(provider: KeyedProvider, apiKey: string, baseUrl: string): Promise<ProbeResult> {
  const headers: Record<string, string> =
    provider === "anthropic" ? { "x-api-key": apiKey, "anthropic-version": "2023-06-01" } : { authorization: `Bearer ${apiKey}` };
  let response: Response;
  try {
    response = await fetch(`${baseUrl.replace(/\/+$/, "")}/models`, {
      headers,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
  } catch (error) {
    return { valid: false, error: `Could not reach ${provider} at ${baseUrl}: ${error instanceof Error ? error.name : "network error"}` };
  }
  await response.body?.cancel();
  if (response.ok) return { valid: true };
  if (response.status === 401 || response.status === 403) {
    return { valid: false, error: `${provider} rejected the key (HTTP ${response.status}).` };
  }
  return { valid: false, error: `${provider} answered HTTP ${response.status}; the key could not be verified.` };
}
