import { eq } from "drizzle-orm";
import { organizations, type AgentConfigJson } from "../../db/schema.ts";
import { checkNetworkPolicy, type NetworkPolicyLayer } from "../../lib/network-policy.ts";
import { checkOutboundUrl } from "../../lib/outbound-url.ts";
import { MODEL_ALIASES, parseModelId, type ProviderCredential, type ProviderName } from "../../runtime/models/providers.ts";
import { hasScript, SCRIPT_NAMES } from "../../runtime/models/scripted.ts";
import type { Config } from "../../config.ts";
import { ASSISTANT_SLUG } from "../assistant/provision.ts";
import type { ServiceContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { openCredential } from "../harnesses/stored-credentials.ts";

/** A model that can be called: provider, model name and the credential to call it with. */
export interface ResolvedModel {
  ok: true;
  /** Full id, e.g. `anthropic/claude-sonnet-4-5` (aliases expanded). */
  modelId: string;
  provider: ProviderName;
  model: string;
  /** Which layer named the model (request, agent, harness, parent harness, organization, deployment). */
  source: string;
  /** Where the key came from: re-readable deployment secrets, or a stored/inline key handed to the run. */
  keySource: "deployment" | "handed" | "none";
  apiKey?: string;
  baseUrl?: string;
}

/** Why no model could be used, with the setting that would fix it. */
export interface UnavailableModel {
  ok: false;
  modelId: string;
  detail: string;
  /** What to set (an env var, a request field, a binding). */
  setting: string;
}

/** Inline credentials from a request (`harness_credentials`): used for one run, never stored. */
export interface InlineCredentials {
  api_key?: string;
  base_url?: string;
}

/** The layers a run's model may come from, most specific first. */
export interface ModelLayers {
  orgId: string;
  harness: HarnessRow;
  /** Parent chain of the harness, nearest first. */
  parents?: HarnessRow[];
  agentConfig?: AgentConfigJson;
  requestModel?: string;
  inline?: InlineCredentials;
  /**
   * The run's network policy layers (`services/network/policy.ts` `networkPolicyLayers`): a base URL a
   * user gave (inline or stored credentials) must pass them; the deployment's own base URLs are the
   * operator's and are not judged by a harness's policy.
   */
  networkLayers?: NetworkPolicyLayer[];
}

/** The offline model of the built-in assistant: the scripted assistant that answers through its insight tools. */
export const OFFLINE_ASSISTANT_MODEL = "scripted/assistant";

/**
 * The deployment default for `harness`: `DEFAULT_MODEL` — except that when it is a scripted model (an
 * offline deployment: nothing better is configured), the built-in assistant uses the scripted
 * assistant rather than, say, the echo script, so it really answers about the organization.
 */
function deploymentDefault(defaultModel: string, harness: HarnessRow): string {
  const offline = parseModelId(defaultModel)?.provider === "scripted";
  return offline && harness.isBuiltIn && harness.slug === ASSISTANT_SLUG ? OFFLINE_ASSISTANT_MODEL : defaultModel;
}

function agentModel(config: AgentConfigJson | undefined): string | undefined {
  const model = config?.model;
  if (!model) return undefined;
  if (typeof model === "string") return model;
  return `${model.provider}/${model.name}`;
}

/** The model id a run gets along request > agent > harness > parents > organization > deployment, and where it came from. */
async function chosenModelId(ctx: ServiceContext, layers: ModelLayers): Promise<[string, string]> {
  const candidates: [string | undefined | null, string][] = [
    [layers.requestModel, "request"],
    [agentModel(layers.agentConfig), "agent"],
    [layers.harness.defaultModelId, "harness"],
    ...(layers.parents ?? []).map((p): [string | null, string] => [p.defaultModelId, `parent harness ${p.slug}`]),
  ];
  const chosen = candidates.find(([id]) => !!id);
  if (chosen) return chosen as [string, string];
  const org = await ctx.db.select({ m: organizations.defaultModel }).from(organizations).where(eq(organizations.id, layers.orgId)).get();
  return org?.m ? [org.m, "organization"] : [deploymentDefault(ctx.config.defaultModel, layers.harness), "deployment"];
}

/**
 * Resolves the model of a run along request > agent > harness > parent harness > organization default >
 * deployment default (DESIGN.md; for the built-in assistant on an offline deployment, the scripted
 * assistant — see `deploymentDefault`), then checks it can actually be called: a known provider, a configured
 * key or binding, a base URL that passes the SSRF check. Stored harness credentials (sealed) win over
 * deployment secrets; inline request credentials win over both.
 */
export async function resolveModelChain(ctx: ServiceContext, layers: ModelLayers): Promise<ResolvedModel | UnavailableModel> {
  const [rawId, source] = await chosenModelId(ctx, layers);
  const parsed = parseModelId(rawId);
  if (!parsed) {
    return {
      ok: false,
      modelId: rawId,
      detail: `Model ${rawId} is not a known model id (from the ${source}).`,
      setting: `a model id of the form provider/model with provider one of anthropic, openai, openai-compatible, workers-ai, scripted (aliases: ${Object.keys(MODEL_ALIASES).join(", ")})`,
    };
  }
  const modelId = `${parsed.provider}/${parsed.model}`;
  const base = { modelId, provider: parsed.provider, model: parsed.model, source };
  switch (parsed.provider) {
    case "scripted":
      return hasScript(parsed.model)
        ? { ok: true, ...base, keySource: "none" }
        : {
            ok: false,
            modelId,
            detail: `No scripted model named ${parsed.model}.`,
            setting: `one of scripted/${SCRIPT_NAMES.join(", scripted/")}`,
          };
    case "workers-ai":
      return (ctx.env as unknown as { AI?: unknown }).AI
        ? { ok: true, ...base, keySource: "none" }
        : {
            ok: false,
            modelId,
            detail: "Workers AI is not bound on this deployment.",
            setting: "an [ai] binding named AI in wrangler.toml",
          };
    case "anthropic":
    case "openai":
    case "openai-compatible":
      return keyedModel(ctx, layers, { ...base, provider: parsed.provider });
  }
}

/** A model of a provider that needs a key (and maybe a base URL): inline > stored > deployment credentials. */
async function keyedModel(
  ctx: ServiceContext,
  layers: ModelLayers,
  base: { modelId: string; provider: "anthropic" | "openai" | "openai-compatible"; model: string; source: string },
): Promise<ResolvedModel | UnavailableModel> {
  const { modelId, provider } = base;
  const stored = await storedCredential(ctx, layers, provider);
  const deployment = deploymentCredential(provider, ctx.config);
  const apiKey = layers.inline?.api_key ?? stored?.apiKey ?? deployment.apiKey;
  const baseUrl = layers.inline?.base_url ?? stored?.baseUrl ?? deployment.baseUrl;
  if (provider === "openai-compatible" && !baseUrl) {
    return {
      ok: false,
      modelId,
      detail: "No base URL is configured for openai-compatible models.",
      setting: "OPENAI_COMPATIBLE_BASE_URL (or OPENAI_BASE_URL), or harness credentials with base_url",
    };
  }
  if (provider !== "openai-compatible" && !apiKey) {
    const envName = provider === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
    return {
      ok: false,
      modelId,
      detail: `No ${provider} API key is configured.`,
      setting: `${envName}, or store a key with harnesses.validateCredentials (store: true)`,
    };
  }
  if (baseUrl) {
    const verdict = checkOutboundUrl(baseUrl, ctx.config.privateHostAllowlist);
    if (!verdict.ok) {
      return {
        ok: false,
        modelId,
        detail: `The ${provider} base URL ${verdict.reason}.`,
        setting: "a public https base URL (or add the host to OUTBOUND_PRIVATE_HOST_ALLOWLIST for a local server)",
      };
    }
    const userGiven = !!(layers.inline?.base_url ?? stored?.baseUrl);
    const policy = userGiven && layers.networkLayers ? checkNetworkPolicy(verdict.url, layers.networkLayers) : ({ ok: true } as const);
    if (!policy.ok) {
      return {
        ok: false,
        modelId,
        detail: `The ${provider} base URL is refused by the network policy: ${policy.reason} (rule ${policy.rule}).`,
        setting: `a base URL that ${policy.source}'s network_access allows, or widen network_access`,
      };
    }
  }
  const keySource = layers.inline?.api_key || stored ? "handed" : apiKey ? "deployment" : "none";
  return { ok: true, ...base, keySource, ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}) };
}

/** The sealed key stored for this harness (or the nearest parent that has one), opened. */
async function storedCredential(
  ctx: ServiceContext,
  layers: ModelLayers,
  provider: string,
): Promise<{ apiKey: string; baseUrl?: string } | undefined> {
  for (const harness of [layers.harness, ...(layers.parents ?? [])]) {
    const stored = await openCredential(ctx, { orgId: layers.orgId, harnessId: harness.id, provider });
    if (stored) return stored;
  }
  return undefined;
}

/**
 * The deployment's own credential for a provider (secrets/vars), if any:
 * anthropic ← ANTHROPIC_API_KEY/ANTHROPIC_BASE_URL; openai ← OPENAI_API_KEY/OPENAI_BASE_URL;
 * openai-compatible ← OPENAI_COMPATIBLE_* falling back to OPENAI_* (a local Ollama set as OPENAI_BASE_URL).
 */
export function deploymentCredential(provider: ProviderName, config: Config): ProviderCredential {
  switch (provider) {
    case "anthropic":
      return { apiKey: config.anthropicApiKey, baseUrl: config.anthropicBaseUrl };
    case "openai":
      return { apiKey: config.openaiApiKey, baseUrl: config.openaiBaseUrl };
    case "openai-compatible":
      return {
        apiKey: config.openaiCompatibleApiKey ?? config.openaiApiKey,
        baseUrl: config.openaiCompatibleBaseUrl ?? config.openaiBaseUrl,
      };
    default:
      return { apiKey: undefined, baseUrl: undefined };
  }
}
