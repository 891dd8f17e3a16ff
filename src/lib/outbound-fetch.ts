/**
 * `fetch` for URLs a user controls, judged at every hop: the first URL and every redirect target pass
 * `check` (the SSRF rule and the network policy, supplied by the caller) before a byte is sent to them.
 * Redirects are followed by hand (`redirect: "manual"`), at most `maxRedirects` times, with the method
 * rules of the Fetch standard (303, and 301/302 after a POST, become GET without a body; 307/308 keep
 * method and body). A refused hop rejects with {@link OutboundRefusedError}.
 */

/** What `check` says about one URL: allowed, or refused by a named rule. */
export type OutboundCheck = { ok: true } | { ok: false; reason: string; rule: string };

/** A URL (first or redirect target) that the policy refused; `code` is the stable tool-error code. */
export class OutboundRefusedError extends Error {
  override readonly name = "OutboundRefusedError";
  readonly code = "network_blocked";
  readonly rule: string;
  readonly url: string;
  /** True when a redirect, not the URL the caller asked for, was refused. */
  readonly redirect: boolean;

  constructor(url: string, verdict: { reason: string; rule: string }, redirect: boolean) {
    super(`${redirect ? "a redirect to " : ""}${url} was refused: ${verdict.reason}`);
    this.rule = verdict.rule;
    this.url = url;
    this.redirect = redirect;
  }
}

/** Redirects followed by default before giving up. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** A redirect chain longer than allowed. */
export class TooManyRedirectsError extends Error {
  override readonly name = "TooManyRedirectsError";
  readonly code = "too_many_redirects";
}

export interface GuardedFetchOptions {
  /** Judges each URL before it is fetched. */
  check(url: URL): OutboundCheck;
  /** Redirects followed (default {@link DEFAULT_MAX_REDIRECTS}); 0 returns the 3xx response as is. */
  maxRedirects?: number;
  /** Header names (besides `authorization` and `cookie`) dropped when a redirect leaves the origin (an API-key header). */
  sensitiveHeaders?: string[];
  /** Called with every URL fetched, in order (first, then each hop). */
  onHop?(url: URL): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A `fetch` whose every hop passes `options.check`.
 * @throws OutboundRefusedError when a URL (first or a redirect target) is refused
 * @throws TooManyRedirectsError past `maxRedirects`
 */
export function guardedFetch(options: GuardedFetchOptions): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  return async (input, init) => {
    const first = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
    let method = first.method;
    let body: ArrayBuffer | undefined = method === "GET" || method === "HEAD" ? undefined : await first.arrayBuffer();
    const headers = new Headers(first.headers);
    let url = new URL(first.url);
    for (let hop = 0; ; hop++) {
      const verdict = options.check(url);
      if (!verdict.ok) throw new OutboundRefusedError(url.href, verdict, hop > 0);
      options.onHop?.(url);
      const response = await fetch(url.href, { method, headers, body, redirect: "manual", signal: first.signal });
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || !location || maxRedirects === 0) return response;
      if (hop >= maxRedirects) {
        await response.body?.cancel();
        throw new TooManyRedirectsError(`more than ${maxRedirects} redirects, the last to ${location}`);
      }
      await response.body?.cancel();
      const next = new URL(location, url);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        headers.delete("content-type");
        headers.delete("content-length");
      }
      // Credentials meant for one origin never follow a redirect to another (Fetch standard §4.4 step 13).
      if (next.origin !== url.origin) {
        for (const name of ["authorization", "cookie", ...(options.sensitiveHeaders ?? [])]) headers.delete(name);
      }
      url = next;
    }
  };
}

/**
 * Reads at most `maxBytes` of `response`'s body. `truncated` says whether more was there (the rest is
 * not read: the stream is cancelled).
 */
export async function readLimited(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}
