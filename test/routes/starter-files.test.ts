import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";
import { waitForResult } from "../helpers/executions.ts";

async function text(org: TestOrg, harness: string, path: string, query = ""): Promise<string> {
  const res = await org.fetch(`/v1/harnesses/${harness}/files/${path}${query}`);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** A parent and a child harness whose starter files overlap by path. */
async function chain(org: TestOrg) {
  const parent = await newHarness(org, {
    initial_files: [
      { path: "/workspace/README.md", content: "parent readme" },
      { path: "shared/data.bin", content: btoa(String.fromCharCode(0, 1, 2, 255)), encoding: "base64" },
      { path: "/rules/policy.md", content: "do no harm", is_readonly: true },
    ],
  });
  const child = await newHarness(org, {
    parent_harness_id: parent.id,
    default_model_id: "scripted/write",
    capability_refs: [{ ref: "workspace_files" }],
    initial_files: [
      { path: "README.md", content: "child readme" },
      { path: "notes/hello.txt", content: "read-only note", is_readonly: true },
    ],
  });
  return { parent, child };
}

describe("starter files (initial_files)", () => {
  it("every new session starts with the chain's files, the child winning by path, text and base64", async () => {
    const org = await newOrg();
    const { child } = await chain(org);
    const session = (await org.json("POST", `/v1/harnesses/${child.id}/sessions`, {})).body.session.id;
    const q = `?session_id=${session}`;
    const listed = await org.json("GET", `/v1/harnesses/${child.id}/files${q}&recursive=true`);
    expect(listed.body.files.filter((f: any) => f.type === "file").map((f: any) => [f.path, f.is_readonly])).toEqual([
      ["/README.md", false],
      ["/notes/hello.txt", true],
      ["/rules/policy.md", true],
      ["/shared/data.bin", false],
    ]);
    expect(await text(org, child.id, "README.md", q)).toBe("child readme");
    const bin = await org.fetch(`/v1/harnesses/${child.id}/files/shared/data.bin${q}`);
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
    // Each session has its own copy: a change in one is not seen by the next.
    await org.fetch(`/v1/harnesses/${child.id}/files/README.md${q}`, { method: "PUT", body: "changed" });
    const second = (await org.json("POST", `/v1/harnesses/${child.id}/sessions`, {})).body.session.id;
    expect(await text(org, child.id, "README.md", `?session_id=${second}`)).toBe("child readme");
  });

  it("read-only files refuse edits and deletes through files.* and through the agent's tools", async () => {
    const org = await newOrg();
    const { child } = await chain(org);
    const session = (await org.json("POST", `/v1/harnesses/${child.id}/sessions`, {})).body.session.id;
    const q = `?session_id=${session}`;
    const base = `/v1/harnesses/${child.id}/files`;
    const put = await org.fetch(`${base}/rules/policy.md${q}`, { method: "PUT", body: "do harm" });
    expect(put.status).toBe(409);
    expect(((await put.json()) as { code: string }).code).toBe("file_read_only");
    await expectProblem(await org.json("DELETE", `${base}/rules/policy.md${q}`), 409, "file_read_only");
    await expectProblem(await org.json("DELETE", `${base}/rules${q}&recursive=true`), 409, "file_read_only");
    const upload = new FormData();
    upload.append("path", "rules/policy.md");
    upload.append("overwrite", "true");
    upload.append("file", new File(["x"], "policy.md"));
    expect((await org.fetch(`${base}/upload${q}`, { method: "POST", body: upload })).status).toBe(409);
    expect(await text(org, child.id, "rules/policy.md", q)).toBe("do no harm");
    // The agent, in the same session: write_file on the read-only notes/hello.txt fails with read_only.
    const reply = await org.json("POST", `/v1/harnesses/${child.id}/sessions/${session}/message`, { content: "write" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.response.content).toContain("read_only");
    expect(await text(org, child.id, "notes/hello.txt", q)).toBe("read-only note");
  });

  it("a run without a session works in the harness workspace, which gets the starter files it is missing", async () => {
    const org = await newOrg();
    const { child } = await chain(org);
    await org.fetch(`/v1/harnesses/${child.id}/files/README.md`, { method: "PUT", body: "edited before the run" });
    const started = await org.json("POST", `/v1/harnesses/${child.id}/execute`, { message: "write", model: "scripted/write" });
    const result = await waitForResult(org, child.id, started.body.execution_id);
    expect(result.output).toContain("read_only");
    expect(await text(org, child.id, "README.md")).toBe("edited before the run");
    expect(await text(org, child.id, "rules/policy.md")).toBe("do no harm");
    expect((await org.fetch(`/v1/harnesses/${child.id}/files/README.md`, { method: "DELETE" })).status).toBe(204);
    const again = await org.json("POST", `/v1/harnesses/${child.id}/execute`, { message: "hello" });
    await waitForResult(org, child.id, again.body.execution_id);
    expect(await text(org, child.id, "README.md")).toBe("child readme");
  });

  it("refuses starter files whose path leaves the workspace or whose base64 is invalid (400)", async () => {
    const org = await newOrg();
    const bad = await org.json("POST", "/v1/harnesses", {
      id: "bad-starter",
      name: "Bad",
      vendor: "EdgeHarness",
      description: "x",
      execution_type: "hosted",
      config: {},
      initial_files: [{ path: "../../etc/passwd", content: "x" }],
    });
    await expectProblem(bad, 400, "validation_error");
    const badB64 = await org.json("POST", "/v1/harnesses", {
      id: "bad-b64",
      name: "Bad",
      vendor: "EdgeHarness",
      description: "x",
      execution_type: "hosted",
      config: {},
      initial_files: [{ path: "a.bin", content: "%%%", encoding: "base64" }],
    });
    await expectProblem(badB64, 400, "validation_error");
  });
});
