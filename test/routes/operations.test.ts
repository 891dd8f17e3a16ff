import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { SCOPES } from "../../src/auth/scopes.ts";
import { createDb } from "../../src/db/index.ts";
import { CAPABILITY_DOMAINS, OPEN_HARNESS_OPERATIONS, ROUTED_OPERATIONS } from "../../src/operations/table.ts";
import { call, expectProblem, newHarness, newOrg } from "../helpers/api.ts";

async function problemOf(res: Response) {
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe("the operation table", () => {
  it("declares the 116 Open Harness operations (115 routes + the outbound webhook), each with a scope", () => {
    const ops = Object.entries(OPEN_HARNESS_OPERATIONS);
    expect(ops).toHaveLength(116);
    expect(ops.filter(([, op]) => "outbound" in op).map(([id]) => id)).toEqual(["webhooks.executionCompleted"]);
    const counts = { get: 0, post: 0, patch: 0, put: 0, delete: 0 };
    for (const [, op] of ops) if (!("outbound" in op)) counts[op.method] += 1;
    // Spec §0.3: 53 GET and the WebSocket upgrade (a GET too), 40 POST, 8 PATCH, 2 PUT, 11 DELETE.
    expect(counts).toEqual({ get: 54, post: 40, patch: 8, put: 2, delete: 11 });
    for (const [id, op] of Object.entries(ROUTED_OPERATIONS)) {
      if (op.scope === null) expect(["harnesses.health", "webhooks.executionCompleted"]).toContain(id);
      // Writes need write scopes.
      else if (
        op.method !== "get" &&
        ![
          "mcp.health",
          "skills.discover",
          "skills.validate",
          "memory.search",
          "memory.export",
          "files.search",
          "files.downloadBatch",
        ].includes(id)
      ) {
        expect(SCOPES[op.scope], id).toMatch(/:write$|^assistant$/);
      }
    }
    for (const [, op] of ops) if (op.capability) expect(CAPABILITY_DOMAINS).toContain(op.capability[0]);
  });

  it("documents every served operation with the table's method and path", async () => {
    const doc = (await (await call("/openapi.json")).json()) as any;
    const documented = new Map<string, string>();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) documented.set(operation.operationId, `${method} ${path}`);
    }
    const bases = { "/v1": OPEN_HARNESS_OPERATIONS } as const;
    for (const [id, op] of Object.entries(bases["/v1"])) {
      if (!("outbound" in op)) expect(documented.get(id), id).toBe(`${op.method} /v1${op.path}`);
    }
  });

  it("routes workspace paths with slashes, unicode and encoded slashes to the files operations", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    // Served now: each request reaches its own operation, named in the problem body (or answered).
    const cases: [string, string, string, number, string][] = [
      ["GET", "/files/notes/2026/a.md", "files.read", 404, "file_not_found"],
      ["GET", "/files/notes/2026/a.md/download", "files.download", 404, "file_not_found"],
      ["DELETE", "/files/notes%2F2026%2Fa.md", "files.delete", 404, "file_not_found"],
      ["POST", "/files/search", "files.search", 415, "unsupported_media_type"],
    ];
    for (const [method, rest, operation, status, code] of cases) {
      const res = await org.fetch(`/v1/harnesses/${h.id}${rest}`, {
        method,
        ...(method === "GET" || method === "DELETE" ? {} : { body: "x" }),
      });
      const body = await expectProblem(await problemOf(res), status, code);
      expect(body.error.operation, `${method} ${rest}`).toBe(operation);
    }
    const written = await org.fetch(`/v1/harnesses/${h.id}/files/d%C3%A9j%C3%A0%20vu/n%C3%B6te.txt`, { method: "PUT", body: "x" });
    expect(written.status).toBe(201);
    expect(((await written.json()) as { file: { path: string } }).file.path).toBe("/déjà vu/nöte.txt");
  });

  it("guards each operation with its own scope: a read-only key cannot reach a write operation, served or not", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const reader = await mintApiKey(createDb(env.DB), org.orgId, "reader", [SCOPES.harnessesRead, SCOPES.sessionsRead, SCOPES.skillsRead]);
    const as = (path: string, init: RequestInit = {}) =>
      call(path, { ...init, headers: { authorization: `Bearer ${reader.token}`, "content-type": "application/json", ...init.headers } });
    for (const [method, path, scope] of [
      ["POST", `/v1/harnesses/${h.id}/skills`, "skills:write"],
      ["POST", `/v1/harnesses/${h.id}/tools`, "tools:write"],
      ["POST", `/v1/harnesses/${h.id}/sessions`, "sessions:write"],
    ] as const) {
      const body = await expectProblem(await problemOf(await as(path, { method, body: "{}" })), 403, "forbidden");
      expect(body.error.details.required_scope).toBe(scope);
    }
    expect((await as(`/v1/harnesses/${h.id}/skills`)).status).toBe(200);
    // A session socket starts turns and cancels runs: connecting needs the write scope.
    const session = (await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {})).body.session;
    const ws = await as(`/v1/harnesses/${h.id}/sessions/${session.id}/connect`, { headers: { upgrade: "websocket" } });
    expect(ws.status).toBe(403);
  });
});
