/**
 * SSRF guard for every outbound URL a user supplies (provider base URLs, webhooks, hooks, MCP servers, tools).
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

/** The colon-separated groups of one side of `::` (none for an empty side). */
function hexGroups(side: string): string[] {
  return side === "" ? [] : side.split(":");
}

/**
 * The eight 16-bit groups of an IPv6 literal (`::` expanded, a trailing dotted IPv4 read as two
 * groups), or undefined when `host` is no IPv6 literal.
 */
function ipv6Groups(host: string): number[] | undefined {
  let h = host;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (dotted) {
    const v4 = ipv4Parts(dotted[2]!);
    if (!v4) return undefined;
    h = `${dotted[1]}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = h.split("::");
  if (halves.length > 2) return undefined;
  const head = hexGroups(halves[0]!);
  const tail = halves.length === 2 ? hexGroups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/**
 * True for loopback, unspecified, unique-local, link-local and multicast IPv6 addresses, and for every
 * form that embeds an IPv4 address judged by {@link isPrivateIpv4}: IPv4-compatible `::a.b.c.d`,
 * IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated `::ffff:0:a.b.c.d` and NAT64 `64:ff9b::a.b.c.d` (RFC
 * 4291 §2.5.5, RFC 2765, RFC 6052) — in the hex spelling URL parsing gives them too
 * (`[::ffff:169.254.169.254]` → `[::ffff:a9fe:a9fe]`). Something that is no IPv6 literal is private:
 * refused rather than guessed at.
 */
function isPrivateIpv6(host: string): boolean {
  const g = ipv6Groups(host.toLowerCase());
  if (!g) return true;
  const first = g[0]!;
  if (first >= 0xfc00 && first <= 0xfdff) return true; // unique local fc00::/7
  if (first >= 0xfe80 && first <= 0xfebf) return true; // link-local fe80::/10
  if (first >= 0xff00) return true; // multicast ff00::/8
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embeddedV4 = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
  const embeds =
    zero(0, 6) || // ::/96 (IPv4-compatible; `::` and `::1` included)
    (zero(0, 5) && g[5] === 0xffff) || // ::ffff:0:0/96 (IPv4-mapped)
    (zero(0, 4) && g[4] === 0xffff && g[5] === 0) || // ::ffff:0:0:0/96 (IPv4-translated)
    (first === 0x64 && g[1] === 0xff9b && zero(2, 6)); // 64:ff9b::/96 (NAT64)
  return embeds ? isPrivateIpv4(embeddedV4) : false;
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
