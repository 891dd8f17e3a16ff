/**
 * A remote harness's connection: the remote Open Harness server's API base (`config.base_url`), the
 * harness id there (`config.remote_harness_id`, default the local slug), and its API key, stored sealed
 * by `harnesses.validateCredentials` (provider `openharness`). Every URL built from it passes the
 * SSRF check and the harness's network policy before it is fetched.
 */
import { ApiError } from "../../errors/api-error.ts";
import type { ServiceContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { openCredential } from "../harnesses/stored-credentials.ts";
import { harnessOutboundVerdict } from "../network/policy.ts";

/** The `provider` remote-harness keys are stored under. */
export const REMOTE_PROVIDER = "openharness";

/** Where a remote harness's requests go. */
export interface RemoteTarget {
  /** The remote API base without a trailing slash, e.g. `https://other.example/v1`. */
  baseUrl: string;
  /** The harness id on the remote server. */
  remoteId: string;
  /** The remote API key (plaintext, in memory only). */
  token: string;
}

/** The remote base and harness id of a remote harness (no key). */
export function remoteAddress(harness: HarnessRow): { baseUrl: string; remoteId: string } {
  return { baseUrl: (harness.config.base_url ?? "").replace(/\/+$/, ""), remoteId: harness.config.remote_harness_id ?? harness.slug };
}

/**
 * The URL `path` (after `/harnesses/{remoteId}`) on the remote, once it passed the SSRF check and the
 * network policy of the harness and its parents.
 * @throws ApiError `network_blocked` (422) naming the rule that refused it.
 */
export async function remoteUrl(ctx: Pick<ServiceContext, "config" | "db">, harness: HarnessRow, path: string): Promise<URL> {
  const { baseUrl, remoteId } = remoteAddress(harness);
  const verdict = await harnessOutboundVerdict(ctx, harness, `${baseUrl}/harnesses/${encodeURIComponent(remoteId)}${path}`);
  if (verdict.ok) return verdict.url;
  throw new ApiError("network_blocked", `The remote harness's server cannot be reached: ${verdict.reason}.`, {
    details: { url: baseUrl, rule: verdict.rule },
    actions: [
      { rel: "fix-input", hint: "Point config.base_url at a public https Open Harness server.", operation_id: "harnesses.update" },
      { rel: "configure", hint: "Or allow the remote host in the harness's network_access.", operation_id: "harnesses.update" },
    ],
  });
}

/**
 * The remote harness's target with its opened key.
 * @throws ApiError `remote_not_connected` (409) until a key is stored with harnesses.validateCredentials.
 */
export async function remoteTarget(ctx: ServiceContext, harness: HarnessRow): Promise<RemoteTarget> {
  const stored = await openCredential(ctx, { orgId: harness.orgId, harnessId: harness.id, provider: REMOTE_PROVIDER });
  if (!stored) {
    throw new ApiError("remote_not_connected", `Remote harness ${harness.slug} has no stored key for its server.`, {
      actions: [
        {
          rel: "connect",
          hint: `Store the remote server's API key: POST /v1/harnesses/${harness.slug}/validate-credentials {"provider": "openharness", "api_key": "…", "store": true}.`,
          operation_id: "harnesses.validateCredentials",
          href: `/v1/harnesses/${harness.slug}/validate-credentials`,
        },
      ],
    });
  }
  return { ...remoteAddress(harness), token: stored.apiKey };
}

/**
 * Fetches a remote-harness URL. A "remote" that is this very deployment (its origin is ours — a proxy
 * pointing back at a native harness, as the conformance self-test does) is reached through the Worker's
 * self service binding rather than out and back in over the network.
 */
export function remoteFetch(ctx: Pick<ServiceContext, "env" | "origin">, url: URL, init: RequestInit): Promise<Response> {
  const self = (ctx.env as unknown as { SELF_API?: Fetcher }).SELF_API;
  if (self && url.origin === ctx.origin) return self.fetch(new Request(url, init));
  return fetch(url, init);
}
