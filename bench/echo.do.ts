/**
 * The baselines' Durable Object (bench only — `bench/worker.ts`, never deployed): the cheapest possible
 * SSE stream and WebSocket round trip through a Durable Object of this same Worker, so a product path
 * can be measured as a ratio to it.
 *   GET /sse  one `text` event then `done`, framed as the product frames them
 *   GET /ws   WebSocket (Hibernation API): every `message` frame is answered with `text` then `done`
 */
import { DurableObject } from "cloudflare:workers";
import { SSE_HEADERS, sseFrame } from "../src/lib/sse.ts";

export class BenchEcho extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/sse")) {
      const body =
        sseFrame(1, "text", { type: "text", content: "echo" }) +
        sseFrame(2, "done", { type: "done", usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } });
      return new Response(body, { headers: SSE_HEADERS });
    }
    if (url.pathname.endsWith("/ws")) {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1]);
      return new Response(null, { status: 101, webSocket: pair[0] });
    }
    return new Response("not found", { status: 404 });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const message = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw)) as { id: string; content: string };
    ws.send(JSON.stringify({ type: "text", id: message.id, content: message.content }));
    ws.send(JSON.stringify({ type: "done", id: message.id, usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } }));
  }
}
