/**
 * The network policy in force for outbound calls a user controls (MCP servers, webhook tools,
 * `web_fetch`, provider base URLs, and — for the issues that add them — webhooks and hook handlers):
 * the layers of a run or a harness, and the one check every such URL passes, together with the
 * private-address (SSRF) rule. Everything outbound that a user can point somewhere goes through
 * {@link outboundVerdict} or {@link policyFetch}; nothing builds its own check.
 */
import { and, eq } from "drizzle-orm";
import { agents, sessions, type NetworkAccess } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { checkNetworkPolicy, type NetworkPolicyLayer } from "../../lib/network-policy.ts";
import { checkOutboundUrl } from "../../lib/outbound-url.ts";
import { guardedFetch } from "../../lib/outbound-fetch.ts";
import type { ServiceContext } from "../context.ts";
import { parentChain } from "../harnesses/chain.ts";
import type { HarnessRow } from "../harnesses/find.ts";

/** The rule named when the private-address (SSRF) guard refuses a URL. */
export const SSRF_RULE = "private addresses are unreachable (OUTBOUND_PRIVATE_HOST_ALLOWLIST names the exceptions)";

/** What a policy is computed for: a harness, and optionally the agent and session of a run. */
export interface PolicyScope {
  harness: HarnessRow;
  /** The harness's parents, nearest first, when the caller has them already. */
  parents?: HarnessRow[];
  agentId?: string | null;
  sessionId?: string | null;
}

function layer(source: string, access: NetworkAccess | null | undefined): NetworkPolicyLayer[] {
  if (!access || (!access.allowed?.length && !access.blocked?.length)) return [];
  return [{ source, ...(access.allowed ? { allowed: access.allowed } : {}), ...(access.blocked ? { blocked: access.blocked } : {}) }];
}

/**
 * The network policy layers of a harness (its parents, farthest first, then itself) and, for a run, of
 * its agent and session: every layer can only narrow what the others allow (`lib/network-policy.ts`).
 * The one place that says which layers exist — webhooks, hooks and tools all call it.
 */
export async function networkPolicyLayers(ctx: Pick<ServiceContext, "db">, scope: PolicyScope): Promise<NetworkPolicyLayer[]> {
  const parents = scope.parents ?? (await parentChain(ctx, scope.harness));
  const layers: NetworkPolicyLayer[] = [
    ...[...parents].reverse().flatMap((p) => layer(`parent harness ${p.slug}`, p.networkAccess)),
    ...layer(`harness ${scope.harness.slug}`, scope.harness.networkAccess),
  ];
  if (scope.agentId) {
    const agent = await ctx.db
      .select({ slug: agents.slug, networkAccess: agents.networkAccess })
      .from(agents)
      .where(and(eq(agents.id, scope.agentId), eq(agents.orgId, scope.harness.orgId)))
      .get();
    if (agent) layers.push(...layer(`agent ${agent.slug}`, agent.networkAccess));
  }
  if (scope.sessionId) {
    const session = await ctx.db
      .select({ networkAccess: sessions.networkAccess })
      .from(sessions)
      .where(and(eq(sessions.id, scope.sessionId), eq(sessions.orgId, scope.harness.orgId)))
      .get();
    if (session) layers.push(...layer(`session ${scope.sessionId}`, session.networkAccess));
  }
  return layers;
}

/** What {@link outboundVerdict} decided: the URL to call, or the reason and the rule that refused it. */
export type OutboundVerdict = { ok: true; url: URL } | { ok: false; reason: string; rule: string };

/**
 * Judges one outbound URL: the private-address (SSRF) rule first, then the layers' policy.
 * A refusal names the rule (`blocked: 169.254.169.254`, `allowed: *.example.com`, or {@link SSRF_RULE}).
 */
export function outboundVerdict(ctx: Pick<ServiceContext, "config">, url: string | URL, layers: NetworkPolicyLayer[]): OutboundVerdict {
  const ssrf = checkOutboundUrl(String(url), ctx.config.privateHostAllowlist);
  if (!ssrf.ok) return { ok: false, reason: `it ${ssrf.reason}`, rule: SSRF_RULE };
  const policy = checkNetworkPolicy(ssrf.url, layers);
  if (!policy.ok) return { ok: false, reason: policy.reason, rule: `${policy.rule} (${policy.source})` };
  return { ok: true, url: ssrf.url };
}

/**
 * The verdict on `url` for a call made on behalf of `harness` outside any run (hooks, webhooks, a
 * remote harness's server): its chain's policy layers and the SSRF rule.
 */
export async function harnessOutboundVerdict(
  ctx: Pick<ServiceContext, "db" | "config">,
  harness: HarnessRow,
  url: string | URL,
): Promise<OutboundVerdict> {
  return outboundVerdict(ctx, url, await networkPolicyLayers(ctx, { harness }));
}

/**
 * Refuses a URL being registered (an MCP server, a webhook tool) when the policy would refuse every
 * call to it: 422 `network_blocked` naming the rule, or 400 `validation_error` when it is no URL.
 * @throws ApiError `validation_error`, `network_blocked`
 */
export function assertOutboundAllowed(
  ctx: Pick<ServiceContext, "config">,
  url: string,
  layers: NetworkPolicyLayer[],
  field: string,
  what: { domain: string; operation: string },
): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError("validation_error", `${field}: ${JSON.stringify(url)} is not an absolute URL.`, {
      details: { field },
      actions: [{ rel: "fix-input", hint: "Send an absolute https URL." }],
    });
  }
  const verdict = outboundVerdict(ctx, parsed, layers);
  if (!verdict.ok) {
    throw new ApiError("network_blocked", `${field}: ${parsed.href} cannot be reached: ${verdict.reason}.`, {
      ...what,
      details: { field, url: parsed.href, rule: verdict.rule },
      actions: [
        { rel: "fix-input", hint: "Use a URL the harness's network_access allows (and a public https address)." },
        { rel: "configure", hint: "Or widen network_access on the harness (harnesses.update).", operation_id: "harnesses.update" },
      ],
    });
  }
  return parsed;
}

/** A `fetch` that judges the first URL and every redirect hop with {@link outboundVerdict}. */
export function policyFetch(
  ctx: ServiceContext,
  layers: NetworkPolicyLayer[],
  options: { maxRedirects?: number; sensitiveHeaders?: string[]; onHop?: (url: URL) => void } = {},
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return guardedFetch({ check: (url) => outboundVerdict(ctx, url, layers), ...options });
}
