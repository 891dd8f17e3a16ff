import { expect } from "vitest";
import type { TestOrg } from "./api.ts";

/** A WebSocket test client: every frame received is kept; `next` waits for the first unseen match. */
export interface WsClient {
  ws: WebSocket;
  frames: any[];
  send: (message: unknown) => void;
  /** Resolves with the next frame (after those already returned by `next`) matching `predicate`. */
  next: (predicate?: (frame: any) => boolean, timeoutMs?: number) => Promise<any>;
  /** Resolves with every frame up to and including the first matching `predicate`. */
  until: (predicate: (frame: any) => boolean, timeoutMs?: number) => Promise<any[]>;
  closed: Promise<{ code: number; reason: string }>;
  close: () => void;
}

/** Opens `path` as a WebSocket through the Worker (the Workers-pool way: fetch with Upgrade). */
export async function connectWs(org: TestOrg, path: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const res = await org.fetch(path, { headers: { upgrade: "websocket", ...headers } });
  expect(res.status, await (res.status === 101 ? Promise.resolve("") : res.clone().text())).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  return wrap(ws);
}

function wrap(ws: WebSocket): WsClient {
  const frames: any[] = [];
  let cursor = 0;
  const listeners = new Set<() => void>();
  ws.addEventListener("message", (event) => {
    frames.push(JSON.parse(event.data as string));
    for (const l of listeners) l();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  const wait = (check: () => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        listeners.delete(l);
        reject(new Error(`timed out; frames: ${JSON.stringify(frames.slice(-5))}`));
      }, timeoutMs);
      const l = () => {
        if (check()) {
          clearTimeout(timer);
          listeners.delete(l);
          resolve();
        }
      };
      listeners.add(l);
    });
  return {
    ws,
    frames,
    closed,
    send: (message) => ws.send(JSON.stringify(message)),
    next: async (predicate = () => true, timeoutMs = 5000) => {
      let found = -1;
      await wait(() => {
        found = frames.findIndex((f, i) => i >= cursor && predicate(f));
        return found >= 0;
      }, timeoutMs);
      cursor = found + 1;
      return frames[found];
    },
    until: async (predicate, timeoutMs = 5000) => {
      const start = cursor;
      let found = -1;
      await wait(() => {
        found = frames.findIndex((f, i) => i >= start && predicate(f));
        return found >= 0;
      }, timeoutMs);
      cursor = found + 1;
      return frames.slice(start, found + 1);
    },
    close: () => ws.close(1000, "bye"),
  };
}
