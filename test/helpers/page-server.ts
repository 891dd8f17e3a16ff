/**
 * A local web server for `web_fetch` tests (started in `global-setup.ts`):
 *
 *   /page.html            an HTML article with navigation, a script and a style to leave out
 *   /plain.txt            text/plain
 *   /data.json            application/json
 *   /image.png            image/png (binary)
 *   /redirect?to=<path>   302 to <path> on this server
 *   /redirect-chain?n=N   N redirects in a row, then /plain.txt
 *   /redirect-private     302 to http://169.254.169.254/latest/meta-data/ (the cloud metadata address)
 *   /huge                 5 MiB of text
 *   /slow                 sends headers and one line, then nothing for 60 s
 *   /.well-known/skills/page-skill/SKILL.md   a published Agent Skill (OAF well-known skill URL)
 *   /__hits               GET: paths requested so far
 *   /partner/v1/…         a minimal remote Open Harness server: `GET /harnesses/{id}/capabilities`
 *                         answers a manifest with only the registry; everything else is the 501
 *                         problem an Open Harness server gives for an operation it does not serve
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const PAGE = `<!doctype html><html><head><title>Edge Recipes</title><style>body{color:red}</style><script>alert("x")</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<main><h1>Vegetable curry</h1><p>A <strong>quick</strong> curry with <a href="https://example.com/spices">spices</a>.</p>
<ul><li>Onion</li><li>Chickpeas</li></ul></main><footer>© Edge Recipes</footer></body></html>`;

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/** Size of `/huge`, in bytes. */
export const HUGE_BYTES = 5 * 1024 * 1024;

/** The `/partner/v1/…` remote Open Harness server: a manifest that serves only the registry, 501 for the rest. */
function partner(url: URL, res: ServerResponse): void {
  const manifest = /^\/partner\/v1\/harnesses\/([^/]+)\/capabilities$/.exec(url.pathname);
  if (manifest) {
    const capabilities = { harnesses: { supported: true }, execution: { supported: false }, mcp: { supported: false } };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ harness_id: manifest[1], capabilities }));
    return;
  }
  res.writeHead(501, { "content-type": "application/problem+json" }).end(
    JSON.stringify({
      type: "about:blank",
      title: "Not Implemented",
      status: 501,
      code: "capability_not_supported",
      detail: "The partner does not serve this operation.",
      request_id: "req_partner",
      error: { code: "capability_not_supported", message: "The partner does not serve this operation." },
    }),
  );
}

export async function startPageServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const hits: string[] = [];
  const slow = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/__hits") hits.push(url.pathname + url.search);
    if (url.pathname.startsWith("/partner/v1/")) return partner(url, res);
    switch (url.pathname) {
      case "/__hits":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(hits));
        return;
      case "/page.html":
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
        return;
      case "/.well-known/skills/page-skill/SKILL.md":
        res
          .writeHead(200, { "content-type": "text/markdown" })
          .end(
            "---\nname: page-skill\ndescription: A skill published at a well-known URL. Use for tests.\n---\n# Page skill\n\nFetched.\n",
          );
        return;
      case "/plain.txt":
        res.writeHead(200, { "content-type": "text/plain" }).end("Just text.\n");
        return;
      case "/data.json":
        res.writeHead(200, { "content-type": "application/json" }).end('{"name":"curry","serves":4}');
        return;
      case "/image.png":
        res.writeHead(200, { "content-type": "image/png", "content-length": String(PNG.length) }).end(PNG);
        return;
      case "/redirect":
        res.writeHead(302, { location: url.searchParams.get("to") ?? "/plain.txt" }).end();
        return;
      case "/redirect-chain": {
        const n = Number(url.searchParams.get("n") ?? 1);
        res.writeHead(302, { location: n > 1 ? `/redirect-chain?n=${n - 1}` : "/plain.txt" }).end();
        return;
      }
      case "/redirect-private":
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        return;
      case "/huge": {
        res.writeHead(200, { "content-type": "text/plain" });
        const chunk = "x".repeat(64 * 1024);
        for (let sent = 0; sent < HUGE_BYTES; sent += chunk.length) res.write(chunk);
        res.end();
        return;
      }
      case "/slow":
        slow.add(res);
        res.on("close", () => slow.delete(res));
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first line\n");
        return; // the rest never comes
      default:
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const r of slow) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
