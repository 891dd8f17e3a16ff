/**
 * Deployment configuration: vars and secrets parsed once per isolate (per `env` object).
 * Optional secrets stay undefined; malformed values fail loudly at first use.
 */

/** Parsed configuration. Secrets are held here only; never log this object. */
export interface Config {
  /**
   * The deployment's public origin (`https://harness.example.com`), when set: the OAuth issuer, the
   * base of every absolute URL, and the only Host the MCP server accepts (DNS-rebinding protection).
   * Unset: derived from each request's URL (local development).
   */
  publicOrigin: string | undefined;
  /** Model id used when no other layer names one (resolution order in DESIGN.md). */
  defaultModel: string;
  /** Hosts that may be reached although they resolve to private/loopback addresses (lowercase). */
  privateHostAllowlist: Set<string>;
  /** Requests per user (principal subject) per UTC day when the organization sets none (`DAILY_REQUEST_QUOTA`). */
  dailyRequestQuota: number;
  /** Model tokens (input + output) per organization per UTC day when it sets none (`DAILY_TOKEN_BUDGET`). */
  dailyTokenBudget: number;
  /** base64 of 32 bytes: AES-GCM key for stored provider credentials; undefined when not set. */
  credentialsEncryptionKey: string | undefined;
  anthropicApiKey: string | undefined;
  anthropicBaseUrl: string | undefined;
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  openaiCompatibleBaseUrl: string | undefined;
  openaiCompatibleApiKey: string | undefined;
}

const cache = new WeakMap<object, Config>();

function optional(env: Record<string, unknown>, name: string): string | undefined {
  const value = env[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * A non-negative integer var (a TOML string or number), or `fallback` when unset.
 * @throws Error naming the var when it is set to anything else — a typo must not silently lift a limit.
 */
function nonNegativeInt(env: Record<string, unknown>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return fallback;
  const value = typeof raw === "number" ? raw : Number(String(raw).trim());
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** Deployment default of `DAILY_REQUEST_QUOTA` when the var is absent. */
export const DEFAULT_DAILY_REQUEST_QUOTA = 1000;
/** Deployment default of `DAILY_TOKEN_BUDGET` when the var is absent. */
export const DEFAULT_DAILY_TOKEN_BUDGET = 2_000_000;

/** The origin of `value`, or undefined when unset. Throws (fails loudly) when it is not an absolute URL. */
function parseOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return new URL(value).origin;
}

/** Returns the configuration for `env`, parsing it on first use. */
export function getConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const raw = env as unknown as Record<string, unknown>;
  const config: Config = {
    publicOrigin: parseOrigin(optional(raw, "PUBLIC_ORIGIN")),
    defaultModel: optional(raw, "DEFAULT_MODEL") ?? "scripted/echo",
    privateHostAllowlist: new Set(
      (optional(raw, "OUTBOUND_PRIVATE_HOST_ALLOWLIST") ?? "")
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
    dailyRequestQuota: nonNegativeInt(raw, "DAILY_REQUEST_QUOTA", DEFAULT_DAILY_REQUEST_QUOTA),
    dailyTokenBudget: nonNegativeInt(raw, "DAILY_TOKEN_BUDGET", DEFAULT_DAILY_TOKEN_BUDGET),
    credentialsEncryptionKey: optional(raw, "CREDENTIALS_ENCRYPTION_KEY"),
    anthropicApiKey: optional(raw, "ANTHROPIC_API_KEY"),
    anthropicBaseUrl: optional(raw, "ANTHROPIC_BASE_URL"),
    openaiApiKey: optional(raw, "OPENAI_API_KEY"),
    openaiBaseUrl: optional(raw, "OPENAI_BASE_URL"),
    openaiCompatibleBaseUrl: optional(raw, "OPENAI_COMPATIBLE_BASE_URL"),
    openaiCompatibleApiKey: optional(raw, "OPENAI_COMPATIBLE_API_KEY"),
  };
  cache.set(env, config);
  return config;
}
