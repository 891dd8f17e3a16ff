/**
 * A loopback TCP proxy that can cut the network: every connection to `127.0.0.1:<port>` is piped to the
 * target port, byte for byte (HTTP, SSE, WebSocket upgrades alike; the Host header is the proxy's, so
 * the server sees the proxy's origin). `cut()` destroys every open connection at once — a client sees a
 * network error mid-stream, as after a dropped Wi-Fi — and `refuseFor(ms)` closes new connections as
 * they arrive until the time has passed, so reconnects fail for a while. Used by `npm run console:check`
 * to prove the console resumes a run and a session without a lost or repeated event.
 */
import { createServer, connect, type Socket } from "node:net";

export interface CuttableProxy {
  url: string;
  port: number;
  /** Destroys every connection open now; returns how many there were. */
  cut(): number;
  /** Closes every new connection for `ms` milliseconds. */
  refuseFor(ms: number): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port, forwarding to `127.0.0.1:targetPort`. */
export async function startCuttableProxy(targetPort: number): Promise<CuttableProxy> {
  const open = new Set<Socket>();
  let refuseUntil = 0;
  const server = createServer((client) => {
    if (Date.now() < refuseUntil) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      const count = open.size / 2;
      // A TCP reset, as a dropped network looks to the browser (not a clean close).
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
      return count;
    },
    refuseFor(ms) {
      refuseUntil = Date.now() + ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
