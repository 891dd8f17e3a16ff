/**
 * Regressions found by the outsider QA pass over `main`: each test is a request a user sent and the
 * answer they should have had.
 */
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";

describe("SSRF guard: IPv6 spellings of private IPv4 addresses", () => {
  // URL parsing writes [::ffff:169.254.169.254] as [::ffff:a9fe:a9fe]: the guard must read that form too.
  const embedded = [
    "https://[::ffff:169.254.169.254]/latest",
    "https://[::ffff:a9fe:a9fe]/latest",
    "https://[::ffff:7f00:1]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::10.0.0.1]/",
    "https://[::ffff:0:a9fe:a9fe]/",
  ];

  it("refuses them for webhooks, hooks, MCP servers and webhook tools (422 network_blocked)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (const url of embedded) {
      const requests: [string, unknown][] = [
        ["webhooks", { url, events: ["*"] }],
        ["hooks", { event: "stop", handler: { type: "webhook", url } }],
        ["mcp-servers", { name: "m", transport: { type: "http", url } }],
        ["tools", { name: "t", description: "d", input_schema: { type: "object" }, handler: { type: "webhook", url } }],
      ];
      for (const [resource, body] of requests) {
        const refused = await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/${resource}`, body), 422, "network_blocked");
        expect(refused.error.details.rule).toContain("private addresses");
      }
    }
  });

  it("still accepts a public IPv6 address and NAT64 of a public IPv4 address", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (const url of ["https://[2606:4700:4700::1111]/hook", "https://[64:ff9b::808:808]/hook"]) {
      const res = await org.json("POST", `/v1/harnesses/${h.id}/webhooks`, { url, events: ["*"] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
});
