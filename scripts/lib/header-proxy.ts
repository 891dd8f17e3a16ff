/**
 * A tiny reverse proxy that adds one header — `Authorization: Bearer <token>` — to requests for one
 * path, for clients that cannot send a bearer token themselves (the MCP conformance suite). Everything
 * else passes through untouched: method, path, query, the other headers (Host and Origin included, so
 * the server's own Host/Origin validation still sees what the client sent), the request body, and the
 * response — status, headers and body, streamed as they arrive (SSE included).
 *
 * It listens on 127.0.0.1 only, on a port the OS picks, and forwards only to the one upstream origin it
 * was given. The token lives in this process and in the forwarded requests, never in a URL or a log.
 */
import { once } from "node:events";
import { createServer, request as upstreamRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";

/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "upgrade"]);

/** Options of {@link startHeaderProxy}. */
export interface HeaderProxyOptions {
  /** Upstream origin, e.g. `http://127.0.0.1:8787` (http only: both ends are on this machine). */
  upstream: string;
  /** Only requests whose path is exactly this (query aside) get the headers, e.g. `/api/mcp`. */
  path: string;
  /** Headers to set on those requests (replacing any the client sent). */
  headers: Record<string, string>;
}

/** A running proxy. */
export interface HeaderProxy {
  /** The proxy's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** How many requests were forwarded, and how many of them got the headers. */
  stats: { forwarded: number; injected: number; failed: number };
  close(): Promise<void>;
}

function forwardedHeaders(incoming: IncomingHttpHeaders, extra: Record<string, string> | undefined): OutgoingHttpHeaders {
  const connectionTokens = new Set(
    String(incoming.connection ?? "")
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || connectionTokens.has(name)) continue;
    out[name] = value;
  }
  if (extra) for (const [name, value] of Object.entries(extra)) out[name.toLowerCase()] = value;
  return out;
}

/** Starts the proxy on 127.0.0.1 (a free port). */
export async function startHeaderProxy(options: HeaderProxyOptions): Promise<HeaderProxy> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== "http:") throw new Error(`the header proxy forwards to http:// only, not ${upstream.protocol}`);
  const stats = { forwarded: 0, injected: 0, failed: 0 };

  const server = createServer((req, res) => {
    const target = req.url ?? "/";
    const pathname = new URL(target, "http://proxy.invalid").pathname;
    const inject = pathname === options.path;
    stats.forwarded += 1;
    if (inject) stats.injected += 1;

    const outgoing = upstreamRequest({
      host: upstream.hostname,
      port: upstream.port || 80,
      method: req.method,
      path: target,
      headers: forwardedHeaders(req.headers, inject ? options.headers : undefined),
    });
    outgoing.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardedHeaders(answer.headers, undefined));
      // Send the headers now: an SSE response may not produce its first byte for a while.
      res.flushHeaders();
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    outgoing.on("error", (error) => {
      stats.failed += 1;
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8" }).end(`header proxy: upstream failed: ${error.message}\n`);
      } else {
        res.destroy();
      }
    });
    // A client that goes away (a closed SSE stream) ends the upstream request too.
    res.on("close", () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    req.pipe(outgoing);
  });

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the header proxy could not listen");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    stats,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}
