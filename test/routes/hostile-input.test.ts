/**
 * Cross-cutting walks over every documented operation (derived from `/openapi.json`, so a new route is
 * covered without touching this file): what a third-party client or an attacker sends by mistake or on
 * purpose must get a problem body, never a 500.
 */
import { describe, expect, it } from "vitest";
import { call, expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";

interface Operation {
  method: string;
  path: string;
  operationId: string;
  /** Media types of the request body, when the operation declares one. */
  bodyTypes: string[];
}

async function documentedOperations(): Promise<Operation[]> {
  const doc = (await (await call("/openapi.json")).json()) as any;
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths))
    for (const [method, op] of Object.entries<any>(item))
      out.push({ method: method.toUpperCase(), path, operationId: op.operationId, bodyTypes: Object.keys(op.requestBody?.content ?? {}) });
  return out;
}

/** The operation's path with `{harnessId}` set to `harnessId` and every other parameter to a made-up id. */
function concretePath(path: string, harnessId: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "harnessId" ? harnessId : `${name.toLowerCase()}_none`));
}

async function send(org: TestOrg, op: Operation, path: string, init: RequestInit) {
  const res = await org.fetch(path, { method: op.method, ...init });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: the assertions below say so */
  }
  return { status: res.status, headers: res.headers, body };
}

const JSON_BODY = JSON.stringify({ message: "hello", name: "x" });

/** Each wrong way a client sends a JSON body: the Content-Type it claims and the body. */
function wrongJsonRequests(): [string, () => RequestInit][] {
  return [
    ["text/plain", () => ({ headers: { "content-type": "text/plain" }, body: JSON_BODY })],
    ["application/x-www-form-urlencoded", () => ({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: JSON_BODY })],
    [
      "multipart/form-data",
      () => {
        const form = new FormData();
        form.set("message", "hello");
        return { body: form };
      },
    ],
    // An ArrayBuffer body gets no Content-Type from fetch: the body is sent without any.
    ["no Content-Type", () => ({ body: new TextEncoder().encode(JSON_BODY) })],
  ];
}

describe("a request body in the wrong media type", () => {
  it("answers 415 naming application/json on every operation that takes a JSON body", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const ops = (await documentedOperations()).filter((op) => op.bodyTypes.includes("application/json"));
    // The issue counted 20 such operations; the walk must see at least those.
    expect(ops.length).toBeGreaterThanOrEqual(20);
    for (const op of ops)
      for (const [label, init] of wrongJsonRequests()) {
        // An operation that also takes the media type (skills.register takes JSON, a zip or multipart) is not sent it wrongly.
        if (op.bodyTypes.includes(label)) continue;
        const res = await send(org, op, concretePath(op.path, harness.id), init());
        expect(res.status, `${op.operationId} with ${label}: ${JSON.stringify(res.body)}`).toBe(415);
        const problem = await expectProblem(res, 415, "unsupported_media_type");
        expect(problem.detail).toContain("application/json");
        expect(problem.error.details.accepted_media_types).toEqual(op.bodyTypes);
      }
  });

  it("answers 415 naming the multipart part on every operation that takes multipart/form-data", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const ops = (await documentedOperations()).filter((op) => op.bodyTypes.includes("multipart/form-data"));
    expect(ops.map((op) => op.operationId)).toContain("agents.import");
    for (const op of ops)
      for (const [type, body] of [
        ["application/zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])],
        ["application/json", JSON_BODY],
        ["application/octet-stream", new Uint8Array([1, 2, 3])],
      ] as const) {
        if (op.bodyTypes.includes(type)) continue;
        const res = await send(org, op, concretePath(op.path, harness.id), { headers: { "content-type": type }, body });
        const problem = await expectProblem(res, 415, "unsupported_media_type");
        expect(problem.detail).toContain("multipart/form-data");
        if (op.operationId === "agents.import") expect(problem.detail).toContain("`bundle`");
      }
  });

  it("still treats an empty JSON body as no body on POSTs without one (spec §9.3 R10)", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const started = await org.json("POST", `/v1/harnesses/${harness.id}/execute`, { message: "hi" });
    expect(started.status).toBe(202);
    const res = await org.fetch(`/v1/harnesses/${harness.id}/executions/${started.body.execution_id}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect([200, 409]).toContain(res.status);
  });
});

describe("a malformed Last-Event-ID", () => {
  it("is a 400 naming the header on the stream operations that resume from it", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const started = await org.json("POST", `/v1/harnesses/${harness.id}/execute`, { message: "hi" });
    for (const value of ["-5", "abc", "1.5", "99999999999999999999"]) {
      const attach = await org.json("GET", `/v1/harnesses/${harness.id}/executions/${started.body.execution_id}/stream`, undefined, {
        "last-event-id": value,
      });
      expect((await expectProblem(attach, 400, "validation_error")).error.details.field).toBe("header.last-event-id");
      const stream = await org.json("POST", `/v1/harnesses/${harness.id}/execute/stream`, { message: "hi" }, { "last-event-id": value });
      expect((await expectProblem(stream, 400, "validation_error")).error.details.field).toBe("header.last-event-id");
    }
  });

  it("never answers 500 on any documented operation, and is ignored where it means nothing", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    // Deletes last, so the harness exists for everything else.
    const ops = (await documentedOperations()).sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
    for (const op of ops) {
      const init: RequestInit = { headers: { "last-event-id": "-5", "content-type": "application/json" } };
      if (op.bodyTypes.includes("application/json")) init.body = "{}";
      const res = await send(org, op, concretePath(op.path, harness.id), init);
      // 501 is the documented answer of the operations not served yet; nothing else may be a 5xx.
      expect(res.status < 500 || res.status === 501, `${op.method} ${op.path} → ${res.status}: ${JSON.stringify(res.body)}`).toBe(true);
    }
    // Ignored elsewhere: a list answers as if it were absent.
    const listed = await org.json("GET", "/v1/harnesses", undefined, { "last-event-id": "-5" });
    expect(listed.status).toBe(200);
  });
});

describe("an over-long URL", () => {
  it("is a 414 problem on a list operation, not a 500", async () => {
    const org = await newOrg();
    const res = await org.json("GET", `/v1/harnesses?status=${"a".repeat(70_000)}`);
    await expectProblem(res, 414, "uri_too_long");
    // A long but sane query still works.
    expect((await org.json("GET", `/v1/harnesses?limit=5&x=${"a".repeat(2000)}`)).status).toBe(200);
  });
});

/** A body that never sends a byte: a server that waits for it never answers (the test then times out). */
const silentBody = () => new ReadableStream<Uint8Array>({ start() {} });

describe("a declared Content-Length above an operation's limit", () => {
  it("is refused with 413 from the declared length alone, without waiting for the body", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const cases: [string, string, string][] = [
      ["POST", "/v1/harnesses", "application/json"],
      ["PATCH", `/v1/harnesses/${harness.id}`, "application/json"],
      ["POST", `/v1/harnesses/${harness.id}/execute`, "application/json"],
      ["POST", "/api/external/v1/chat", "application/json"],
      ["POST", `/v1/harnesses/${harness.id}/agents/import`, "multipart/form-data; boundary=x"],
    ];
    for (const [method, path, type] of cases) {
      const res = await org.fetch(path, {
        method,
        headers: { "content-type": type, "content-length": String(1024 * 1024 * 1024) },
        body: silentBody(),
        // @ts-expect-error -- `duplex` is required by fetch for stream bodies; the DOM types lag.
        duplex: "half",
      });
      const body = await res.json();
      const problem = await expectProblem({ status: res.status, headers: res.headers, body }, 413, "payload_too_large");
      expect(problem.error.details.limit_bytes).toBeGreaterThan(0);
    }
  });

  it("keeps each operation's own limit: an import may be far larger than a JSON body", async () => {
    const org = await newOrg();
    const harness = await newHarness(org);
    const size = String(10 * 1024 * 1024);
    const json = await org.fetch("/v1/harnesses", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": size },
      body: silentBody(),
      // @ts-expect-error -- see above.
      duplex: "half",
    });
    expect(json.status).toBe(413);
    await json.body?.cancel();
    // 3 MB is over the JSON default but within agents.import's 50 MB: read, then judged as a package.
    const form = new FormData();
    form.set("bundle", new File([new Uint8Array(3 * 1024 * 1024)], "big.zip", { type: "application/zip" }));
    const zip = await org.fetch(`/v1/harnesses/${harness.id}/agents/import`, { method: "POST", body: form });
    expect(zip.status).toBe(422);
    await zip.body?.cancel();
  });
});

describe("X-Content-Type-Options", () => {
  it("is nosniff on every kind of response: HTML pages, JSON, problems, the OpenAPI document and the docs", async () => {
    const org = await newOrg();
    const responses = [
      await call("/api/auth/sign-in"),
      await call("/api/auth/sign-up"),
      await org.fetch("/v1/harnesses"),
      await call("/v1/harnesses"),
      await call("/openapi.json"),
      await call("/docs"),
      await call("/v1/nothing-here"),
    ];
    for (const res of responses) {
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
      await res.body?.cancel();
    }
  });
});
