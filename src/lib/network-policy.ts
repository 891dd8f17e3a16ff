/**
 * Network policy: which hosts a harness's outbound calls may reach (Everruns `network_access`
 * `{allowed, blocked}`), checked on every outbound URL a user controls — MCP servers, webhook tools and
 * webhooks, `web_fetch`, provider base URLs — on every redirect hop, after the private-address (SSRF)
 * check of `outbound-url.ts`.
 *
 * Patterns are host globs, case-insensitive: `example.com` (that host), `*.example.com` (its subdomains,
 * not the apex), `*` (any host); an optional `:port` narrows to a port. An origin such as
 * `https://api.acme.com/` (as Everruns examples write them) is that host reached with that scheme (and
 * its default port unless one is given); a path after the origin is refused. Layers (harness chain, agent,
 * session) only narrow: a URL passes when, for every layer with a non-empty `allowed` list, it matches
 * that list (the lists intersect), and no layer's `blocked` list matches it (they union).
 */
import picomatch from "picomatch";

/** One layer's policy, named for the refusal message (`harness research`, `agent …`). */
export interface NetworkPolicyLayer {
  source: string;
  allowed?: string[];
  blocked?: string[];
}

/** The verdict on one URL: refused ones name the layer and rule that refused them. */
export type NetworkVerdict = { ok: true } | { ok: false; reason: string; rule: string; source: string };

/** Longest host pattern accepted in a policy, in characters. */
export const MAX_HOST_PATTERN_CHARS = 253;
/** Most patterns in one `allowed` or `blocked` list. */
export const MAX_HOST_PATTERNS = 100;

const matchers = new Map<string, (value: string) => boolean>();

/** `https://api.acme.com/` → `{ scheme: "https:", host: "api.acme.com:443" }`; a bare host glob as is. */
function splitOrigin(pattern: string): { scheme?: string; host: string } {
  const origin = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)\/?$/i.exec(pattern.trim());
  if (!origin) return { host: pattern.trim() };
  const scheme = `${origin[1]!.toLowerCase()}:`;
  const host = origin[2]!;
  return { scheme, host: /:\d+$/.test(host) ? host : `${host}:${scheme === "https:" ? 443 : 80}` };
}

function matches(pattern: string, url: URL): boolean {
  const origin = splitOrigin(pattern);
  if (origin.scheme && origin.scheme !== url.protocol) return false;
  const p = origin.host.toLowerCase();
  const withPort = /:\d+$/.test(p);
  const target = withPort
    ? `${url.hostname.toLowerCase()}:${url.port || (url.protocol === "https:" ? "443" : "80")}`
    : url.hostname.toLowerCase();
  let match = matchers.get(p);
  if (!match) {
    match = picomatch(p, { nocase: true, dot: true });
    matchers.set(p, match);
  }
  return match(target.replace(/^\[|\]$/g, ""));
}

/** Judges `url` against the layers' policies (see the module comment for the rules). */
export function checkNetworkPolicy(url: URL, layers: NetworkPolicyLayer[]): NetworkVerdict {
  for (const layer of layers) {
    const blocked = layer.blocked?.find((p) => matches(p, url));
    if (blocked) {
      return {
        ok: false,
        source: layer.source,
        rule: `blocked: ${blocked}`,
        reason: `${url.host} is blocked by ${layer.source} (rule "${blocked}")`,
      };
    }
  }
  for (const layer of layers) {
    if (!layer.allowed?.length) continue;
    if (!layer.allowed.some((p) => matches(p, url))) {
      return {
        ok: false,
        source: layer.source,
        rule: `allowed: ${layer.allowed.join(", ")}`,
        reason: `${url.host} is not in the hosts ${layer.source} allows (${layer.allowed.join(", ")})`,
      };
    }
  }
  return { ok: true };
}

/** A reason the pattern cannot be used (for validation messages), or `undefined` when it is fine. */
export function invalidHostPattern(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > MAX_HOST_PATTERN_CHARS) return `must be 1–${MAX_HOST_PATTERN_CHARS} characters`;
  const origin = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)(.*)$/i.exec(pattern.trim());
  if (origin) {
    if (!["http", "https"].includes(origin[1]!.toLowerCase())) return "an origin must use http or https";
    if (origin[3] && origin[3] !== "/") return "policies match hosts, not paths: write the origin (https://host/) or the host";
  }
  const host = origin ? origin[2]! : pattern.trim();
  if (!/^(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/i.test(host))
    return "must be a host name, *.domain, or *, optionally with :port, or an origin such as https://api.example.com/";
  return undefined;
}
