/**
 * The outbound-URL checks of hooks and webhooks: the SSRF rules (`lib/outbound-url.ts`: https, no
 * private or loopback address unless the deployment allows that host) and the harness chain's network
 * policy (`lib/network-policy.ts`, each harness's `network_access` a layer that can only narrow).
 *
 * A small local version of "the policy layers of a harness" (issue 10 builds the shared one over the
 * harness chain, agent and session; the two are to be unified).
 */
import { ApiError } from "../../errors/api-error.ts";
import { checkNetworkPolicy, type NetworkPolicyLayer } from "../../lib/network-policy.ts";
import { checkOutboundUrl } from "../../lib/outbound-url.ts";
import type { AuthedContext } from "../context.ts";
import { parentChain } from "../harnesses/chain.ts";
import type { HarnessRow } from "../harnesses/find.ts";

/** The network-policy layers of `harness` and its parents (child first), from their `network_access`. */
export async function harnessNetworkLayers(ctx: AuthedContext, harness: HarnessRow): Promise<NetworkPolicyLayer[]> {
  const chain = [harness, ...(await parentChain(ctx, harness))];
  return chain
    .filter((h) => h.networkAccess && (h.networkAccess.allowed?.length || h.networkAccess.blocked?.length))
    .map((h) => ({
      source: `harness ${h.slug}`,
      ...(h.networkAccess?.allowed ? { allowed: h.networkAccess.allowed } : {}),
      ...(h.networkAccess?.blocked ? { blocked: h.networkAccess.blocked } : {}),
    }));
}

/** The verdict on `url` for calls made on behalf of `harness`; `reason` says why it is refused. */
export async function judgeOutboundUrl(
  ctx: AuthedContext,
  harness: HarnessRow,
  url: string,
): Promise<{ ok: true; url: URL } | { ok: false; code: "invalid_url" | "network_policy_denied"; reason: string }> {
  const target = checkOutboundUrl(url, ctx.config.privateHostAllowlist);
  if (!target.ok) return { ok: false, code: "invalid_url", reason: `the URL ${target.reason}` };
  const policy = checkNetworkPolicy(target.url, await harnessNetworkLayers(ctx, harness));
  if (!policy.ok) return { ok: false, code: "network_policy_denied", reason: policy.reason };
  return { ok: true, url: target.url };
}

/**
 * @throws ApiError `invalid_url` (400: not https, credentials, a private/loopback address) or
 *   `network_policy_denied` (422: the harness chain's `network_access` refuses the host)
 */
export async function assertOutboundUrl(
  ctx: AuthedContext,
  harness: HarnessRow,
  url: string,
  field: string,
  operation: string,
): Promise<URL> {
  const verdict = await judgeOutboundUrl(ctx, harness, url);
  if (verdict.ok) return verdict.url;
  throw new ApiError(verdict.code, `${field}: ${verdict.reason}.`, {
    domain: "hooks",
    operation,
    details: { field },
    actions:
      verdict.code === "invalid_url"
        ? [{ rel: "fix-input", hint: "Use a public https URL." }]
        : [{ rel: "configure", hint: "Allow the host in the harness's network_access, or use an allowed host." }],
  });
}
