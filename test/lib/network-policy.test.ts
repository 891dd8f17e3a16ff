import { describe, expect, it } from "vitest";
import { checkNetworkPolicy, invalidHostPattern } from "../../src/lib/network-policy.ts";

const url = (u: string) => new URL(u);

describe("network policy", () => {
  it("lets layers only narrow: allowed lists intersect, blocked lists union", () => {
    const harness = { source: "harness base", allowed: ["*.example.com", "api.github.com"] };
    const agent = { source: "agent a", allowed: ["api.example.com", "api.github.com"], blocked: ["api.github.com"] };
    expect(checkNetworkPolicy(url("https://api.example.com/x"), [harness, agent])).toEqual({ ok: true });
    expect(checkNetworkPolicy(url("https://www.example.com/"), [harness, agent])).toMatchObject({ ok: false, source: "agent a" });
    expect(checkNetworkPolicy(url("https://api.github.com/"), [harness, agent])).toMatchObject({
      ok: false,
      rule: "blocked: api.github.com",
    });
    expect(checkNetworkPolicy(url("https://example.com/"), [harness])).toMatchObject({ ok: false, source: "harness base" });
    expect(checkNetworkPolicy(url("https://anything.dev/"), [{ source: "open" }])).toEqual({ ok: true });
  });

  it("matches hosts case-insensitively, with an optional port", () => {
    const layer = { source: "h", allowed: ["API.Example.com:8443"] };
    expect(checkNetworkPolicy(url("https://api.example.com:8443/"), [layer]).ok).toBe(true);
    expect(checkNetworkPolicy(url("https://api.example.com/"), [layer]).ok).toBe(false);
    expect(checkNetworkPolicy(url("https://x.test/"), [{ source: "h", blocked: ["*"] }]).ok).toBe(false);
  });

  it("reads an origin (Everruns writes https://api.acme.com/) as that host with that scheme", () => {
    const layer = { source: "h", allowed: ["https://api.acme.com/"] };
    expect(checkNetworkPolicy(url("https://api.acme.com/v1/x"), [layer]).ok).toBe(true);
    expect(checkNetworkPolicy(url("http://api.acme.com/"), [layer]).ok).toBe(false);
    expect(checkNetworkPolicy(url("https://api.acme.com:8443/"), [layer]).ok).toBe(false);
    expect(checkNetworkPolicy(url("https://other.acme.com/"), [layer])).toMatchObject({
      ok: false,
      rule: "allowed: https://api.acme.com/",
    });
  });

  it("validates patterns", () => {
    expect(invalidHostPattern("*.example.com")).toBeUndefined();
    expect(invalidHostPattern("example.com:443")).toBeUndefined();
    expect(invalidHostPattern("https://api.acme.com/")).toBeUndefined();
    expect(invalidHostPattern("http://example.com")).toBeUndefined();
    expect(invalidHostPattern("https://example.com/path")).toBeDefined();
    expect(invalidHostPattern("ftp://example.com/")).toBeDefined();
    expect(invalidHostPattern("a/b")).toBeDefined();
    expect(invalidHostPattern("")).toBeDefined();
  });
});
