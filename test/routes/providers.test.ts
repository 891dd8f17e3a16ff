/**
 * The real provider code paths (AI SDK Anthropic / OpenAI Chat Completions / OpenAI-compatible clients)
 * driven over HTTP against the local simulator started in globalSetup — no stub models here.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SIM_ANTHROPIC_KEY, SIM_OPENAI_KEY } from "../helpers/provider-sim.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";

const SIM = env.PROVIDER_SIM_URL;

async function simRequests(): Promise<any[]> {
  return (await (await fetch(`${SIM}/__requests`)).json()) as any[];
}

async function stream(org: TestOrg, harness: string, body: Record<string, unknown>) {
  const res = await org.fetch(`/v1/harnesses/${harness}/execute/stream`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return { id: res.headers.get("x-execution-id")!, frames: await readSse(res) };
}

describe("harnesses.validateCredentials against a real provider API", () => {
  it("checks a key with a real call and stores it encrypted when asked", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bad = await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "anthropic",
      api_key: "wrong",
      base_url: `${SIM}/anthropic/v1`,
      store: true,
    });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ valid: false, stored: false, error: expect.stringContaining("401") });
    const good = await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "anthropic",
      api_key: SIM_ANTHROPIC_KEY,
      base_url: `${SIM}/anthropic/v1`,
    });
    expect(good.body).toMatchObject({ valid: true, stored: false, provider: "anthropic" });
    const stored = await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "anthropic",
      api_key: SIM_ANTHROPIC_KEY,
      base_url: `${SIM}/anthropic/v1`,
      store: true,
    });
    expect(stored.body).toMatchObject({ valid: true, stored: true });
    const row = await env.DB.prepare("SELECT sealed_api_key FROM harness_credentials WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ sealed_api_key: string }>();
    expect(row!.sealed_api_key).toMatch(/^v1\./);
    expect(row!.sealed_api_key).not.toContain(SIM_ANTHROPIC_KEY);
  });

  it("refuses private or non-https base URLs and bad input", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (const base_url of [
      "http://10.0.0.5/v1",
      "https://169.254.169.254/latest",
      "http://example.com/v1",
      "https://user:pw@example.com/v1",
    ]) {
      const body = await expectProblem(
        await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, { api_key: "k", base_url }),
        400,
        "validation_error",
      );
      expect(body.error.details.field).toBe("body.base_url");
    }
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, { api_key: "" }), 400, "validation_error");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {}), 400, "validation_error");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, { api_key: "k", store: "yes" }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, { api_key: "k", provider: "openai-compatible" }),
      400,
      "validation_error",
    );
    const other = await newOrg();
    await expectProblem(await other.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, { api_key: "k" }), 404, "harness_not_found");
  });
});

describe("agent loop over real provider protocols", () => {
  it("Anthropic Messages streaming: stored key, tool call round trip, usage", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { default_model_id: "anthropic/claude-haiku-4-5", system_prompt: "SYSTEM-MARKER-A" });
    await org.json("POST", `/v1/harnesses/${h.id}/validate-credentials`, {
      provider: "anthropic",
      api_key: SIM_ANTHROPIC_KEY,
      base_url: `${SIM}/anthropic/v1`,
      store: true,
    });
    await fetch(`${SIM}/__requests`, { method: "DELETE" });
    const { id, frames } = await stream(org, h.id, { message: "please use current_time now" });
    const types = frames.map((f) => f.data.type);
    expect(types).toContain("tool_call_start");
    expect(frames.find((f) => f.data.type === "tool_call_start")!.data.name).toBe("current_time");
    expect(frames.find((f) => f.data.type === "tool_result")!.data.success).toBe(true);
    expect(frames.at(-1)!.data.type).toBe("done");
    expect(frames.at(-1)!.data.usage.input_tokens).toBeGreaterThan(0);
    const text = frames
      .filter((f) => f.data.type === "text")
      .map((f) => f.data.content)
      .join("");
    expect(text).toContain("Tool result received:");
    const requests = (await simRequests()).filter((r) => r.path === "/anthropic/v1/messages");
    expect(requests).toHaveLength(2);
    expect(requests[0].headers["x-api-key"]).toBe(true);
    expect(JSON.stringify(requests[0].body.system)).toContain("SYSTEM-MARKER-A");
    const result = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/result`)).body.result;
    expect(result.metadata).toMatchObject({ model: "anthropic/claude-haiku-4-5", scripted: false });
  });

  it("OpenAI Chat Completions streaming with inline credentials that are never stored", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { frames } = await stream(org, h.id, {
      message: "hello openai",
      model: "openai/gpt-4o-mini",
      harness_credentials: { api_key: SIM_OPENAI_KEY, base_url: `${SIM}/openai/v1` },
    });
    expect(
      frames
        .filter((f) => f.data.type === "text")
        .map((f) => f.data.content)
        .join(""),
    ).toBe("Simulated openai reply to: hello openai");
    expect(frames.at(-1)!.data.type).toBe("done");
    const creds = await env.DB.prepare("SELECT count(*) AS n FROM harness_credentials WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(creds!.n).toBe(0);
  });

  it("OpenAI-compatible servers (Ollama, vLLM…) with a tool call", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { id, frames } = await stream(org, h.id, {
      message: "please use write_file",
      model: "openai-compatible/llama3.2",
      harness_credentials: { api_key: SIM_OPENAI_KEY, base_url: `${SIM}/openai/v1` },
    });
    expect(frames.find((f) => f.data.type === "tool_call_end")!.data.input).toEqual({
      path: "notes/sim.txt",
      content: "written by the simulator",
    });
    expect(frames.some((f) => f.data.type === "artifact" && f.data.name === "sim.txt")).toBe(true);
    expect(frames.at(-1)!.data.type).toBe("done");
    const calls = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/tool-calls`)).body.tool_calls;
    expect(calls[0]).toMatchObject({ name: "write_file", status: "completed" });
  });

  it("a provider that rejects the key ends the run with an error event", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const { id, frames } = await stream(org, h.id, {
      message: "hello",
      model: "openai/gpt-4o-mini",
      harness_credentials: { api_key: "wrong", base_url: `${SIM}/openai/v1` },
    });
    expect(frames.at(-1)!.data).toMatchObject({ type: "error", code: "model_error", recoverable: false });
    expect(frames.at(-1)!.data.message).toContain("401");
    expect(frames.at(-1)!.data.message).not.toContain("wrong");
    const result = (await org.json("GET", `/v1/harnesses/${h.id}/executions/${id}/result`)).body.result;
    expect(result).toMatchObject({ status: "failed", metadata: { error_code: "model_error" } });
  });
});
