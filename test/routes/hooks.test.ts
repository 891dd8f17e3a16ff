import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { received } from "../helpers/webhooks.ts";
import { waitForResult } from "../helpers/executions.ts";

const RECEIVER = env.RECEIVER_URL;

/** A harness whose agent has the workspace file tools. */
function toolsHarness(org: TestOrg) {
  return newHarness(org, { capability_refs: [{ ref: "workspace_files" }, { ref: "current_time" }] });
}

async function run(org: TestOrg, harness: string, model = "scripted/write") {
  const started = await org.json("POST", `/v1/harnesses/${harness}/execute`, { message: "write the note", model });
  expect(started.status).toBe(202);
  const result = await waitForResult(org, harness, started.body.execution_id, { assertPending: true });
  const calls = (await org.json("GET", `/v1/harnesses/${harness}/executions/${started.body.execution_id}/tool-calls`)).body.tool_calls;
  return { executionId: started.body.execution_id as string, result, calls };
}

async function hook(org: TestOrg, harness: string, body: Record<string, unknown>) {
  const res = await org.json("POST", `/v1/harnesses/${harness}/hooks`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.hook;
}

describe("hooks.register / list / get / update / unregister", () => {
  it("registers a webhook hook (secret shown once), maps aliases, lists, updates and removes it (HOK-01)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const created = await hook(org, h.id, { event: "tool.before", handler: { type: "webhook", url: `${RECEIVER}/hooks/x` } });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^hook_/),
      event: "pre_tool",
      blocking: true,
      enabled: true,
      timeout_ms: 5000,
      on_error: "deny",
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]{40,}$/),
    });
    const stop = await hook(org, h.id, { event: "after_execute", handler: { type: "webhook", url: `${RECEIVER}/hooks/y` } });
    expect(stop).toMatchObject({ event: "stop", blocking: false });
    const got = await org.json("GET", `/v1/harnesses/${h.id}/hooks/${created.id}`);
    expect(got.body.hook.secret).toBe(`whsec_…${created.secret.slice(-4)}`);
    const onlyPre = await org.json("GET", `/v1/harnesses/${h.id}/hooks?event=pre-tool`);
    expect(onlyPre.body.hooks.map((x: any) => x.id)).toEqual([created.id]);
    const updated = await org.json("PATCH", `/v1/harnesses/${h.id}/hooks/${created.id}`, {
      enabled: false,
      on_error: "allow",
      timeout_ms: 250,
    });
    expect(updated.body.hook).toMatchObject({ enabled: false, on_error: "allow", timeout_ms: 250, event: "pre_tool" });
    await expectProblem(await org.json("PATCH", `/v1/harnesses/${h.id}/hooks/${created.id}`, { event: "stop" }), 400, "validation_error");
    expect((await org.fetch(`/v1/harnesses/${h.id}/hooks/${created.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/hooks/${created.id}`), 404, "hook_not_found");
    expect((await org.json("GET", `/v1/harnesses/${h.id}/hooks`)).body.hooks.map((x: any) => x.id)).toEqual([stop.id]);
  });

  it("refuses command handlers (422), custom and unknown events, unsafe URLs and hosts the network policy blocks", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { network_access: { blocked: ["127.0.0.1"] } });
    const command = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/hooks`, { event: "pre_tool", handler: { type: "command", command: "./check.sh" } }),
      422,
      "hook_handler_unsupported",
    );
    expect(command.detail).toContain("no processes");
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/hooks`, {
        event: "custom",
        handler: { type: "webhook", url: "https://example.com/h" },
      }),
      400,
      "validation_error",
    );
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/hooks`, {
        event: "whenever",
        handler: { type: "webhook", url: "https://example.com/h" },
      }),
      400,
      "validation_error",
    );
    for (const url of ["http://example.com/h", "https://169.254.169.254/latest", "https://user:pw@example.com/h", "ftp://example.com"]) {
      await expectProblem(
        await org.json("POST", `/v1/harnesses/${h.id}/hooks`, { event: "stop", handler: { type: "webhook", url } }),
        422,
        "network_blocked",
      );
    }
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/hooks`, { event: "stop", handler: { type: "webhook", url: `${RECEIVER}/hooks/z` } }),
      422,
      "network_blocked",
    );
  });

  it("is invisible to another organization (404)", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const h = await newHarness(org);
    const created = await hook(org, h.id, { event: "stop", handler: { type: "webhook", url: `${RECEIVER}/hooks/o` } });
    await expectProblem(await other.json("GET", `/v1/harnesses/${h.id}/hooks/${created.id}`), 404, "harness_not_found");
    await expectProblem(await other.json("GET", `/v1/harnesses/${h.id}/hooks`), 404, "harness_not_found");
    const theirs = await newHarness(other);
    await expectProblem(await other.json("GET", `/v1/harnesses/${theirs.id}/hooks/${created.id}`), 404, "hook_not_found");
  });
});

describe("blocking pre_tool hooks (HOK-04)", () => {
  it("denies write_file: the model sees the reason as a failed tool result, nothing is written, the firing is an event", async () => {
    const org = await newOrg();
    const h = await toolsHarness(org);
    const name = `deny-${crypto.randomUUID()}`;
    const created = await hook(org, h.id, {
      event: "pre_tool",
      handler: {
        type: "webhook",
        url: `${RECEIVER}/hooks/${name}?answer=deny&reason=${encodeURIComponent("no writes on Fridays")}&only_tool=write_file`,
      },
    });
    const { result, calls } = await run(org, h.id);
    expect(calls).toEqual([expect.objectContaining({ name: "write_file", status: "failed", error: "hook_denied: no writes on Fridays" })]);
    expect(result.output).toContain("hook_denied: no writes on Fridays");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/files/notes/hello.txt`), 404, "file_not_found");
    // The hook was called with a signed hook.triggered payload that the standardwebhooks library verifies.
    const [call] = await received(name);
    const payload = new Webhook(created.secret).verify(call!.body, call!.headers) as any;
    expect(payload).toMatchObject({
      type: "hook.triggered",
      hook_id: created.id,
      event: "pre_tool",
      data: { tool: { name: "write_file" }, input: { path: "notes/hello.txt" } },
    });
    const events = await org.json("GET", `/v1/harnesses/${h.id}/events?type=hook.triggered`);
    expect(events.body.data[0].data).toMatchObject({
      type: "hook.triggered",
      hook_id: created.id,
      event: "pre_tool",
      data: { decision: { action: "deny", by: "answer", reason: "no writes on Fridays" } },
    });
  });

  it("rewrites the input: the tool runs with what the hook answered", async () => {
    const org = await newOrg();
    const h = await toolsHarness(org);
    const input = JSON.stringify({ path: "notes/rewritten.txt", content: "rewritten by the hook" });
    await hook(org, h.id, {
      event: "pre_tool",
      handler: { type: "webhook", url: `${RECEIVER}/hooks/rw-${crypto.randomUUID()}?answer=rewrite&input=${encodeURIComponent(input)}` },
    });
    const { calls } = await run(org, h.id);
    expect(calls[0]).toMatchObject({ name: "write_file", status: "completed", output: { path: "/notes/rewritten.txt" } });
    expect(await (await org.fetch(`/v1/harnesses/${h.id}/files/notes/rewritten.txt`)).text()).toBe("rewritten by the hook");
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/files/notes/hello.txt`), 404, "file_not_found");
  });

  it("times out: on_error allow lets the call run, on_error deny refuses it and says why", async () => {
    for (const onError of ["allow", "deny"] as const) {
      const org = await newOrg();
      const h = await toolsHarness(org);
      await hook(org, h.id, {
        event: "pre_tool",
        timeout_ms: 200,
        on_error: onError,
        handler: { type: "webhook", url: `${RECEIVER}/hooks/slow-${crypto.randomUUID()}?delay_ms=2000&answer=deny` },
      });
      const { calls } = await run(org, h.id);
      const events = await org.json("GET", `/v1/harnesses/${h.id}/events?type=hook.triggered`);
      const decision = events.body.data[0].data.data.decision;
      expect(decision).toMatchObject({ action: onError, by: "on_error", error: "no answer within 200 ms" });
      if (onError === "allow") {
        expect(calls[0]).toMatchObject({ status: "completed" });
        expect((await org.fetch(`/v1/harnesses/${h.id}/files/notes/hello.txt`)).status).toBe(200);
      } else {
        expect(calls[0]).toMatchObject({ status: "failed", error: expect.stringContaining("no answer within 200 ms") });
        expect((await org.fetch(`/v1/harnesses/${h.id}/files/notes/hello.txt`)).status).toBe(404);
      }
    }
  });

  it("applies on_error to an answer that is not JSON, and a disabled hook is not asked", async () => {
    const org = await newOrg();
    const h = await toolsHarness(org);
    const created = await hook(org, h.id, {
      event: "pre_tool",
      handler: { type: "webhook", url: `${RECEIVER}/hooks/g-${crypto.randomUUID()}?answer=garbage` },
    });
    expect((await run(org, h.id)).calls[0]).toMatchObject({ status: "failed", error: expect.stringContaining("the answer is not JSON") });
    await org.json("PATCH", `/v1/harnesses/${h.id}/hooks/${created.id}`, { enabled: false });
    expect((await run(org, h.id)).calls[0]).toMatchObject({ status: "completed" });
  });
});

describe("non-blocking hooks through the queue", () => {
  it("fire around an execution with meaningful data; three on one event each fire once; unregistered ones stop (HOK-02/03/05/06)", async () => {
    const org = await newOrg();
    const h = await toolsHarness(org);
    const names = [0, 1, 2].map((i) => `stop${i}-${crypto.randomUUID()}`);
    const stops = [];
    for (const name of names)
      stops.push(await hook(org, h.id, { event: "stop", handler: { type: "webhook", url: `${RECEIVER}/hooks/${name}` } }));
    const post = `post-${crypto.randomUUID()}`;
    const postHook = await hook(org, h.id, { event: "on_tool_call", handler: { type: "webhook", url: `${RECEIVER}/hooks/${post}` } });
    const start = `start-${crypto.randomUUID()}`;
    await hook(org, h.id, { event: "before_execute", handler: { type: "webhook", url: `${RECEIVER}/hooks/${start}` } });
    const first = await run(org, h.id);
    await vi.waitFor(
      async () => {
        for (const name of [...names, post, start]) expect(await received(name)).toHaveLength(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    const [postCall] = await received(post);
    const postPayload = new Webhook(postHook.secret).verify(postCall!.body, postCall!.headers) as any;
    expect(postPayload).toMatchObject({
      type: "hook.triggered",
      event: "post_tool",
      data: { execution_id: first.executionId, tool: { name: "write_file" }, input: { path: "notes/hello.txt" }, success: true },
    });
    const [stopCall] = await received(names[0]!);
    expect(JSON.parse(stopCall!.body)).toMatchObject({ event: "stop", data: { execution_id: first.executionId, status: "completed" } });
    expect((await org.fetch(`/v1/harnesses/${h.id}/hooks/${stops[0].id}`, { method: "DELETE" })).status).toBe(204);
    await run(org, h.id);
    await vi.waitFor(async () => expect(await received(names[1]!)).toHaveLength(2), { timeout: 10_000, interval: 100 });
    expect(await received(names[0]!)).toHaveLength(1);
  });

  it("checks the harness's network policy again at every firing: a host blocked since registration is not called", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const name = `blocked-${crypto.randomUUID()}`;
    const created = await hook(org, h.id, { event: "stop", handler: { type: "webhook", url: `${RECEIVER}/hooks/${name}` } });
    const patched = await org.json("PATCH", `/v1/harnesses/${h.id}`, { network_access: { blocked: ["127.0.0.1"] } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await run(org, h.id, "scripted/echo");
    await vi.waitFor(
      async () => {
        const events = await org.json("GET", `/v1/harnesses/${h.id}/events?type=hook.triggered`);
        expect(events.body.data[0]?.data).toMatchObject({
          hook_id: created.id,
          event: "stop",
          data: { refused: expect.stringContaining("blocked") },
        });
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await received(name)).toEqual([]);
  });
});
