/**
 * Domain 5 — tools: the unified list (built-in, MCP, custom), custom webhook tools (signed calls, verified
 * here with the `standardwebhooks` library and an HMAC of our own, streamed answers), and invoking any tool
 * outside an execution through the loop's one call path.
 */
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg } from "../helpers/api.ts";
import { readSse } from "../helpers/sse.ts";
import { received } from "../helpers/webhooks.ts";

const MCP = env.MCP_TEST_URL;
const RECEIVER = env.RECEIVER_URL;

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

const schema = { type: "object", properties: { order: { type: "string" } }, required: ["order"] };

describe("tools.list / tools.get", () => {
  it("lists what a run could use — built-in, MCP and custom — with source, source_id and input_schema", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "current_time" }] });
    const server = (
      await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, {
        name: "weather",
        transport: { type: "http", url: `${MCP}/modern/mcp` },
      })
    ).body.server;
    const custom = (
      await org.json("POST", `/v1/harnesses/${h.id}/tools`, {
        name: "lookup_order",
        description: "Look an order up.",
        input_schema: schema,
        handler: { type: "webhook", url: `${RECEIVER}/tools/lookup?mode=json` },
      })
    ).body.tool;
    const list = await org.json("GET", `/v1/harnesses/${h.id}/tools?limit=100`);
    expect(list.status).toBe(200);
    const byName = Object.fromEntries(list.body.data.map((t: any) => [t.name, t]));
    expect(byName.current_time).toMatchObject({
      id: "current_time",
      source: "builtin",
      source_id: "current_time",
      input_schema: { type: "object" },
    });
    expect(byName.mcp_weather__echo).toMatchObject({
      id: "mcp_weather__echo",
      source: "mcp",
      source_id: server.id,
      description: expect.stringContaining("Echo the text back."),
      input_schema: expect.objectContaining({ required: ["text"] }),
    });
    expect(byName.lookup_order).toMatchObject({ id: custom.id, source: "custom", source_id: custom.id, input_schema: schema });
    expect(list.body.tools).toEqual(list.body.data);
    const onlyCustom = await org.json("GET", `/v1/harnesses/${h.id}/tools?source=custom`);
    expect(onlyCustom.body.data.map((t: any) => t.name)).toEqual(["lookup_order"]);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/tools/${custom.id}`)).body.tool.name).toBe("lookup_order");
    expect((await org.json("GET", `/v1/harnesses/${h.id}/tools/mcp_weather__add`)).body.tool.source).toBe("mcp");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/tools/nope`), 404, "tool_not_found");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/tools?source=magic`), 400, "validation_error");
    await expectProblem(await (await newOrg()).json("GET", `/v1/harnesses/${h.id}/tools`), 404, "harness_not_found");
  });
});

describe("tools.invoke / tools.invokeStream", () => {
  it("runs MCP tools outside an execution: text, structured, image and resource results; tool errors are success:false", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await org.json("POST", `/v1/harnesses/${h.id}/mcp-servers`, { name: "m", transport: { type: "http", url: `${MCP}/modern/mcp` } });
    const add = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__add/invoke`, { input: { a: 2, b: 3 } });
    expect(add.body).toMatchObject({ success: true, output: { text: "5", structured: { sum: 5 } }, duration_ms: expect.any(Number) });
    const image = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__image/invoke`, { input: {} });
    expect(image.body.output.content).toEqual([
      { type: "image", mime_type: "image/png", size_bytes: expect.any(Number), data: expect.any(String) },
    ]);
    const resource = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__resource/invoke`, { input: {} });
    expect(resource.body.output.content).toEqual([
      { type: "resource", uri: "memo://readme", mime_type: "text/markdown", text: "# Readme\nHello from a resource." },
      { type: "resource_link", uri: "memo://other", name: "other", mime_type: "text/plain" },
    ]);
    const fail = await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__fail/invoke`, { input: {} });
    expect(fail.status).toBe(200);
    expect(fail.body).toMatchObject({ success: false, code: "mcp_tool_error", error: expect.stringContaining("the fail tool failed") });
    const invalid = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__add/invoke`, { input: { a: "two" } }),
      400,
      "validation_error",
    );
    expect(invalid.error.details.issues.join(" ")).toContain("/a");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__add/invoke`, {}), 400, "validation_error");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/tools/nothing/invoke`, { input: {} }), 404, "tool_not_found");
    await expectProblem(
      await (await newOrg()).json("POST", `/v1/harnesses/${h.id}/tools/mcp_m__add/invoke`, { input: { a: 1, b: 1 } }),
      404,
      "harness_not_found",
    );
  });

  it("calls a webhook tool with a signed POST both signature schemes verify", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const registered = await org.json("POST", `/v1/harnesses/${h.id}/tools`, {
      name: "lookup_order",
      description: "Look an order up.",
      input_schema: schema,
      handler: { type: "webhook", url: `${RECEIVER}/tools/signed-${h.id}?mode=json` },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      tool: { source: "custom", handler: { type: "webhook" } },
      signing_secret: expect.stringMatching(/^whsec_/),
    });
    const secret = registered.body.signing_secret as string;
    const result = await org.json("POST", `/v1/harnesses/${h.id}/tools/lookup_order/invoke`, { input: { order: "A-1" } });
    expect(result.body).toMatchObject({ success: true, output: { answer: `signed-${h.id} got {"order":"A-1"}` } });
    const [delivery] = await received(`signed-${h.id}`);
    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({ tool: "lookup_order", tool_id: registered.body.tool.id, input: { order: "A-1" }, harness_id: h.id });
    expect(() => new Webhook(secret).verify(delivery!.body, delivery!.headers)).not.toThrow();
    expect(delivery!.headers["x-openharness-signature"]).toBe(`sha256=${await hmacHex(secret, delivery!.body)}`);
    // The secret is shown once, never again, and sealed at rest.
    expect(JSON.stringify((await org.json("GET", `/v1/harnesses/${h.id}/tools/lookup_order`)).body)).not.toContain(secret);
    const row = await env.DB.prepare("SELECT sealed_secret FROM custom_tools WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ sealed_secret: string }>();
    expect(row!.sealed_secret).not.toContain(secret);
  });

  it("streams output and progress as the webhook sends them (NDJSON and SSE), then done", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (const mode of ["ndjson", "sse"]) {
      await org.json("POST", `/v1/harnesses/${h.id}/tools`, {
        name: `stream_${mode}`,
        description: "Streams.",
        input_schema: { type: "object" },
        handler: { type: "webhook", url: `${RECEIVER}/tools/stream?mode=${mode}` },
      });
      const res = await org.fetch(`/v1/harnesses/${h.id}/tools/stream_${mode}/invoke/stream`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: { q: mode } }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const frames = await readSse(res);
      expect(frames.map((f) => f.event)).toEqual(["progress", "output", "output", "done"]);
      expect(frames.map((f) => Number(f.id))).toEqual([1, 2, 3, 4]);
      expect(frames[0]!.data).toEqual({ type: "progress", percentage: 50, message: "halfway" });
      expect(frames[2]!.data).toEqual({ type: "output", data: { part: 2, input: { q: mode } } });
      expect(frames[3]!.data).toMatchObject({ type: "done", success: true, duration_ms: expect.any(Number) });
    }
    // A tool that fails streams `error` before `done`; the non-streaming invoke answers success:false.
    await org.json("POST", `/v1/harnesses/${h.id}/tools`, {
      name: "broken",
      description: "Fails.",
      input_schema: { type: "object" },
      handler: { type: "webhook", url: `${RECEIVER}/tools/broken?mode=error&status=502` },
    });
    const failed = await readSse(
      await org.fetch(`/v1/harnesses/${h.id}/tools/broken/invoke/stream`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"input":{}}',
      }),
    );
    expect(failed.map((f) => f.data)).toEqual([
      { type: "error", code: "webhook_failed", message: expect.stringContaining("HTTP 502") },
      { type: "done", success: false, duration_ms: expect.any(Number) },
    ]);
    const plain = await org.json("POST", `/v1/harnesses/${h.id}/tools/broken/invoke`, { input: {} });
    expect(plain.body).toMatchObject({ success: false, code: "webhook_failed" });
  });
});

describe("tools.register / tools.unregister", () => {
  it("refuses command handlers, bad names and schemas, duplicates and blocked URLs; unregisters custom tools only", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "current_time" }], network_access: { allowed: ["127.0.0.1"] } });
    const base = { description: "d", input_schema: { type: "object" }, handler: { type: "webhook", url: `${RECEIVER}/tools/x` } };
    const command = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/tools`, { ...base, name: "sh", handler: { type: "command", command: "ls" } }),
      422,
      "tool_handler_unsupported",
    );
    expect(command.detail).toContain("start no processes");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/tools`, { ...base, name: "has space" }), 400, "validation_error");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/tools`, { ...base, name: "t", input_schema: { type: "string" } }),
      400,
      "validation_error",
    );
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/tools`, { ...base, name: "current_time" }), 409, "tool_exists");
    const blocked = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/tools`, {
        ...base,
        name: "t",
        handler: { type: "webhook", url: "https://example.com/hook" },
      }),
      422,
      "network_blocked",
    );
    expect(blocked.error.details.rule).toBe(`allowed: 127.0.0.1 (harness ${h.id})`);
    const created = await org.json("POST", `/v1/harnesses/${h.id}/tools`, { ...base, name: "t" });
    expect(created.status).toBe(201);
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/tools`, { ...base, name: "t" }), 409, "tool_exists");
    const builtin = await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/tools/current_time`), 409, "tool_not_custom");
    expect(builtin.error.details).toMatchObject({ source: "builtin" });
    await expectProblem(await (await newOrg()).json("DELETE", `/v1/harnesses/${h.id}/tools/t`), 404, "harness_not_found");
    expect((await org.json("DELETE", `/v1/harnesses/${h.id}/tools/${created.body.tool.id}`)).status).toBe(204);
    await expectProblem(await org.json("DELETE", `/v1/harnesses/${h.id}/tools/t`), 404, "tool_not_found");
  });
});
