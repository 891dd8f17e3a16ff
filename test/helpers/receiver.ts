/**
 * A local webhook receiver for the test suite (a real HTTP server, started in `global-setup.ts`).
 *
 *   POST /hooks/<name>[?fail=N][&status=S][&delay_ms=D]   records the request; answers S (default 503)
 *        to the first N requests for <name>, then 204; waits D ms first (to exercise timeouts)
 *        [&answer=allow|deny|rewrite|garbage][&reason=R][&input=<JSON>][&only_tool=NAME]   answers as a
 *        blocking hook would: 200 `{"action": …}` (`reason` for deny, `input` for rewrite; garbage is not
 *        JSON); with only_tool, calls of other tools are allowed
 *   GET  /__received/<name>                               the recorded requests: [{headers, body, at}]
 *   DELETE /__received                                    forgets everything
 *   POST /tools/<name>?mode=json|ndjson|sse|error&status=S   a custom tool's webhook: records the call like a
 *        hook, then answers `{"answer": "<name> got <input JSON>", "input": …}` (json), three NDJSON lines or
 *        SSE events (progress, output, output, done — 50 ms apart), or HTTP S (default 500) for `error`
 *
 * It does not verify signatures itself: tests verify what it recorded with the `standardwebhooks`
 * library and an HMAC of their own, as a real receiver would.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
  at: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the receiver on a free loopback port. */
export async function startWebhookReceiver(): Promise<{ port: number; close: () => Promise<void> }> {
  const received = new Map<string, ReceivedRequest[]>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const parts = url.pathname.split("/").filter(Boolean);
    if (req.method === "DELETE" && url.pathname === "/__received") {
      received.clear();
      res.writeHead(204).end();
      return;
    }
    if (req.method === "GET" && parts[0] === "__received" && parts[1]) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received.get(parts[1]) ?? []));
      return;
    }
    if (req.method === "POST" && parts[0] === "tools" && parts[1]) {
      const name = parts[1];
      const body = await readBody(req);
      const list = received.get(name) ?? [];
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      list.push({ headers, body, at: new Date().toISOString() });
      received.set(name, list);
      const input = (JSON.parse(body) as { input?: unknown }).input;
      const mode = url.searchParams.get("mode") ?? "json";
      if (mode === "error") {
        res.writeHead(Number(url.searchParams.get("status") ?? 500), { "content-type": "text/plain" }).end("tool backend exploded");
        return;
      }
      if (mode === "json") {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ answer: `${name} got ${JSON.stringify(input)}`, input }));
        return;
      }
      const chunks = [
        { type: "progress", percentage: 50, message: "halfway" },
        { type: "output", data: { part: 1 } },
        { type: "output", data: { part: 2, input } },
        { type: "done" },
      ];
      res.writeHead(200, { "content-type": mode === "sse" ? "text/event-stream" : "application/x-ndjson" });
      for (const chunk of chunks) {
        res.write(mode === "sse" ? `event: ${chunk.type}\ndata: ${JSON.stringify(chunk)}\n\n` : `${JSON.stringify(chunk)}\n`);
        await new Promise((r) => setTimeout(r, 50));
      }
      res.end();
      return;
    }
    if (req.method === "POST" && parts[0] === "hooks" && parts[1]) {
      const name = parts[1];
      const body = await readBody(req);
      const list = received.get(name) ?? [];
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      list.push({ headers, body, at: new Date().toISOString() });
      received.set(name, list);
      const delay = Number(url.searchParams.get("delay_ms") ?? 0);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const failFirst = Number(url.searchParams.get("fail") ?? 0);
      if (list.length <= failFirst) {
        res.writeHead(Number(url.searchParams.get("status") ?? 503), { "content-type": "text/plain" }).end("receiver is down");
        return;
      }
      let answer = url.searchParams.get("answer");
      const onlyTool = url.searchParams.get("only_tool");
      if (answer && onlyTool) {
        const tool = (JSON.parse(body) as { data?: { tool?: { name?: string } } }).data?.tool?.name;
        if (tool !== onlyTool) answer = "allow";
      }
      if (answer === "garbage") {
        res.writeHead(200, { "content-type": "text/plain" }).end("this is not JSON");
        return;
      }
      if (answer) {
        const verdict: Record<string, unknown> = { action: answer };
        if (answer === "deny") verdict.reason = url.searchParams.get("reason") ?? "denied by the test receiver";
        if (answer === "rewrite") verdict.input = JSON.parse(url.searchParams.get("input") ?? "{}");
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(verdict));
        return;
      }
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("receiver did not bind");
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
