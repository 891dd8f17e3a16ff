/**
 * SSRF guard for every outbound URL a user supplies (provider base URLs, later webhooks and MCP servers).
 *
 * Refuses: non-http(s) schemes, credentials in the URL, plain http to public hosts, and hosts that are
 * loopback, private, link-local, CGNAT, multicast or metadata addresses (IPv4 and IPv6 literals) or
 * local names (`localhost`, `*.local`, `*.internal`) — unless the host is in the deployment's explicit
 * allowlist (a local model server or a test simulator). Name resolution happens inside `fetch`, so
 * hostnames are judged by name; Workers' own fetch cannot reach private networks in production.
 */

/** Why a URL was refused, or `undefined` when it may be fetched. */
export type OutboundVerdict = { ok: true; url: URL } | { ok: false; reason: string };

function ipv4Parts(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4) return undefined;
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return nums.every((n) => n >= 0 && n <= 255) ? nums : undefined;
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  );
}

function isPrivateIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "::" || h === "::1") return true;
  if (h.startsWith("fc") || h.startsWith("fd")) return true; // unique local fc00::/7
  if (/^fe[89ab]/.test(h)) return true; // link-local fe80::/10
  if (h.startsWith("ff")) return true; // multicast
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped?.[1]) {
    const parts = ipv4Parts(mapped[1]);
    return parts ? isPrivateIpv4(parts) : true;
  }
  return false;
}

/** Judges `raw` as an outbound target. `allowlist` holds lowercase hostnames (or `host:port`) exempt from the private-address rule. */
export function checkOutboundUrl(raw: string, allowlist: ReadonlySet<string>): OutboundVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not an absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "must use https" };
  if (url.username || url.password) return { ok: false, reason: "must not carry credentials in the URL" };
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (allowlist.has(host) || allowlist.has(url.host.toLowerCase())) return { ok: true, url };
  const v4 = ipv4Parts(host);
  const local =
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    (v4 ? isPrivateIpv4(v4) : host.includes(":") && isPrivateIpv6(host));
  if (local) return { ok: false, reason: "points at a private, loopback or link-local address" };
  if (url.protocol !== "https:") return { ok: false, reason: "must use https" };
  return { ok: true, url };
}
