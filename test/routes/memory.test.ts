/**
 * Open Harness domain 8 — Memory, through the HTTP surface against real D1 (FTS5 included): blocks with
 * their limits, read-only blocks, the archive, full-text search, export and import.
 */
import { env } from "cloudflare:test";
import { strToU8, strFromU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { internalServiceContext } from "../../durable-objects/lib/service-context.ts";
import { deleteAgentMemory } from "../../src/services/memory/delete-agent-memory.ts";
import { newAgent } from "../helpers/agents.ts";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";

async function setup(org?: TestOrg) {
  const o = org ?? (await newOrg());
  const h = await newHarness(o);
  const agent = await newAgent(o, h.id);
  const base = `/v1/harnesses/${h.id}/agents/${agent.id}/memory`;
  return { org: o, h, agent, base };
}

async function exportZip(org: TestOrg, base: string, body?: unknown) {
  const res = await org.fetch(`${base}/export`, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  expect(res.status).toBe(200);
  return { res, files: unzipSync(new Uint8Array(await res.arrayBuffer())) };
}

async function importZip(org: TestOrg, base: string, files: Record<string, string | Uint8Array>, fields: Record<string, string> = {}) {
  const form = new FormData();
  const zipped = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === "string" ? strToU8(v) : v])));
  form.append("snapshot", new File([zipped], "snapshot.zip", { type: "application/zip" }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await org.fetch(`${base}/import`, { method: "POST", body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe("memory blocks", () => {
  it("creates, lists, reads, updates and deletes blocks, and memory.get shows them (MEM-01…05, 07)", async () => {
    const { org, agent, base } = await setup();
    const created = await org.json("POST", `${base}/blocks`, { label: "human", value: "Test human info" });
    expect(created.status).toBe(201);
    expect(created.body.block).toMatchObject({ label: "human", value: "Test human info", read_only: false, limit: 20_000, chars: 15 });
    await org.json("POST", `${base}/blocks`, { label: "temp", value: "scratch" });
    await org.json("POST", `${base}/blocks`, { label: "user_preferences", value: "likes tea", read_only: true, limit: 500 });
    const listed = await org.json("GET", `${base}/blocks`);
    expect(listed.body.blocks.map((b: any) => b.label)).toEqual(["human", "temp", "user_preferences"]);
    for (const b of listed.body.blocks) expect(b).toMatchObject({ label: expect.any(String), value: expect.any(String) });

    const updated = await org.json("PUT", `${base}/blocks/human`, { value: "Updated value with new info" });
    expect(updated.status).toBe(200);
    expect(updated.body.block.value).toContain("Updated value");
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("Updated value with new info");

    expect((await org.fetch(`${base}/blocks/temp`, { method: "DELETE" })).status).toBe(204);
    expect((await org.json("GET", `${base}/blocks`)).body.blocks.map((b: any) => b.label)).toEqual(["human", "user_preferences"]);

    await org.json("POST", `${base}/archive`, { content: "An archived fact" });
    const memory = await org.json("GET", base);
    expect(memory.body.memory).toMatchObject({ agent_id: agent.id, archive_size: 1, archive_chars: 16 });
    expect(memory.body.memory.blocks).toHaveLength(2);
    // By slug too.
    expect((await org.json("GET", `${base.replace(agent.id, agent.slug)}/blocks/human`)).status).toBe(200);
  });

  it("refuses read-only blocks for update and delete with 409, and keeps them", async () => {
    const { org, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "I am careful.", read_only: true });
    const put = await expectProblem(
      await org.json("PUT", `${base}/blocks/persona`, { value: "I am reckless." }),
      409,
      "memory_block_read_only",
    );
    expect(put.error.details).toMatchObject({ label: "persona", read_only: true });
    await expectProblem(await org.json("DELETE", `${base}/blocks/persona`), 409, "memory_block_read_only");
    expect((await org.json("GET", `${base}/blocks/persona`)).body.block.value).toBe("I am careful.");
  });

  it("answers bad input with problems naming the field, and never upserts", async () => {
    const { org, base } = await setup();
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const problem = await expectProblem(await org.json(method, `${base}${path}`, body), 400, "validation_error");
      expect(problem.error.details.field).toBe(field);
    };
    await bad("POST", "/blocks", { label: "Bad Label", value: "x" }, "body.label");
    await bad("POST", "/blocks", { label: "", value: "x" }, "body.label");
    await bad("POST", "/blocks", { label: "ok", value: "" }, "body.value");
    await bad("POST", "/blocks", { label: "ok", value: "x", limit: 100_001 }, "body.limit");
    await bad("POST", "/blocks", { label: "ok", value: "x", colour: "red" }, "body.colour");
    await bad("PUT", "/blocks/ok", { value: "x", read_only: true }, "body.read_only");
    await org.json("POST", `${base}/blocks`, { label: "ok", value: "x" });
    await expectProblem(await org.json("POST", `${base}/blocks`, { label: "ok", value: "y" }), 409, "memory_block_exists");
    const missing = await expectProblem(await org.json("PUT", `${base}/blocks/nope`, { value: "x" }), 404, "memory_block_not_found");
    expect(missing.allowed_actions.map((a: any) => a.operation_id)).toContain("memory.createBlock");
    await expectProblem(await org.json("GET", `${base}/blocks/nope`), 404, "memory_block_not_found");
    await expectProblem(await org.json("DELETE", `${base}/blocks/nope`), 404, "memory_block_not_found");
    expect((await org.json("GET", `${base}/blocks`)).body.blocks).toHaveLength(1);
  });

  it("enforces each block's limit and the agent's core-memory budget on the API", async () => {
    const { org, base } = await setup();
    const over = await expectProblem(
      await org.json("POST", `${base}/blocks`, { label: "small", value: "x".repeat(11), limit: 10 }),
      422,
      "memory_block_limit_exceeded",
    );
    expect(over.error.details).toMatchObject({ label: "small", chars: 11, limit: 10 });
    await org.json("POST", `${base}/blocks`, { label: "small", value: "x".repeat(10), limit: 10 });
    await expectProblem(await org.json("PUT", `${base}/blocks/small`, { value: "y".repeat(11) }), 422, "memory_block_limit_exceeded");
    // Characters are code points: ten emoji fit a 10-character block.
    expect((await org.json("PUT", `${base}/blocks/small`, { value: "😀".repeat(10) })).status).toBe(200);
    expect((await org.json("PUT", `${base}/blocks/small`, { value: "y".repeat(11), limit: 11 })).body.block).toMatchObject({
      limit: 11,
      chars: 11,
    });
    // The default limit is 20000 characters.
    await expectProblem(
      await org.json("POST", `${base}/blocks`, { label: "big", value: "z".repeat(20_001) }),
      422,
      "memory_block_limit_exceeded",
    );
    // Budget: limits add up to at most 200000.
    await org.json("POST", `${base}/blocks`, { label: "huge", value: "h", limit: 100_000 });
    await org.json("POST", `${base}/blocks`, { label: "huge-two", value: "h", limit: 99_000 });
    const budget = await expectProblem(
      await org.json("POST", `${base}/blocks`, { label: "one-more", value: "h", limit: 2_000 }),
      422,
      "memory_limit_exceeded",
    );
    expect(budget.error.details).toMatchObject({ max_blocks: 50, max_core_memory_chars: 200_000 });
    await expectProblem(await org.json("PUT", `${base}/blocks/small`, { value: "y", limit: 5_000 }), 422, "memory_limit_exceeded");
    expect((await org.json("GET", `${base}/blocks/small`)).body.block.limit).toBe(11);
  });

  it("allows at most 50 blocks per agent", async () => {
    const { org, base } = await setup();
    for (let i = 0; i < 50; i++)
      expect((await org.json("POST", `${base}/blocks`, { label: `b${i}`, value: "v", limit: 100 })).status).toBe(201);
    await expectProblem(await org.json("POST", `${base}/blocks`, { label: "b50", value: "v", limit: 100 }), 422, "memory_limit_exceeded");
  });

  it("is private to the organization (404) and 501 on a registry-only harness", async () => {
    const { org, h, agent, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "secret", value: "mine" });
    const other = await newOrg();
    await expectProblem(await other.json("GET", `${base}/blocks/secret`), 404, "harness_not_found");
    const same = await newHarness(other, { id: h.id });
    const theirs = `/v1/harnesses/${same.id}/agents/${agent.id}/memory`;
    for (const [method, path, body] of [
      ["GET", "", undefined],
      ["GET", "/blocks", undefined],
      ["GET", "/blocks/secret", undefined],
      ["PUT", "/blocks/secret", { value: "stolen" }],
      ["DELETE", "/blocks/secret", undefined],
      ["POST", "/blocks", { label: "x", value: "y" }],
      ["POST", "/search", { query: "mine" }],
      ["GET", "/archive", undefined],
      ["POST", "/archive", { content: "x" }],
      ["POST", "/export", {}],
    ] as const) {
      await expectProblem(await other.json(method, `${theirs}${path}`, body), 404, "agent_not_found");
    }
    const form = new FormData();
    form.append("snapshot", new File([zipSync({ "blocks.json": strToU8("[]") })], "s.zip", { type: "application/zip" }));
    const imported = await other.fetch(`${theirs}/import`, { method: "POST", body: form });
    await expectProblem({ status: imported.status, headers: imported.headers, body: await imported.json() }, 404, "agent_not_found");
    expect((await org.json("GET", `${base}/blocks/secret`)).body.block.value).toBe("mine");
    const registry = await newHarness(org, { execution_type: "ide" });
    await expectProblem(
      await org.json("GET", `/v1/harnesses/${registry.id}/agents/${agent.id}/memory/blocks`),
      501,
      "capability_not_supported",
    );
  });
});

describe("archive and search", () => {
  it("adds entries with tags and metadata, and pages them newest first with filters", async () => {
    const { org, base } = await setup();
    const first = await org.json("POST", `${base}/archive`, {
      content: "Met Alice at the conference",
      tags: ["People", "events"],
      metadata: { source: "chat" },
    });
    expect(first.status).toBe(201);
    expect(first.body.entry).toMatchObject({
      id: expect.stringMatching(/^marc_/),
      content: "Met Alice at the conference",
      tags: ["people", "events"],
      metadata: { source: "chat" },
    });
    for (let i = 0; i < 4; i++) await org.json("POST", `${base}/archive`, { content: `note ${i}` });
    const page = await org.json("GET", `${base}/archive?limit=2`);
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 0, has_more: true });
    expect(page.body.data.map((e: any) => e.content)).toEqual(["note 3", "note 2"]);
    const next = await org.json("GET", `${base}/archive?limit=2&cursor=${page.body.cursor}`);
    expect(next.body.data.map((e: any) => e.content)).toEqual(["note 1", "note 0"]);
    const tagged = await org.json("GET", `${base}/archive?tag=people`);
    expect(tagged.body.data.map((e: any) => e.id)).toEqual([first.body.entry.id]);
    const since = await org.json("GET", `${base}/archive?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(since.body.total).toBe(0);
    await expectProblem(await org.json("GET", `${base}/archive?limit=101`), 400, "validation_error");
    await expectProblem(await org.json("POST", `${base}/archive`, { content: "" }), 400, "validation_error");
    await expectProblem(await org.json("POST", `${base}/archive`, { content: "x", tags: ["has space"] }), 400, "validation_error");
    await expectProblem(
      await org.json("POST", `${base}/archive`, { content: "x", metadata: { big: "m".repeat(17_000) } }),
      400,
      "validation_error",
    );
  });

  it("searches blocks and archive with FTS5: ranked, stemmed, relevance in 0–1, archive optional", async () => {
    const { org, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "human", value: "User's favorite language is Python. Always use Python." });
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "I am a helpful assistant." });
    await org.json("POST", `${base}/archive`, { content: "We talked about Python packaging and virtual environments.", tags: ["python"] });
    await org.json("POST", `${base}/archive`, { content: "The user went hiking last weekend." });
    const res = await org.json("POST", `${base}/search`, { query: "python languages" });
    expect(res.status).toBe(200);
    const results = res.body.results;
    expect(results.length).toBe(2);
    expect(results[0]).toMatchObject({ relevance_score: 1 });
    for (const r of results) {
      expect(r.relevance_score).toBeGreaterThanOrEqual(0);
      expect(r.relevance_score).toBeLessThanOrEqual(1);
    }
    expect(results.map((r: any) => r.source).sort()).toEqual(["archive", "block"]);
    const block = results.find((r: any) => r.source === "block");
    expect(block).toMatchObject({ label: "human", content: expect.stringContaining("Python") });
    expect(results.find((r: any) => r.source === "archive")).toMatchObject({ id: expect.stringMatching(/^marc_/), tags: ["python"] });
    // Stemming: "hike" finds "hiking".
    expect((await org.json("POST", `${base}/search`, { query: "hike" })).body.results[0].content).toContain("hiking");
    const blocksOnly = await org.json("POST", `${base}/search`, { query: "python", include_archive: false });
    expect(blocksOnly.body.results.map((r: any) => r.source)).toEqual(["block"]);
    // FTS5 syntax in the query is text, never syntax.
    for (const query of ['python AND "', "NEAR(python", "persona: *", "-python", "OR"]) {
      expect((await org.json("POST", `${base}/search`, { query })).status, query).toBe(200);
    }
    await expectProblem(await org.json("POST", `${base}/search`, { query: "?!" }), 400, "validation_error");
    await expectProblem(await org.json("POST", `${base}/search`, { query: "x", limit: 0 }), 400, "validation_error");
    // An edited block is searched as it is now; a deleted one is gone.
    await org.json("PUT", `${base}/blocks/persona`, { value: "I now speak Klingon." });
    expect((await org.json("POST", `${base}/search`, { query: "klingon" })).body.results[0].label).toBe("persona");
    await org.fetch(`${base}/blocks/persona`, { method: "DELETE" });
    expect((await org.json("POST", `${base}/search`, { query: "klingon" })).body.results).toEqual([]);
  });

  it("defaults to 10 results and never returns another agent's memory", async () => {
    const { org, h, base } = await setup();
    for (let i = 0; i < 12; i++) await org.json("POST", `${base}/archive`, { content: `meeting notes number ${i}` });
    expect((await org.json("POST", `${base}/search`, { query: "meeting" })).body.results).toHaveLength(10);
    const sibling = await newAgent(org, h.id);
    expect((await org.json("POST", `/v1/harnesses/${h.id}/agents/${sibling.id}/memory/search`, { query: "meeting" })).body.results).toEqual(
      [],
    );
  });
});

describe("memory.export and memory.import", () => {
  it("exports a ZIP with blocks.json, archive.json and metadata.json, by POST and GET", async () => {
    const { org, agent, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "human", value: "Likes Python", limit: 100 });
    await org.json("POST", `${base}/archive`, { content: "first", tags: ["a"] });
    await org.json("POST", `${base}/archive`, { content: "second" });
    const { res, files } = await exportZip(org, base);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`filename="${agent.agentKey}-memory-\\d{8}T\\d{6}Z\\.zip"`));
    expect(Object.keys(files).sort()).toEqual(["archive.json", "blocks.json", "metadata.json"]);
    expect(JSON.parse(strFromU8(files["blocks.json"]!))).toEqual([
      { label: "human", value: "Likes Python", read_only: false, limit: 100, updated_at: expect.any(String) },
    ]);
    expect(JSON.parse(strFromU8(files["archive.json"]!)).map((e: any) => e.content)).toEqual(["first", "second"]);
    expect(JSON.parse(strFromU8(files["metadata.json"]!))).toMatchObject({
      format: "edgeharness-memory",
      block_count: 1,
      archive_count: 2,
      agent: { id: agent.id },
    });
    const without = await exportZip(org, base, { include_archive: false });
    expect(Object.keys(without.files).sort()).toEqual(["blocks.json", "metadata.json"]);
    const get = await org.fetch(`${base}/export?include_archive=false`);
    expect(get.status).toBe(200);
    expect(Object.keys(unzipSync(new Uint8Array(await get.arrayBuffer()))).sort()).toEqual(["blocks.json", "metadata.json"]);
    await expectProblem(await org.json("POST", `${base}/export`, { include_archive: "yes" }), 400, "validation_error");
    await expectProblem(await org.json("GET", `${base}/export?include_archive=maybe`), 400, "validation_error");
    const other = await newOrg();
    await expectProblem(await other.json("GET", `${base}/export`), 404, "harness_not_found");
  });

  it("round-trips into another agent, and re-importing adds no duplicate archive entries", async () => {
    const { org, h, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "human", value: "Likes Python", limit: 100 });
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "Careful", read_only: true });
    await org.json("POST", `${base}/archive`, { content: "first", tags: ["a"], metadata: { n: 1 } });
    const { files } = await exportZip(org, base);
    const target = await newAgent(org, h.id);
    const targetBase = `/v1/harnesses/${h.id}/agents/${target.id}/memory`;
    const strings = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)]));
    const first = await importZip(org, targetBase, strings);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ blocks_imported: 2, archive_entries_imported: 1, conflicts: 0 });
    const blocks = (await org.json("GET", `${targetBase}/blocks`)).body.blocks;
    expect(blocks.map((b: any) => [b.label, b.value, b.read_only, b.limit])).toEqual([
      ["human", "Likes Python", false, 100],
      ["persona", "Careful", true, 20_000],
    ]);
    const archive = (await org.json("GET", `${targetBase}/archive`)).body.data;
    expect(archive).toMatchObject([{ content: "first", tags: ["a"], metadata: { n: 1 } }]);
    // Imported memory is searchable at once.
    expect((await org.json("POST", `${targetBase}/search`, { query: "python" })).body.results[0].label).toBe("human");
    const again = await importZip(org, targetBase, strings);
    expect(again.body).toMatchObject({ blocks_imported: 0, archive_entries_imported: 0, conflicts: 2 });
    expect(again.body.warnings.join(" ")).toContain("already in the archive");
    expect((await org.json("GET", `${targetBase}/archive`)).body.total).toBe(1);
  });

  it("overwrites same-label blocks by default, keeps them with skip, joins them with merge", async () => {
    const { org, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "human", value: "Likes Python" });
    const snapshot = {
      "blocks.json": JSON.stringify([
        { label: "human", value: "Lives in Oslo" },
        { label: "project", value: "EdgeHarness" },
      ]),
    };
    const skip = await importZip(org, base, snapshot, { merge_strategy: "skip" });
    expect(skip.body).toMatchObject({ blocks_imported: 1, conflicts: 1 });
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("Likes Python");
    const merge = await importZip(org, base, snapshot, { merge_strategy: "merge" });
    expect(merge.body).toMatchObject({ conflicts: 2 });
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("Likes Python\nLives in Oslo");
    const overwrite = await importZip(org, base, snapshot);
    expect(overwrite.body).toMatchObject({ blocks_imported: 1, conflicts: 2 });
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("Lives in Oslo");
    // The spec's Letta-style `content` field is read too.
    await importZip(org, base, { "blocks.json": JSON.stringify([{ label: "human", content: "From content" }]) });
    expect((await org.json("GET", `${base}/blocks/human`)).body.block.value).toBe("From content");
  });

  it("is all or nothing: a block over its limit, a read-only block or a bad file leaves memory unchanged", async () => {
    const { org, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "human", value: "Likes Python", limit: 20 });
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "Careful", read_only: true });
    const before = (await org.json("GET", base)).body.memory;
    const overLimit = await importZip(org, base, {
      "blocks.json": JSON.stringify([
        { label: "new-one", value: "fine" },
        { label: "human", value: "x".repeat(21) },
      ]),
      "archive.json": JSON.stringify([{ content: "should not land" }]),
    });
    await expectProblem(overLimit, 422, "memory_block_limit_exceeded");
    const readOnly = await importZip(org, base, {
      "blocks.json": JSON.stringify([
        { label: "new-one", value: "fine" },
        { label: "persona", value: "Reckless" },
      ]),
    });
    expect((await expectProblem(readOnly, 409, "memory_block_read_only")).error.details.labels).toEqual(["persona"]);
    await expectProblem(await importZip(org, base, { "notes.txt": "hello" }), 422, "invalid_memory_snapshot");
    await expectProblem(await importZip(org, base, { "blocks.json": "{not json" }), 422, "invalid_memory_snapshot");
    await expectProblem(
      await importZip(org, base, { "blocks.json": JSON.stringify([{ label: "Bad Label", value: "x" }]) }),
      422,
      "invalid_memory_snapshot",
    );
    await expectProblem(
      await importZip(org, base, { "blocks.json": "[]", "archive.json": JSON.stringify([{ content: "" }]) }),
      422,
      "invalid_memory_snapshot",
    );
    const form = new FormData();
    form.append("snapshot", new File([new Uint8Array([1, 2, 3])], "x.zip"));
    const notZip = await org.fetch(`${base}/import`, { method: "POST", body: form });
    await expectProblem({ status: notZip.status, headers: notZip.headers, body: await notZip.json() }, 422, "invalid_memory_snapshot");
    const noFile = new FormData();
    noFile.append("merge_strategy", "overwrite");
    const missing = await org.fetch(`${base}/import`, { method: "POST", body: noFile });
    await expectProblem({ status: missing.status, headers: missing.headers, body: await missing.json() }, 400, "validation_error");
    expect((await org.json("GET", base)).body.memory).toEqual(before);
  });
});

describe("deleting an agent's memory", () => {
  it("deleteAgentMemory removes every block (read-only too) and entry, and their search entries", async () => {
    const { org, agent, base } = await setup();
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "Careful zebra", read_only: true });
    await org.json("POST", `${base}/archive`, { content: "zebra facts" });
    const ctx = internalServiceContext(env, { orgId: org.orgId, subject: "test" });
    expect(await deleteAgentMemory({ ctx, input: { agentId: agent.id } })).toEqual({ blocks: 1, archiveEntries: 1 });
    expect((await org.json("GET", base)).body.memory).toMatchObject({ blocks: [], archive_size: 0 });
    const fts = await env.DB.prepare("SELECT count(*) AS n FROM memory_fts WHERE agent_id = ?").bind(agent.id).first<{ n: number }>();
    expect(fts!.n).toBe(0);
    // Another organization cannot delete it.
    await org.json("POST", `${base}/blocks`, { label: "persona", value: "again" });
    const stranger = internalServiceContext(env, { orgId: (await newOrg()).orgId, subject: "test" });
    expect(await deleteAgentMemory({ ctx: stranger, input: { agentId: agent.id } })).toEqual({ blocks: 0, archiveEntries: 0 });
  });
});
