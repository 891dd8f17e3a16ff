/**
 * The `web_fetch` capability ref against a real local page server: HTML read as Markdown, other content
 * types by type, redirects followed and judged at every hop, the size and time limits.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";

const PAGES = env.PAGES_URL;

async function fetchTool(org: TestOrg, harness: string, input: Record<string, unknown>) {
  const res = await org.json("POST", `/v1/harnesses/${harness}/tools/web_fetch/invoke`, { input });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("web_fetch", () => {
  it("reads HTML as Markdown (the main content, no scripts, styles or navigation), text, JSON, HEAD and binary by type", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "web_fetch" }] });
    const page = await fetchTool(org, h.id, { url: `${PAGES}/page.html` });
    expect(page).toMatchObject({ success: true, output: { status: 200, title: "Edge Recipes", format: "markdown", truncated: false } });
    const markdown = page.output.content as string;
    expect(markdown).toContain("# Vegetable curry");
    expect(markdown).toContain("[spices](https://example.com/spices)");
    expect(markdown).toContain("* Onion");
    expect(markdown).not.toMatch(/alert|color:red|About|© Edge/);
    const text = await fetchTool(org, h.id, { url: `${PAGES}/page.html`, format: "text" });
    expect(text.output.content).toContain("A quick curry with spices.");
    expect((await fetchTool(org, h.id, { url: `${PAGES}/plain.txt` })).output).toMatchObject({ format: "text", content: "Just text.\n" });
    expect((await fetchTool(org, h.id, { url: `${PAGES}/data.json` })).output.content).toBe('{\n  "name": "curry",\n  "serves": 4\n}');
    const image = await fetchTool(org, h.id, { url: `${PAGES}/image.png` });
    expect(image.output).toMatchObject({
      format: "binary",
      content: null,
      content_type: "image/png",
      note: expect.stringContaining("image/png"),
    });
    const head = await fetchTool(org, h.id, { url: `${PAGES}/page.html`, method: "HEAD" });
    expect(head.output).toMatchObject({ status: 200, headers: { "content-type": "text/html; charset=utf-8" } });
    expect(head.output.content).toBeUndefined();
  });

  it("follows redirects, judging every hop: a redirect to the metadata address is refused naming the rule", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "web_fetch" }] });
    const followed = await fetchTool(org, h.id, { url: `${PAGES}/redirect?to=/plain.txt` });
    expect(followed.output).toMatchObject({
      url: `${PAGES}/plain.txt`,
      content: "Just text.\n",
      redirects: [`${PAGES}/redirect?to=/plain.txt`, `${PAGES}/plain.txt`],
    });
    const meta = await fetchTool(org, h.id, { url: `${PAGES}/redirect-private` });
    expect(meta).toMatchObject({ success: false, code: "network_blocked" });
    expect(meta.error).toContain("a redirect to http://169.254.169.254/latest/meta-data/ was refused");
    expect(meta.error).toContain("private addresses");
    const loop = await fetchTool(org, h.id, { url: `${PAGES}/redirect-chain?n=7` });
    expect(loop).toMatchObject({ success: false, code: "too_many_redirects" });
    const scheme = await fetchTool(org, h.id, { url: "file:///etc/passwd" });
    expect(scheme).toMatchObject({ success: false, code: "network_blocked" });
  });

  it("applies the harness's network_access (layers only narrow) on the first URL and on every hop", async () => {
    const org = await newOrg();
    const parent = await newHarness(org, { network_access: { allowed: ["127.0.0.1", "example.com"] } });
    const h = await newHarness(org, {
      capability_refs: [{ ref: "web_fetch" }],
      parent_harness_id: parent.id,
      network_access: { allowed: ["example.com"] },
    });
    const refused = await fetchTool(org, h.id, { url: `${PAGES}/plain.txt` });
    expect(refused).toMatchObject({ success: false, code: "network_blocked" });
    expect(refused.error).toContain(`allowed: example.com (harness ${h.id})`);
    const open = await newHarness(org, { capability_refs: [{ ref: "web_fetch" }], network_access: { blocked: ["127.0.0.1"] } });
    const blocked = await fetchTool(org, open.id, { url: `${PAGES}/plain.txt` });
    expect(blocked.error).toContain(`blocked: 127.0.0.1 (harness ${open.id})`);
  });

  it("cuts a huge body at the size limit and gives up on a body that stops coming", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "web_fetch" }] });
    const huge = await fetchTool(org, h.id, { url: `${PAGES}/huge` });
    expect(huge.output).toMatchObject({ bytes: 2 * 1024 * 1024, truncated: true });
    expect((huge.output.content as string).length).toBe(100_000);
    const slow = await fetchTool(org, h.id, { url: `${PAGES}/slow` });
    expect(slow).toMatchObject({ success: false, code: "timeout" });
  });

  it("is a capability ref of the catalog and needs it: without the ref there is no web_fetch", async () => {
    const org = await newOrg();
    const catalog = await org.json("GET", "/api/v1/capabilities");
    expect(JSON.stringify(catalog.body)).toContain("web_fetch");
    const h = await newHarness(org, { capability_refs: [{ ref: "current_time" }] });
    expect((await org.json("POST", `/v1/harnesses/${h.id}/tools/web_fetch/invoke`, { input: { url: `${PAGES}/plain.txt` } })).status).toBe(
      404,
    );
  });
});

describe("network_access layers of a run: agent and session", () => {
  it("a session's network_access narrows the harness's for its turns, named in the refusal", async () => {
    const org = await newOrg();
    const h = await newHarness(org, { capability_refs: [{ ref: "web_fetch" }], default_model_id: "scripted/call" });
    const created = await org.json("POST", `/v1/harnesses/${h.id}/sessions`, { network_access: { blocked: ["127.0.0.1"] } });
    expect(created.status).toBe(201);
    const session = created.body.session.id as string;
    const turn = await org.json("POST", `/v1/harnesses/${h.id}/sessions/${session}/message`, {
      content: `call web_fetch with {"url":"${PAGES}/plain.txt"}`,
    });
    expect(turn.status).toBe(200);
    expect(turn.body.response.content).toContain("network_blocked");
    expect(turn.body.response.content).toContain(`blocked: 127.0.0.1 (session ${session})`);
    // The same harness without the session layer reaches the page.
    const direct = await fetchTool(org, h.id, { url: `${PAGES}/plain.txt` });
    expect(direct.success).toBe(true);
    await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/sessions`, { network_access: { allowed: ["not a host"] } }),
      400,
      "validation_error",
    );
  });
});
