/**
 * The remote-harness proxy: an Open Harness request to a remote harness is sent on to the remote server
 * (`config.base_url`, the harness's id there, its stored key), and the answer comes back as the remote
 * gave it — status, problem bodies (a 501 for what the remote does not serve), SSE streams passed
 * through as they arrive (a client resumes with `Last-Event-ID`, which is forwarded), WebSocket upgrades
 * handed over. URLs and harness ids in JSON answers are rewritten to this server's, so a client never
 * sees the remote's address.
 */
import { ApiError } from "../../errors/api-error.ts";
import type { ServiceContext } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";
import { remoteFetch, remoteTarget, remoteUrl } from "./connection.ts";

/** Request headers passed on to the remote (never the caller's own credentials). */
const FORWARDED_HEADERS = ["content-type", "accept", "last-event-id", "x-execution-id", "upgrade", "sec-websocket-protocol"];

/** The part of a request the proxy passes on. `path` follows `/harnesses/{harnessId}` (may be empty). */
export interface ProxiedRequest {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

/** Rewrites the remote's URLs and harness id in a JSON answer to this server's. */
function rewrite(text: string, from: { baseUrl: string; remoteId: string }, to: { origin: string; slug: string }): string {
  const local = `${to.origin}/v1/harnesses/${to.slug}`;
  return text
    .split(`${from.baseUrl}/harnesses/${from.remoteId}`)
    .join(local)
    .split(`"/v1/harnesses/${from.remoteId}`)
    .join(`"/v1/harnesses/${to.slug}`)
    .split(`"/harnesses/${from.remoteId}`)
    .join(`"/v1/harnesses/${to.slug}`)
    .split(`"harness_id":"${from.remoteId}"`)
    .join(`"harness_id":"${to.slug}"`);
}

/**
 * Sends `request` on to the remote harness's server and returns its answer.
 * @throws ApiError `remote_not_connected` (no stored key), `network_blocked` (SSRF or network policy),
 *   `upstream_unavailable` (503) when the remote cannot be reached.
 */
export async function proxyToRemote(ctx: ServiceContext, harness: HarnessRow, request: ProxiedRequest): Promise<Response> {
  const target = await remoteTarget(ctx, harness);
  const url = await remoteUrl(ctx, harness, `${request.path}${request.search}`);
  const headers = new Headers({ authorization: `Bearer ${target.token}` });
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  let answer: Response;
  try {
    answer = await remoteFetch(ctx, url, {
      method: request.method,
      headers,
      redirect: "manual",
      ...(request.body && request.method !== "GET" && request.method !== "HEAD" ? { body: request.body } : {}),
    });
  } catch (error) {
    throw new ApiError("upstream_unavailable", `The remote server of ${harness.slug} could not be reached.`, {
      cause: error,
      retryAfterSeconds: 5,
      actions: [{ rel: "retry-later", hint: "Retry shortly; check the remote server's health with harnesses.health." }],
    });
  }
  if (answer.webSocket) return new Response(null, { status: 101, webSocket: answer.webSocket, headers: answer.headers });
  const out = new Headers(answer.headers);
  const location = out.get("location");
  const from = { baseUrl: target.baseUrl, remoteId: target.remoteId };
  const to = { origin: ctx.origin, slug: harness.slug };
  if (location) out.set("location", rewrite(`"${location}`, from, to).slice(1));
  if (!(out.get("content-type") ?? "").includes("json")) return new Response(answer.body, { status: answer.status, headers: out });
  out.delete("content-length");
  return new Response(rewrite(await answer.text(), from, to), { status: answer.status, headers: out });
}
