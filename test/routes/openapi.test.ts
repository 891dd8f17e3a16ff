import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../helpers/api.ts";

/** Every inbound Open Harness operation id (spec §0.4; the outbound webhook has no route). */
const SPEC_OPERATION_COUNT = 115;

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 built from the routes, with the spec's operation ids exactly once", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    const ids: string[] = [];
    const openHarnessIds: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths))
      for (const op of Object.values<any>(item))
        if (op.operationId) {
          ids.push(op.operationId);
          if (path.startsWith("/v1/")) openHarnessIds.push(op.operationId);
        }
    expect(new Set(ids).size).toBe(ids.length);
    // The Open Harness surface (/v1) serves exactly the spec's operations; /api/v1 and /api/external/v1 add their own.
    expect(openHarnessIds.length).toBe(SPEC_OPERATION_COUNT);
    expect(ids).toEqual(expect.arrayContaining(["usage.list", "organization.limits.get", "organization.limits.update", "assistant.chat"]));
    expect(ids).toEqual(expect.arrayContaining(["harnesses.list", "execution.stream", "agents.import", "sessions.connect"]));
    expect(ids).toEqual(
      expect.arrayContaining([
        "apiKeys.create",
        "apiKeys.revoke",
        "members.update",
        "invitations.accept",
        "oauthClients.create",
        "organization.update",
      ]),
    );
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    // Error responses come from the one error table.
    expect(doc.paths["/v1/harnesses/{harnessId}/executions/{executionId}/stream"].get.responses["410"].description).toContain(
      "stream_expired",
    );
    expect(doc).toMatchSnapshot();
  });

  it("is the same object on every request (built once per isolate)", async () => {
    const [a, b] = await Promise.all([call("/openapi.json").then((r) => r.text()), call("/openapi.json").then((r) => r.text())]);
    expect(a).toBe(b);
  });
});

describe("docs page", () => {
  it("is served from the Worker's own assets and loads nothing from outside", async () => {
    const res = await env.ASSETS.fetch("https://edgeharness.test/docs/index.html");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("swagger-ui");
    expect(html).toContain("/openapi.json");
    expect(html).not.toMatch(/(src|href)=["']https?:/);
    const bundle = await env.ASSETS.fetch("https://edgeharness.test/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    // Through the Worker: the page, a request id and a strict CSP.
    const page = await call("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("x-request-id")).toMatch(/^req_/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain("swagger-ui");
  });
});
