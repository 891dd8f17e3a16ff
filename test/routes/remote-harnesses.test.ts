import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg, ORIGIN, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

/** A native harness `target` and a remote harness `proxy` pointing at it through this same deployment. */
async function proxied(org: TestOrg, connect = true) {
  const target = await newHarness(org, { default_model_id: "scripted/conformance", capability_refs: [{ ref: "current_time" }] });
  const proxy = await newHarness(org, { default_model_id: undefined, config: { base_url: `${ORIGIN}/v1`, remote_harness_id: target.id } });
  if (connect) {
    const stored = await org.json("POST", `/v1/harnesses/${proxy.id}/validate-credentials`, { api_key: org.token, store: true });
    expect(stored.body, JSON.stringify(stored.body)).toEqual({ valid: true, stored: true, provider: "openharness" });
  }
  return { target, proxy };
}

describe("remote harnesses: an adapter for another Open Harness server", () => {
  it("derives kind remote from a base_url, reads the remote's manifest once its key is stored", async () => {
    const org = await newOrg();
    const { target, proxy } = await proxied(org, false);
    expect(proxy.kind).toBe("remote");
    const before = await org.json("GET", `/v1/harnesses/${proxy.id}/capabilities`);
    expect(before.body.capabilities.execution).toMatchObject({
      supported: false,
      limitations: [expect.stringContaining("validateCredentials")],
    });
    await expectProblem(await org.json("POST", `/v1/harnesses/${proxy.id}/execute`, { message: "hi" }), 409, "remote_not_connected");
    const refused = await org.json("POST", `/v1/harnesses/${proxy.id}/validate-credentials`, { api_key: "eh_sk_wrong", store: true });
    expect(refused.body).toMatchObject({ valid: false, stored: false, provider: "openharness", error: expect.stringContaining("401") });
    await org.json("POST", `/v1/harnesses/${proxy.id}/validate-credentials`, { api_key: org.token, store: true });
    const targetManifest = (await org.json("GET", `/v1/harnesses/${target.id}/capabilities`)).body.capabilities;
    const after = await org.json("GET", `/v1/harnesses/${proxy.id}/capabilities`);
    expect(after.body).toMatchObject({ harness_id: proxy.id, capabilities: targetManifest });
    expect((await org.json("GET", `/v1/harnesses/${proxy.id}`)).body.harness.capabilities).toEqual(targetManifest);
    const health = await org.json("GET", `/v1/harnesses/${proxy.id}/health`);
    expect(health.body.checks.find((c: any) => c.name === "remote")).toMatchObject({ status: "pass" });
  });

  it("proxies executions, their result and their stream (resumable), under this server's ids and URLs", async () => {
    const org = await newOrg();
    const { target, proxy } = await proxied(org);
    const started = await org.json("POST", `/v1/harnesses/${proxy.id}/execute`, { message: "What is 7 * 8?" });
    expect(started.status).toBe(202);
    expect(started.body.stream_url).toBe(`${ORIGIN}/v1/harnesses/${proxy.id}/executions/${started.body.execution_id}/stream`);
    expect(started.headers.get("location")).toBe(`/v1/harnesses/${proxy.id}/executions/${started.body.execution_id}`);
    let result: any;
    for (let i = 0; i < 100 && !result; i++) {
      const r = await org.json("GET", `/v1/harnesses/${proxy.id}/executions/${started.body.execution_id}/result`);
      if (r.status === 200) result = r.body.result;
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(result).toMatchObject({ status: "completed", output: "56", metadata: { harness_id: proxy.id } });
    const streamed = await org.fetch(`/v1/harnesses/${proxy.id}/execute/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Count from 1 to 5" }),
    });
    const id = streamed.headers.get("x-execution-id")!;
    const frames = await readSse(streamed);
    expect(frames.at(-1)!.data.type).toBe("done");
    const rest = await readSse(
      await org.fetch(`/v1/harnesses/${proxy.id}/executions/${id}/stream`, { headers: { "last-event-id": frames[1]!.id! } }),
    );
    expect(rest.map((f) => f.id)).toEqual(frames.slice(2).map((f) => f.id));
    // The run happened on the target; the proxy answered under its own id.
    expect((await org.json("GET", `/v1/harnesses/${target.id}/executions/${id}`)).body.execution.harness_id).toBe(target.id);
    expect((await org.json("GET", `/v1/harnesses/${proxy.id}/executions/${id}`)).body.execution.harness_id).toBe(proxy.id);
  });

  it("passes on the remote's 501 for an operation it does not serve, and shows its manifest", async () => {
    const org = await newOrg();
    const partner = await newHarness(org, {
      default_model_id: undefined,
      config: { base_url: `${env.PAGES_URL}/partner/v1`, remote_harness_id: "theirs" },
    });
    const stored = await org.json("POST", `/v1/harnesses/${partner.id}/validate-credentials`, { api_key: "partner-key", store: true });
    expect(stored.body).toEqual({ valid: true, stored: true, provider: "openharness" });
    expect((await org.json("GET", `/v1/harnesses/${partner.id}/capabilities`)).body.capabilities.mcp).toEqual({
      supported: false,
      operations: [],
    });
    const unserved = await org.json("GET", `/v1/harnesses/${partner.id}/mcp-servers`);
    expect(unserved.status).toBe(501);
    expect(unserved.body.error).toMatchObject({ code: "capability_not_supported" });
  });

  it("checks scopes and organizations before proxying, and refuses private or blocked servers", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const { proxy } = await proxied(a);
    await expectProblem(await b.json("POST", `/v1/harnesses/${proxy.id}/execute`, { message: "hi" }), 404, "harness_not_found");
    const privateRemote = await newHarness(a, { config: { base_url: "https://10.0.0.7/v1" } });
    const refused = await a.json("POST", `/v1/harnesses/${privateRemote.id}/validate-credentials`, { api_key: "k", store: true });
    await expectProblem(refused, 422, "network_blocked");
    const blocked = await newHarness(a, { config: { base_url: `${ORIGIN}/v1` }, network_access: { blocked: ["edgeharness.test"] } });
    await expectProblem(
      await a.json("POST", `/v1/harnesses/${blocked.id}/validate-credentials`, { api_key: a.token, store: true }),
      422,
      "network_blocked",
    );
    await expectProblem(
      await a.json("POST", `/v1/harnesses/${proxy.id}/validate-credentials`, { api_key: a.token, base_url: "https://x.example/v1" }),
      400,
      "validation_error",
    );
  });
});
