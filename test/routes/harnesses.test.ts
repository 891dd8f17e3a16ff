import { describe, expect, it } from "vitest";
import { call, expectProblem, newHarness, newOrg } from "../helpers/api.ts";

describe("harnesses.register / get / list", () => {
  it("registers a native harness and reads it back by slug and typed id", async () => {
    const org = await newOrg();
    const res = await org.json("POST", "/v1/harnesses", {
      id: "research",
      name: "Deep Research",
      vendor: "Acme",
      description: "Research harness",
      execution_type: "hosted",
      config: {},
      system_prompt: "You are a research assistant.",
      capability_refs: [{ ref: "current_time" }],
      tags: ["research"],
    });
    expect(res.status).toBe(201);
    expect(res.body.harness).toMatchObject({ id: "research", name: "Deep Research", kind: "native", status: "active" });
    expect(res.body.harness.uid).toMatch(/^harness_[0-9a-f]{32}$/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const bySlug = await org.json("GET", "/v1/harnesses/research");
    expect(bySlug.body.harness.uid).toBe(res.body.harness.uid);
    const byId = await org.json("GET", `/v1/harnesses/${res.body.harness.uid}`);
    expect(byId.body.harness.id).toBe("research");
  });

  it("answers 401 without credentials and 404 for another organization's harness", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const h = await newHarness(a);
    await expectProblem({ ...(await b.json("GET", `/v1/harnesses/${h.id}`)) }, 404, "harness_not_found");
    const res = await call(`/v1/harnesses/${h.id}`);
    await expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, 401, "unauthorized");
  });
});
