import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { expectProblem, newHarness, newOrg, type TestOrg } from "../helpers/api.ts";

/** PUTs raw bytes at a workspace path. */
function put(org: TestOrg, slug: string, path: string, body: BodyInit, type = "application/octet-stream", query = "") {
  return org.fetch(`/v1/harnesses/${slug}/files/${path}${query}`, { method: "PUT", headers: { "content-type": type }, body });
}

async function json(res: Response): Promise<{ status: number; headers: Headers; body: any }> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function multipart(fields: Record<string, string>, files: { name: string; filename: string; content: string | Uint8Array }[]): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.name, new File([f.content], f.filename));
  return form;
}

describe("files.write / files.read", () => {
  it("writes a raw body creating parents, reads it back with its content type, overwrites with 200", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const first = await json(await put(org, h.id, "docs/2026/notes.md", "# Notes\nhello\n", "text/plain"));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      created: true,
      file: { path: "/docs/2026/notes.md", name: "notes.md", type: "file", size_bytes: 14, mime_type: "text/markdown", is_readonly: false },
    });
    const read = await org.fetch(`/v1/harnesses/${h.id}/files/docs/2026/notes.md`);
    expect(read.status).toBe(200);
    expect(read.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(read.headers.get("accept-ranges")).toBe("bytes");
    expect(await read.text()).toBe("# Notes\nhello\n");
    // One URL-encoded segment (the reference client's encodeURIComponent) names the same file.
    expect(await (await org.fetch(`/v1/harnesses/${h.id}/files/%2Fdocs%2F2026%2Fnotes.md`)).text()).toBe("# Notes\nhello\n");
    const again = await json(await put(org, h.id, "docs/2026/notes.md", "replaced"));
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const listing = await org.json("GET", `/v1/harnesses/${h.id}/files?path=/docs`);
    expect(listing.body).toEqual({
      path: "/docs",
      truncated: false,
      files: [expect.objectContaining({ path: "/docs/2026", type: "directory" })],
    });
  });

  it("stores a binary body as bytes and serves unknown types as application/octet-stream", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect((await put(org, h.id, "bin/blob", bytes)).status).toBe(201);
    const read = await org.fetch(`/v1/harnesses/${h.id}/files/bin/blob`);
    expect(read.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
  });

  it("takes the reference client's JSON {content} body, and a real JSON file as octet-stream (§9.3 R2)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    expect((await put(org, h.id, "a.txt", JSON.stringify({ content: "from the client" }), "application/json")).status).toBe(201);
    expect(await (await org.fetch(`/v1/harnesses/${h.id}/files/a.txt`)).text()).toBe("from the client");
    await put(org, h.id, "b.bin", JSON.stringify({ content: btoa("\u0000\u0001"), encoding: "base64" }), "application/json");
    expect(new Uint8Array(await (await org.fetch(`/v1/harnesses/${h.id}/files/b.bin`)).arrayBuffer())).toEqual(new Uint8Array([0, 1]));
    await put(org, h.id, "config.json", JSON.stringify({ content: "x" }), "application/octet-stream");
    expect(await (await org.fetch(`/v1/harnesses/${h.id}/files/config.json`)).json()).toEqual({ content: "x" });
    await put(org, h.id, "data.json", JSON.stringify({ name: "n", content: "c" }), "application/json");
    expect(await (await org.fetch(`/v1/harnesses/${h.id}/files/data.json`)).json()).toEqual({ name: "n", content: "c" });
  });

  it("serves byte ranges (206, Content-Range) and refuses one past the end (416)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await put(org, h.id, "digits.txt", "0123456789");
    const ranged = await org.fetch(`/v1/harnesses/${h.id}/files/digits.txt`, { headers: { range: "bytes=2-5" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await ranged.text()).toBe("2345");
    const tail = await org.fetch(`/v1/harnesses/${h.id}/files/digits.txt`, { headers: { range: "bytes=-3" } });
    expect(await tail.text()).toBe("789");
    const open = await org.fetch(`/v1/harnesses/${h.id}/files/digits.txt`, { headers: { range: "bytes=7-" } });
    expect(await open.text()).toBe("789");
    await expectProblem(
      await json(await org.fetch(`/v1/harnesses/${h.id}/files/digits.txt`, { headers: { range: "bytes=10-" } })),
      416,
      "range_not_satisfiable",
    );
  });

  it("handles paths with spaces and unicode, and a missing file is 404", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const path = `my docs/${encodeURIComponent("résumé ✓.txt")}`;
    expect((await put(org, h.id, path.replace(" ", "%20"), "unicode")).status).toBe(201);
    const listing = await org.json("GET", `/v1/harnesses/${h.id}/files?path=${encodeURIComponent("/my docs")}`);
    expect(listing.body.files.map((f: any) => f.path)).toEqual(["/my docs/résumé ✓.txt"]);
    expect(await (await org.fetch(`/v1/harnesses/${h.id}/files/my%20docs/${encodeURIComponent("résumé ✓.txt")}`)).text()).toBe("unicode");
    await expectProblem(await json(await org.fetch(`/v1/harnesses/${h.id}/files/nope/missing.txt`)), 404, "file_not_found");
  });
});

describe("files.delete / files.mkdir", () => {
  it("mkdir -p creates parents (201, then 200); deletes an empty directory, refuses a non-empty one (409) unless recursive", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const made = await org.json("POST", `/v1/harnesses/${h.id}/files/mkdir`, { path: "/a/b/c" });
    expect(made.status).toBe(201);
    expect(made.body.file).toMatchObject({ path: "/a/b/c", type: "directory" });
    expect((await org.json("POST", `/v1/harnesses/${h.id}/files/mkdir`, { path: "a/b" })).status).toBe(200);
    expect((await org.fetch(`/v1/harnesses/${h.id}/files/a/b/c`, { method: "DELETE" })).status).toBe(204);
    await put(org, h.id, "a/b/file.txt", "x");
    await expectProblem(await json(await org.fetch(`/v1/harnesses/${h.id}/files/a`, { method: "DELETE" })), 409, "directory_not_empty");
    expect((await org.fetch(`/v1/harnesses/${h.id}/files/a?recursive=true`, { method: "DELETE" })).status).toBe(204);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/files?recursive=true`)).body.files).toEqual([]);
    await expectProblem(await json(await org.fetch(`/v1/harnesses/${h.id}/files/a`, { method: "DELETE" })), 404, "file_not_found");
    await put(org, h.id, "plain.txt", "x");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/files/mkdir`, { path: "plain.txt/sub" }), 409, "not_a_directory");
    await expectProblem(await json(await put(org, h.id, "plain.txt/child", "x")), 409, "not_a_directory");
  });
});

describe("files.search", () => {
  it("globs over the index and greps contents with line numbers, limits and truncated (FIL-05, FIL-06)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (const [p, c] of Object.entries({
      "one.txt": "Line 1\nLine 2: MARKER123 is here\n",
      "two.txt": "nothing",
      "three.py": "MARKER123 = 1",
      "sub/four.txt": "MARKER123",
    }))
      await put(org, h.id, p, c);
    const glob = await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { glob: "*.txt" });
    expect(glob.body.matches.map((m: any) => m.file.path)).toEqual(["/one.txt", "/two.txt"]);
    const deep = await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { glob: "**/*.txt", path: "/sub" });
    expect(deep.body.matches.map((m: any) => m.file.path)).toEqual(["/sub/four.txt"]);
    const grep = await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { grep: "MARKER123", glob: "**/*.txt" });
    expect(grep.body.matches).toEqual([
      { file: expect.objectContaining({ path: "/one.txt" }), line_matches: [{ line_number: 2, content: "Line 2: MARKER123 is here" }] },
      { file: expect.objectContaining({ path: "/sub/four.txt" }), line_matches: [{ line_number: 1, content: "MARKER123" }] },
    ]);
    expect(grep.body.truncated).toBe(false);
    const capped = await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { grep: "MARKER", max_results: 1 });
    expect(capped.body).toMatchObject({ truncated: true, matches: [expect.anything()] });
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { grep: "(unclosed" }), 400, "invalid_pattern");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { max_results: 0 }), 400, "validation_error");
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { glob: "*", extra: 1 }), 400, "validation_error");
  });

  it("greps in linear time: a catastrophic pattern answers at once, and backtracking-only syntax is refused (ReDoS)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    // `(a+)+$` against 40 a's and a `!` takes ~2^40 steps in a backtracking engine: the request would never end.
    await put(org, h.id, "evil.txt", `${"a".repeat(40)}!\naaaa`);
    const grep = await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { grep: "(a+)+$" });
    expect(grep.status).toBe(200);
    expect(grep.body.matches).toEqual([
      { file: expect.objectContaining({ path: "/evil.txt" }), line_matches: [{ line_number: 2, content: "aaaa" }] },
    ]);
    const digits = await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { grep: "^\\w+\\d?!$" });
    expect(digits.body.matches).toHaveLength(1);
    const lookbehind = await expectProblem(
      await org.json("POST", `/v1/harnesses/${h.id}/files/search`, { grep: "(?<=a)!" }),
      400,
      "invalid_pattern",
    );
    expect(lookbehind.detail).toContain("lookaround");
  });
});

describe("files.upload / files.uploadBatch", () => {
  it("uploads one file; refuses to replace it without overwrite (409)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const form = () => multipart({ path: "up/hello.txt" }, [{ name: "file", filename: "ignored.bin", content: "hi" }]);
    const first = await json(await org.fetch(`/v1/harnesses/${h.id}/files/upload`, { method: "POST", body: form() }));
    expect(first.status).toBe(201);
    expect(first.body.file).toMatchObject({ path: "/up/hello.txt", size_bytes: 2, mime_type: "text/plain" });
    await expectProblem(
      await json(await org.fetch(`/v1/harnesses/${h.id}/files/upload`, { method: "POST", body: form() })),
      409,
      "file_exists",
    );
    const over = multipart({ path: "up/hello.txt", overwrite: "true" }, [{ name: "file", filename: "x", content: "again" }]);
    expect((await org.fetch(`/v1/harnesses/${h.id}/files/upload`, { method: "POST", body: over })).status).toBe(200);
    const noFile = multipart({ path: "x.txt" }, []);
    await expectProblem(
      await json(await org.fetch(`/v1/harnesses/${h.id}/files/upload`, { method: "POST", body: noFile })),
      400,
      "validation_error",
    );
  });

  it("uploads a batch under base_path keeping directories; skips existing files; all or nothing on a bad path", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const files = [
      { name: "files", filename: "skill/SKILL.md", content: "# Skill" },
      { name: "files", filename: "skill/lib/helper.py", content: "x = 1" },
    ];
    const first = await json(
      await org.fetch(`/v1/harnesses/${h.id}/files/upload-batch`, { method: "POST", body: multipart({ base_path: "/pkg" }, files) }),
    );
    expect(first.status).toBe(200);
    expect(first.body.uploaded.map((f: any) => f.path)).toEqual(["/pkg/skill/SKILL.md", "/pkg/skill/lib/helper.py"]);
    expect(first.body).toMatchObject({ skipped: [], errors: [] });
    const again = await json(
      await org.fetch(`/v1/harnesses/${h.id}/files/upload-batch`, { method: "POST", body: multipart({ base_path: "/pkg" }, files) }),
    );
    expect(again.body).toMatchObject({ uploaded: [], skipped: ["/pkg/skill/SKILL.md", "/pkg/skill/lib/helper.py"] });
    const bad = [
      { name: "files", filename: "ok.txt", content: "fine" },
      { name: "files", filename: "../escape.txt", content: "no" },
      { name: "files", filename: "/etc/passwd", content: "no" },
    ];
    const refused = await expectProblem(
      await json(
        await org.fetch(`/v1/harnesses/${h.id}/files/upload-batch`, { method: "POST", body: multipart({ base_path: "/pkg" }, bad) }),
      ),
      422,
      "upload_rejected",
    );
    expect(refused.error.details.errors.map((e: any) => e.path)).toEqual(["../escape.txt", "/etc/passwd"]);
    await expectProblem(await json(await org.fetch(`/v1/harnesses/${h.id}/files/pkg/ok.txt`)), 404, "file_not_found");
  });

  it("refuses more than 500 files in one batch (413)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const many = Array.from({ length: 501 }, (_, i) => ({ name: "files", filename: `f${i}.txt`, content: "x" }));
    await expectProblem(
      await json(await org.fetch(`/v1/harnesses/${h.id}/files/upload-batch`, { method: "POST", body: multipart({}, many) })),
      413,
      "payload_too_large",
    );
    expect((await org.json("GET", `/v1/harnesses/${h.id}/files`)).body.files).toEqual([]);
  });
});

describe("files.download / files.downloadBatch", () => {
  it("downloads with Content-Disposition; a file named download is still reachable (§9.3 R4)", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    await put(org, h.id, "docs/report final.pdf", new Uint8Array([37, 80, 68, 70]));
    const dl = await org.fetch(`/v1/harnesses/${h.id}/files/docs/report%20final.pdf/download`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-disposition")).toBe(`attachment; filename="report final.pdf"; filename*=UTF-8''report%20final.pdf`);
    expect(dl.headers.get("content-type")).toBe("application/pdf");
    await put(org, h.id, "docs/download", "I am a file called download");
    const literal = await org.fetch(`/v1/harnesses/${h.id}/files/docs/download`);
    expect(await literal.text()).toBe("I am a file called download");
    expect(literal.headers.get("content-disposition")).toBeNull();
    const encoded = await org.fetch(`/v1/harnesses/${h.id}/files/${encodeURIComponent("/docs/download")}/download`);
    expect(encoded.headers.get("content-disposition")).toContain('filename="download"');
    await expectProblem(await json(await org.fetch(`/v1/harnesses/${h.id}/files/docs/missing/download`)), 404, "file_not_found");
  });

  it("streams a ZIP of 1,000 files with the directory structure", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    for (let batch = 0; batch < 2; batch++) {
      const parts = Array.from({ length: 500 }, (_, i) => ({
        name: "files",
        filename: `d${batch}/sub${i % 10}/file-${i}.txt`,
        content: `batch ${batch} file ${i}\n`,
      }));
      const res = await json(
        await org.fetch(`/v1/harnesses/${h.id}/files/upload-batch`, { method: "POST", body: multipart({ base_path: "/many" }, parts) }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const zipped = await org.fetch(`/v1/harnesses/${h.id}/files/download-batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ paths: ["/many"] }),
    });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get("content-type")).toBe("application/zip");
    expect(zipped.headers.get("x-file-count")).toBe("1000");
    const entries = unzipSync(new Uint8Array(await zipped.arrayBuffer()));
    expect(Object.keys(entries)).toHaveLength(1000);
    expect(new TextDecoder().decode(entries["many/d1/sub7/file-497.txt"])).toBe("batch 1 file 497\n");
    const missing = await org.json("POST", `/v1/harnesses/${h.id}/files/download-batch`, { paths: ["/many/d0", "/nope.txt"] });
    expect((await expectProblem(missing, 404, "file_not_found")).error.details.missing).toEqual(["/nope.txt"]);
    await expectProblem(await org.json("POST", `/v1/harnesses/${h.id}/files/download-batch`, { paths: [] }), 400, "validation_error");
  });
});

describe("traversal and absolute paths, on every file operation", () => {
  const bad = [
    "..%2Fescape.txt",
    "a%2F..%2F..%2Fescape.txt",
    "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "a%5C..%5C..%5Cwin.txt",
    "C%3A%5Cwindows%5Cx",
    "a%00b",
  ];

  it("refuses them with 400 invalid_path and writes nothing", async () => {
    const org = await newOrg();
    const h = await newHarness(org);
    const base = `/v1/harnesses/${h.id}/files`;
    for (const p of bad) {
      await expectProblem(await json(await org.fetch(`${base}/${p}`)), 400, "invalid_path");
      await expectProblem(await json(await org.fetch(`${base}/${p}/download`)), 400, "invalid_path");
      await expectProblem(await json(await put(org, h.id, p, "x")), 400, "invalid_path");
      await expectProblem(await json(await org.fetch(`${base}/${p}`, { method: "DELETE" })), 400, "invalid_path");
      const raw = decodeURIComponent(p);
      await expectProblem(await org.json("GET", `${base}?path=${encodeURIComponent(raw)}`), 400, "invalid_path");
      await expectProblem(await org.json("POST", `${base}/mkdir`, { path: raw }), 400, "invalid_path");
      await expectProblem(await org.json("POST", `${base}/search`, { glob: "*", path: raw }), 400, "invalid_path");
      await expectProblem(await org.json("POST", `${base}/download-batch`, { paths: [raw] }), 400, "invalid_path");
      const upload = multipart({ path: raw }, [{ name: "file", filename: "f", content: "x" }]);
      await expectProblem(await json(await org.fetch(`${base}/upload`, { method: "POST", body: upload })), 400, "invalid_path");
      const batch = multipart({ base_path: raw }, [{ name: "files", filename: "f.txt", content: "x" }]);
      await expectProblem(await json(await org.fetch(`${base}/upload-batch`, { method: "POST", body: batch })), 400, "invalid_path");
    }
    await expectProblem(await org.json("POST", `${base}/search`, { glob: "../*" }), 400, "invalid_pattern");
    await expectProblem(await json(await org.fetch(`${base}/%2F`, { method: "DELETE" })), 400, "invalid_path");
    expect((await org.json("GET", `${base}?recursive=true`)).body.files).toEqual([]);
  });
});

describe("files: tenancy and sessions", () => {
  it("another organization's harness is 404; a session has its own workspace (?session_id=)", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const h = await newHarness(org);
    await put(org, h.id, "secret.txt", "mine");
    await expectProblem(await other.json("GET", `/v1/harnesses/${h.id}/files`), 404, "harness_not_found");
    await expectProblem(await json(await other.fetch(`/v1/harnesses/${h.id}/files/secret.txt`)), 404, "harness_not_found");
    const session = (await org.json("POST", `/v1/harnesses/${h.id}/sessions`, {})).body.session;
    expect((await put(org, h.id, "s.txt", "in the session", "text/plain", `?session_id=${session.id}`)).status).toBe(201);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/files?session_id=${session.id}`)).body.files.map((f: any) => f.path)).toEqual([
      "/s.txt",
    ]);
    expect((await org.json("GET", `/v1/harnesses/${h.id}/files`)).body.files.map((f: any) => f.path)).toEqual(["/secret.txt"]);
    await expectProblem(await org.json("GET", `/v1/harnesses/${h.id}/files?session_id=sess_nope`), 404, "session_not_found");
  });
});
