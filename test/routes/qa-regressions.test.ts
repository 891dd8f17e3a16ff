/**
 * Regressions found by the outsider QA pass over `main`: each test is a request a user sent and the
 * answer they should have had.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";
import { SIM_ANTHROPIC_KEY } from "../helpers/provider-sim.ts";

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

/** Asserts a 400 that names `field` as refused. */
async function refusedField(res: { status: number; headers: Headers; body: any }, field: string) {
  const problem = await expectProblem(res, 400, "validation_error");
  expect(problem.detail).toContain(field);
  expect(problem.detail).toContain("refused, not ignored");
}

describe("request bodies: a field an operation does not know is a 400 naming it, never ignored", () => {
  it("executions, sessions, execution input and validate-credentials", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const base = `/v1/harnesses/${h.id}`;
    await refusedField(await org.json("POST", `${base}/execute`, { message: "hi", temprature: 0.2 }), "body.temprature");
    await refusedField(await org.json("POST", `${base}/execute/stream`, { message: "hi", agentId: "a" }), "body.agentId");
    await refusedField(
      await org.json("POST", `${base}/execute`, { message: "hi", harness_credentials: { api_key: "k", baseUrl: "https://x.example" } }),
      "body.harness_credentials.baseUrl",
    );
    await refusedField(await org.json("POST", `${base}/sessions`, { name: "s", agentId: "a" }), "body.agentId");
    const created = await org.json("POST", `${base}/sessions`, { name: "s" });
    expect(created.status).toBe(201);
    const session = `${base}/sessions/${created.body.session.id}`;
    await refusedField(await org.json("PATCH", session, { state: "paused" }), "body.state");
    await refusedField(await org.json("POST", `${session}/fork`, { name: "copy" }), "body.name");
    await refusedField(await org.json("POST", `${session}/message`, { content: "hi", role: "user" }), "body.role");
    await refusedField(await org.json("POST", `${session}/message/stream`, { content: "hi", role: "user" }), "body.role");
    const run = await org.json("POST", `${base}/execute`, { message: "hi" });
    expect(run.status).toBe(202);
    await refusedField(
      await org.json("POST", `${base}/executions/${run.body.execution_id}/input`, { data: "y", answer: "y" }),
      "body.answer",
    );
    await refusedField(
      await org.json("POST", `${base}/validate-credentials`, { provider: "openai", api_key: "k", save: true }),
      "body.save",
    );
    // Nothing was written by a refused request: the session kept its name and no fork exists.
    expect((await org.json("GET", session)).body.session).toMatchObject({ name: "s", status: "active" });
    expect((await org.json("GET", `${base}/sessions`)).body.total).toBe(1);
  });

  it("the assistant's chat", async () => {
    const org = await newOrg();
    await refusedField(
      await org.json("POST", "/api/external/v1/chat", { message: "hi", conversation_id: "sess_x" }),
      "body.conversation_id",
    );
  });

  it("network_access, starter files, capability refs and config of a harness (both surfaces)", async () => {
    const org = await newOrg();
    // A misspelt `blocked` used to register a harness with no policy at all.
    await refusedField(
      await org.json("POST", "/v1/harnesses", {
        id: "typo",
        name: "T",
        vendor: "v",
        description: "d",
        execution_type: "hosted",
        config: {},
        network_access: { block: ["evil.example.com"] },
      }),
      "body.network_access.block",
    );
    await refusedField(
      await org.json("POST", "/v1/harnesses", {
        id: "typo",
        name: "T",
        vendor: "v",
        description: "d",
        execution_type: "hosted",
        config: { baseUrl: "https://partner.example/v1" },
      }),
      "body.config.baseUrl",
    );
    await refusedField(
      await org.json("POST", "/api/v1/harnesses", {
        name: "typo",
        system_prompt: "x",
        initial_files: [{ path: "/a.md", content: "a", readonly: true }],
      }),
      "body.initial_files[0].readonly",
    );
    await refusedField(
      await org.json("POST", "/api/v1/harnesses", {
        name: "typo",
        system_prompt: "x",
        capabilities: [{ ref: "current_time", configs: {} }],
      }),
      "body.capabilities[0].configs",
    );
    const h = await newHarness(org);
    await refusedField(
      await org.json("PATCH", `/v1/harnesses/${h.id}`, { network_access: { allow: ["*.example.com"] } }),
      "body.network_access.allow",
    );
    await refusedField(
      await org.json("POST", `/v1/harnesses/${h.id}/sessions`, { network_access: { blocked: ["x.example"], deny: ["y.example"] } }),
      "body.network_access.deny",
    );
    expect((await org.json("GET", "/v1/harnesses/typo")).status).toBe(404);
  });
});

describe("harnesses.validateCredentials: a base_url the harness's network_access blocks", () => {
  it("is refused with 422 network_blocked naming the rule, before the key is sent there", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { network_access: { blocked: ["127.0.0.1"] } });
    const body = { provider: "anthropic", api_key: SIM_ANTHROPIC_KEY, base_url: `${env.PROVIDER_SIM_URL}/anthropic/v1`, store: true };
    const refused = await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, body), 422, "network_blocked");
    expect(refused.error.details).toMatchObject({ field: "body.base_url", rule: `blocked: 127.0.0.1 (harness ${h.id})` });
    // The same key and URL are fine on a harness without that rule (the provider simulator accepts the key).
    const open = await newHarness(org);
    const accepted = await org.json("POST", `/v1/harnesses/${open.id}/validate-credentials`, { ...body, store: false });
    expect(accepted.body).toMatchObject({ valid: true, stored: false });
  });
});

describe("conformance.run on an archived harness", () => {
  it("is 409 harness_archived (offering unarchive) and records no run", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "scripted/conformance" });
    expect((await org.json("PATCH", `/api/v1/harnesses/${h.uid}`, { status: "archived" })).status).toBe(200);
    const refused = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/conformance/run`, { quick: true }),
      409,
      "harness_archived",
    );
    expect(refused.allowed_actions[0]).toMatchObject({ rel: "unarchive" });
    expect((await org.json("GET", `/v1/harnesses/${h.id}/conformance/results`)).body.total).toBe(0);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/conformance/status`)).body).toMatchObject({ status: "not_tested" });
  });
});

describe("sessions.connect ?after=", () => {
  it("refuses a seq too large to be one (400), as Last-Event-ID does, instead of replaying the whole log", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const created = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {});
    const connect = `/v1/harnesses/${h.id}/sessions/${created.body.session.id}/connect`;
    for (const after of ["99999999999999999999", "1e3", "-1"]) {
      const res = await org.fetch(`${connect}?after=${after}`, { headers: { upgrade: "websocket" } });
      const body = await res.json();
      await expectProblem({ status: res.status, headers: res.headers, body }, 400, "validation_error");
      expect((body as any).detail).toContain("query.after");
    }
  });
});
