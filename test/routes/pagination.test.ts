/**
 * Paging as the Open Harness reference TypeScript client does it (spec §9.1 #1): it reads `items` and
 * pages with an opaque `cursor`, where the spec's envelope is `{data, total, limit, offset, has_more}`.
 * Every paginated operation serves both; the walk derives them from `/openapi.json`.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newAgent } from "../helpers/agents.ts";
import { call, expectProblem, newHarness, newOrg } from "../helpers/api.ts";

async function pagedOperations(): Promise<{ operationId: string; path: string }[]> {
  const doc = (await (await call("/openapi.json")).json()) as any;
  const out: { operationId: string; path: string }[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const op = item.get;
    if (op?.parameters?.some((p: any) => p.in === "query" && p.name === "cursor")) out.push({ operationId: op.operationId, path });
  }
  return out;
}

describe("the reference client's paging", () => {
  it("reads `items` and follows `cursor` to the end, as its README quick-start does", async () => {
    const org = await newOrg();
    const created = [];
    for (let i = 0; i < 4; i++) created.push((await newHarness(org)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await org.json("GET", `/v1/harnesses?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual(res.body.data);
      seen.push(...res.body.items.map((h: any) => h.id));
      expect(res.body.has_more).toBe(res.body.cursor !== undefined);
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 10);
    // The built-in assistant plus the four registered, each once.
    expect(seen.sort()).toEqual(["assistant", ...created].sort());
    expect(pages).toBe(3);
  });

  it("serves `items` and refuses a cursor it did not issue on every paginated operation", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const session = await org.json("POST", `/v1/harnesses/${harness.id}/sessions`, {});
    const webhook = await org.json("POST", `/v1/harnesses/${harness.id}/webhooks`, {
      url: `${env.RECEIVER_URL}/hooks/pages`,
      events: ["execution.completed"],
    });
    const agent = await newAgent(org, harness.id);
    const ops = await pagedOperations();
    expect(ops.map((o) => o.operationId)).toEqual(
      expect.arrayContaining(["harnesses.list", "agents.list", "execution.list", "sessions.list", "sessions.history", "usage.list"]),
    );
    for (const op of ops) {
      const path = op.path
        .replace("{harnessId}", harness.id)
        .replace("{sessionId}", session.body.session.id)
        .replace("{webhookId}", webhook.body.webhook.id)
        .replace("{agentId}", agent.id);
      const page = await org.json("GET", path);
      expect(page.status, `${op.operationId}: ${JSON.stringify(page.body)}`).toBe(200);
      expect(page.body.items, op.operationId).toEqual(page.body.data);
      for (const bad of ["garbage", "b2ZmOi0x", "%2F%2F"]) {
        const res = await org.json("GET", `${path}?cursor=${bad}`);
        expect((await expectProblem(res, 400, "validation_error")).error.details.field, op.operationId).toBe("query.cursor");
      }
    }
  });

  it("accepts a cursor beside the same offset, and refuses one that contradicts it", async () => {
    const org = await newOrg();
    for (let i = 0; i < 2; i++) await newHarness(org);
    const first = await org.json("GET", "/v1/harnesses?limit=1");
    const { cursor } = first.body;
    expect(typeof cursor).toBe("string");
    const next = await org.json("GET", `/v1/harnesses?limit=1&cursor=${cursor}`);
    expect(next.body.offset).toBe(1);
    expect((await org.json("GET", `/v1/harnesses?limit=1&offset=1&cursor=${cursor}`)).status).toBe(200);
    await expectProblem(await org.json("GET", `/v1/harnesses?limit=1&offset=2&cursor=${cursor}`), 400, "validation_error");
  });
});
