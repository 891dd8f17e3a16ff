/**
 * The {@link WebPort} of a run or a `tools.invoke` call: `web_fetch`'s requests under the scope's
 * network policy and the SSRF rules (`services/network/policy.ts`, every redirect hop), with the
 * limits below.
 */
import { OutboundRefusedError, readLimited, TooManyRedirectsError } from "../../lib/outbound-fetch.ts";
import { ToolError } from "../../runtime/tools/contract.ts";
import type { PortScope, WebFetchResponse, WebPort } from "../../runtime/tools/ports.ts";
import type { AuthedContext } from "../context.ts";
import { policyLayersFor } from "./scope.ts";
import { policyFetch } from "../network/policy.ts";

/** Most bytes of a response body read by `web_fetch` (the rest is cut and the result says so). */
export const WEB_FETCH_MAX_BYTES = 2 * 1024 * 1024;
/** Deadline of one `web_fetch` (all redirects and the body), in milliseconds. */
export const WEB_FETCH_TIMEOUT_MS = 15_000;
/** Redirects `web_fetch` follows. */
export const WEB_FETCH_MAX_REDIRECTS = 5;

const KEPT_HEADERS = ["content-type", "content-length", "last-modified", "etag", "cache-control", "content-language", "location"];

/** The web port for `scope` (its policy layers are read once, on first use). */
export function createWebPort(ctx: AuthedContext, scope: PortScope): WebPort {
  let layers: ReturnType<typeof policyLayersFor> | undefined;
  return {
    async fetch({ url, method, signal }): Promise<WebFetchResponse> {
      layers ??= policyLayersFor(ctx, scope);
      const redirects: string[] = [];
      const fetcher = policyFetch(ctx, await layers, { maxRedirects: WEB_FETCH_MAX_REDIRECTS, onHop: (hop) => redirects.push(hop.href) });
      const deadline = AbortSignal.timeout(WEB_FETCH_TIMEOUT_MS);
      const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
      try {
        const response = await fetcher(url, {
          method,
          signal: combined,
          headers: { accept: "text/html, text/plain;q=0.9, application/json;q=0.9, */*;q=0.5", "user-agent": "EdgeHarness web_fetch" },
        });
        const { bytes, truncated } =
          method === "HEAD" ? { bytes: new Uint8Array(), truncated: false } : await readLimited(response, WEB_FETCH_MAX_BYTES);
        const headers: Record<string, string> = {};
        for (const name of KEPT_HEADERS) {
          const value = response.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return {
          url: redirects.at(-1) ?? url,
          status: response.status,
          contentType: response.headers.get("content-type") ?? "",
          headers,
          redirects,
          body: bytes,
          truncated,
        };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof OutboundRefusedError) throw new ToolError("network_blocked", `${error.message} (rule: ${error.rule})`);
        if (error instanceof TooManyRedirectsError) throw new ToolError("too_many_redirects", error.message);
        if (deadline.aborted) throw new ToolError("timeout", `${url} did not answer completely within ${WEB_FETCH_TIMEOUT_MS / 1000} s.`);
        throw new ToolError("fetch_failed", `${url} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
