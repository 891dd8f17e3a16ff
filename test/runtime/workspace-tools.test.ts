import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/index.ts";
import { workspaceStore } from "../../src/services/workspace/store.ts";
import { currentTimeTool } from "../../src/runtime/tools/builtin/current-time.ts";
import { ToolError, type Tool, type ToolContext, type WrittenFile } from "../../src/runtime/tools/contract.ts";
import {
  MAX_READ_BYTES,
  MAX_WRITE_BYTES,
  WORKSPACE_TOOLS,
  editFileTool,
  globTool,
  grepTool,
  listFilesTool,
  normalizeWorkspacePath,
  readFileTool,
  writeFileTool,
} from "../../src/runtime/tools/builtin/workspace.ts";

/** A workspace under its own random prefix (R2 storage is shared within this file). */
function newWorkspace(): { ctx: ToolContext; written: WrittenFile[]; prefix: string } {
  const prefix = `test-ws/${crypto.randomUUID()}/workspace/`;
  const written: WrittenFile[] = [];
  const ctx: ToolContext = {
    workspace: workspaceStore(env, createDb(env.DB), { orgId: "org_test", prefix }),
    executionId: "exec_test",
    artifacts: {
      record: async (file) => {
        written.push(file);
      },
    },
    now: () => new Date(),
  };
  return { ctx, written, prefix };
}

/** Runs a tool the way the loop does: parse the raw input with the schema, then execute. */
function run(tool: Tool, input: unknown, ctx: ToolContext): Promise<Record<string, any>> {
  const parsed = tool.parse(input);
  if (!parsed.ok) throw new Error(parsed.issues.join("; "));
  return tool.execute(parsed.input, ctx);
}

async function expectToolError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<ToolError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ToolError);
  const toolError = err as ToolError;
  expect(toolError.code).toBe(code);
  if (message) expect(toolError.message).toMatch(message);
  return toolError;
}

async function seed(ctx: ToolContext, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) await run(writeFileTool, { path, content }, ctx);
}

describe("normalizeWorkspacePath", () => {
  it("accepts /workspace/x, /x, ./x and x as the same path and collapses . and ..", () => {
    for (const p of ["/workspace/a/b.txt", "/a/b.txt", "./a/b.txt", "a/b.txt", "a//./c/../b.txt", "/workspace//a/b.txt/"]) {
      expect(normalizeWorkspacePath(p)).toBe("a/b.txt");
    }
    expect(normalizeWorkspacePath("/workspace")).toBe("");
    expect(normalizeWorkspacePath("/")).toBe("");
    expect(normalizeWorkspacePath("workspace/x")).toBe("workspace/x"); // only the absolute mount is stripped
  });

  it("refuses .. above the root, NUL, control characters and over-long paths", () => {
    for (const p of ["../x", "/workspace/../x", "a/../../x", "/..", "a\u0000b", "a\nb", `${"a/".repeat(600)}b`]) {
      expect(() => normalizeWorkspacePath(p), p).toThrow(ToolError);
    }
    expect(() => normalizeWorkspacePath("../etc/passwd")).toThrow(/escapes the workspace root/);
  });
});

describe("read_file / write_file", () => {
  it("round-trips a file written with a /workspace/ path and reports created, size and MIME (FIL-01, FIL-02)", async () => {
    const { ctx, written, prefix } = newWorkspace();
    const content = "hello from conformance test\nUNIQUE_MARKER_12345_FOR_CONFORMANCE_TEST\nünïcödé ✓\n";
    const first = await run(writeFileTool, { path: "/workspace/notes/test_write.md", content }, ctx);
    expect(first).toEqual({ path: "/notes/test_write.md", size_bytes: new TextEncoder().encode(content).byteLength, created: true });
    expect(written).toEqual([{ path: "/notes/test_write.md", size_bytes: first.size_bytes, mime_type: "text/markdown" }]);

    const stored = await env.BUCKET.get(`${prefix}notes/test_write.md`);
    expect(await stored?.text()).toBe(content);
    expect(stored?.httpMetadata?.contentType).toBe("text/markdown");

    const read = await run(readFileTool, { path: "notes/test_write.md" }, ctx);
    expect(read).toEqual({ path: "/notes/test_write.md", content, total_lines: 3, truncated: false });

    const again = await run(writeFileTool, { path: "./notes/test_write.md", content: "replaced" }, ctx);
    expect(again.created).toBe(false);
    expect((await run(readFileTool, { path: "/notes/test_write.md" }, ctx)).content).toBe("replaced");
  });

  it("pages through lines with offset_lines and limit_lines", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, { "lines.txt": "l1\nl2\nl3\nl4\nl5" });
    expect(await run(readFileTool, { path: "lines.txt", offset_lines: 1, limit_lines: 2 }, ctx)).toEqual({
      path: "/lines.txt",
      content: "l2\nl3\n",
      total_lines: 5,
      truncated: true,
      next_offset_lines: 3,
    });
    const tail = await run(readFileTool, { path: "lines.txt", offset_lines: 3 }, ctx);
    expect(tail).toMatchObject({ content: "l4\nl5", total_lines: 5, truncated: false });
    const past = await run(readFileTool, { path: "lines.txt", offset_lines: 10 }, ctx);
    expect(past).toMatchObject({ content: "", total_lines: 5, truncated: false });
  });

  it("returns at most MAX_READ_BYTES of whole lines and says where to continue", async () => {
    const { ctx } = newWorkspace();
    const line = `${"x".repeat(1023)}\n`; // 1 KiB per line
    await ctx.workspace.write("big.log", line.repeat(400)); // 400 KiB
    const read = await run(readFileTool, { path: "big.log" }, ctx);
    expect(read.content.length).toBe(MAX_READ_BYTES);
    expect(read).toMatchObject({ total_lines: 400, truncated: true, next_offset_lines: 256 });
    const rest = await run(readFileTool, { path: "big.log", offset_lines: read.next_offset_lines }, ctx);
    expect(rest).toMatchObject({ total_lines: 400, truncated: false });
    expect(rest.content.length).toBe(144 * 1024);
  });

  it("agrees with a whole-file reference on random files, offsets and limits (line and chunk edges)", async () => {
    const { ctx } = newWorkspace();
    let seedState = 42;
    const rand = (n: number): number => {
      seedState = (seedState * 1103515245 + 12345) % 2 ** 31;
      return (seedState >>> 8) % n;
    };
    const encoder = new TextEncoder();
    for (let round = 0; round < 24; round++) {
      const lines: string[] = [];
      const count = rand(60);
      for (let i = 0; i < count; i++) {
        const long = rand(10) === 0;
        const len = long ? 100_000 + rand(250_000) : rand(200);
        lines.push((rand(3) === 0 ? "é€" : "ab").repeat(Math.ceil(len / 2)) + (i < count - 1 || rand(2) === 0 ? "\n" : ""));
      }
      const text = lines.join("");
      await ctx.workspace.write("r.txt", text);
      const offset = rand(3) === 0 ? 0 : rand(count + 2);
      const limit = rand(2) === 0 ? undefined : 1 + rand(20);
      // Reference: whole lines up to MAX_READ_BYTES; a single over-long first line is cut at the limit.
      const selected = lines.slice(offset, limit === undefined ? undefined : offset + limit);
      let bytes = 0;
      let taken = 0;
      for (const l of selected) {
        const size = encoder.encode(l).byteLength;
        if (bytes + size > MAX_READ_BYTES) break;
        bytes += size;
        taken += 1;
      }
      let expected = selected.slice(0, taken).join("");
      let next = offset + taken;
      if (taken === 0 && selected.length > 0) {
        expected = new TextDecoder().decode(encoder.encode(selected[0]).subarray(0, MAX_READ_BYTES), { stream: true });
        next = offset + 1;
      }
      const input =
        limit === undefined ? { path: "r.txt", offset_lines: offset } : { path: "r.txt", offset_lines: offset, limit_lines: limit };
      const read = await run(readFileTool, input, ctx);
      const label = `round ${round}: ${count} lines, offset ${offset}, limit ${limit}`;
      expect(read.total_lines, label).toBe(lines.length);
      expect(read.content === expected, label).toBe(true);
      expect(read.truncated, label).toBe(next < lines.length);
      if (read.truncated) expect(read.next_offset_lines, label).toBe(next);
    }
  });

  it("reports a missing file as not_found with 'not found' in the message (FIL-08)", async () => {
    const { ctx } = newWorkspace();
    const err = await expectToolError(
      run(readFileTool, { path: "/nonexistent/path/that/does/not/exist/conformance_test_xyz.txt" }, ctx),
      "not_found",
    );
    expect(err.message.toLowerCase()).toContain("not found");
  });

  it("refuses paths that escape the workspace, and the root itself as a file", async () => {
    const { ctx } = newWorkspace();
    await expectToolError(run(readFileTool, { path: "../../etc/passwd" }, ctx), "invalid_path");
    await expectToolError(run(writeFileTool, { path: "/workspace/../outside.txt", content: "x" }, ctx), "invalid_path");
    await expectToolError(run(writeFileTool, { path: "/workspace/", content: "x" }, ctx), "invalid_path");
  });

  it("refuses content over 1 MiB and leaves nothing behind", async () => {
    const { ctx, written, prefix } = newWorkspace();
    await expectToolError(run(writeFileTool, { path: "big.txt", content: "a".repeat(MAX_WRITE_BYTES + 1) }, ctx), "file_too_large");
    expect(await env.BUCKET.head(`${prefix}big.txt`)).toBeNull();
    expect(written).toEqual([]);
    const exact = await run(writeFileTool, { path: "exact.txt", content: "a".repeat(MAX_WRITE_BYTES) }, ctx);
    expect(exact.size_bytes).toBe(MAX_WRITE_BYTES);
  });

  it("keeps file-system shape: no file over a directory, no file under a file", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, { "dir/a.txt": "a", "plain.txt": "p" });
    await expectToolError(run(writeFileTool, { path: "dir", content: "x" }, ctx), "is_a_directory");
    await expectToolError(run(writeFileTool, { path: "plain.txt/child.txt", content: "x" }, ctx), "not_a_directory");
    await expectToolError(run(readFileTool, { path: "dir" }, ctx), "is_a_directory");
  });

  it("refuses to return binary content as text", async () => {
    const { ctx } = newWorkspace();
    await ctx.workspace.write("image.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
    await expectToolError(run(readFileTool, { path: "image.png" }, ctx), "binary_file");
  });
});

describe("edit_file", () => {
  it("replaces foo with bar (FIL-03) and reports the write", async () => {
    const { ctx, written } = newWorkspace();
    await seed(ctx, { "fox.txt": "The quick foo jumped over the lazy dog." });
    written.length = 0;
    const result = await run(editFileTool, { path: "/workspace/fox.txt", old_string: "foo", new_string: "bar" }, ctx);
    expect(result).toMatchObject({ path: "/fox.txt", replacements: 1 });
    const content = (await run(readFileTool, { path: "fox.txt" }, ctx)).content as string;
    expect(content).toBe("The quick bar jumped over the lazy dog.");
    expect(content).not.toContain("foo");
    expect(written).toEqual([{ path: "/fox.txt", size_bytes: content.length, mime_type: "text/plain" }]);
  });

  it("refuses an ambiguous match unless replace_all, and inserts replacement text literally", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, { "a.py": "x = 1\nx = 1\n" });
    const err = await expectToolError(
      run(editFileTool, { path: "a.py", old_string: "x = 1", new_string: "y = 2" }, ctx),
      "ambiguous_match",
    );
    expect(err.message).toContain("2 times");
    const all = await run(editFileTool, { path: "a.py", old_string: "x = 1", new_string: "y = $& $1", replace_all: true }, ctx);
    expect(all.replacements).toBe(2);
    expect((await run(readFileTool, { path: "a.py" }, ctx)).content).toBe("y = $& $1\ny = $& $1\n");
  });

  it("reports no_match, not_found and an identical replacement", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, { "a.txt": "alpha" });
    await expectToolError(run(editFileTool, { path: "a.txt", old_string: "beta", new_string: "gamma" }, ctx), "no_match");
    await expectToolError(run(editFileTool, { path: "b.txt", old_string: "a", new_string: "b" }, ctx), "not_found", /not found/);
    await expectToolError(run(editFileTool, { path: "a.txt", old_string: "alpha", new_string: "alpha" }, ctx), "invalid_input");
  });
});

describe("list_files", () => {
  it("lists direct children with implicit directories, and everything when recursive (FIL-04)", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, { "alpha.txt": "a", "beta.py": "b", "gamma.md": "g", "sub/deep/x.json": "{}", "sub/y.txt": "y" });
    await ctx.workspace.mkdir("empty"); // an empty directory, as a mkdir leaves

    const top = await run(listFilesTool, {}, ctx);
    expect(top.path).toBe("/");
    expect(top.truncated).toBe(false);
    expect(top.entries.map((e: any) => [e.path, e.type])).toEqual([
      ["/alpha.txt", "file"],
      ["/beta.py", "file"],
      ["/empty", "directory"],
      ["/gamma.md", "file"],
      ["/sub", "directory"],
    ]);
    const alpha = top.entries[0];
    expect(alpha).toMatchObject({ name: "alpha.txt", size_bytes: 1, mime_type: "text/plain" });
    expect(new Date(alpha.modified_at).toISOString()).toBe(alpha.modified_at);

    const sub = await run(listFilesTool, { path: "/workspace/sub" }, ctx);
    expect(sub.entries.map((e: any) => e.path)).toEqual(["/sub/deep", "/sub/y.txt"]);

    const all = await run(listFilesTool, { path: "/", recursive: true }, ctx);
    expect(all.entries.map((e: any) => `${e.type[0]}:${e.path}`)).toEqual([
      "f:/alpha.txt",
      "f:/beta.py",
      "d:/empty",
      "f:/gamma.md",
      "d:/sub",
      "d:/sub/deep",
      "f:/sub/deep/x.json",
      "f:/sub/y.txt",
    ]);

    expect((await run(listFilesTool, { path: "empty" }, ctx)).entries).toEqual([]);
  });

  it("reports a missing directory and a file given as a directory", async () => {
    const { ctx } = newWorkspace();
    expect((await run(listFilesTool, {}, ctx)).entries).toEqual([]); // an empty workspace root is fine
    await seed(ctx, { "f.txt": "x" });
    await expectToolError(run(listFilesTool, { path: "nope" }, ctx), "not_found");
    await expectToolError(run(listFilesTool, { path: "f.txt" }, ctx), "not_a_directory");
  });
});

describe("glob", () => {
  it("*.txt finds only the top-level .txt files; **/*.txt finds nested ones (FIL-05)", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, { "one.txt": "1", "two.txt": "2", "three.py": "3", "four.py": "4", "sub/five.txt": "5" });
    expect(await run(globTool, { pattern: "*.txt" }, ctx)).toEqual({ matches: ["/one.txt", "/two.txt"], truncated: false });
    expect((await run(globTool, { pattern: "**/*.txt" }, ctx)).matches).toEqual(["/one.txt", "/sub/five.txt", "/two.txt"]);
    expect((await run(globTool, { pattern: "*.txt", path: "/workspace/sub" }, ctx)).matches).toEqual(["/sub/five.txt"]);
    expect((await run(globTool, { pattern: "sub/*.txt" }, ctx)).matches).toEqual(["/sub/five.txt"]);
    expect((await run(globTool, { pattern: "*.{py,md}" }, ctx)).matches).toEqual(["/four.py", "/three.py"]);
    expect((await run(globTool, { pattern: "/workspace/*.py", path: "sub" }, ctx)).matches).toEqual(["/four.py", "/three.py"]);
    expect((await run(globTool, { pattern: "one.txt" }, ctx)).matches).toEqual(["/one.txt"]);
  });

  it("refuses .. in a pattern", async () => {
    const { ctx } = newWorkspace();
    await expectToolError(run(globTool, { pattern: "../*" }, ctx), "invalid_pattern");
  });
});

describe("grep", () => {
  it("finds MARKER123 on line 2 (FIL-06), case-insensitively on request", async () => {
    const { ctx } = newWorkspace();
    await seed(ctx, {
      "notes.txt": "Line 1: nothing\nLine 2: MARKER123 is here\nLine 3: marker123 lower\r\n",
      "src/code.py": "print('MARKER123')\n",
      "other.md": "no match here",
    });
    const exact = await run(grepTool, { pattern: "MARKER123" }, ctx);
    expect(exact).toMatchObject({ truncated: false, files_scanned: 3 });
    expect(exact.matches).toEqual([
      { path: "/notes.txt", line_number: 2, content: "Line 2: MARKER123 is here" },
      { path: "/src/code.py", line_number: 1, content: "print('MARKER123')" },
    ]);

    const folded = await run(grepTool, { pattern: "marker\\d+", ignore_case: true, path: "/workspace/notes.txt" }, ctx);
    expect(folded.matches.map((m: any) => m.line_number)).toEqual([2, 3]);
    expect(folded.matches[1].content).toBe("Line 3: marker123 lower"); // no trailing \r

    const py = await run(grepTool, { pattern: "MARKER123", glob: "*.py" }, ctx);
    expect(py.matches.map((m: any) => m.path)).toEqual(["/src/code.py"]);

    const literal = await run(grepTool, { pattern: "print('", literal: true }, ctx);
    expect(literal.matches).toHaveLength(1);

    const capped = await run(grepTool, { pattern: "Line", max_matches: 2 }, ctx);
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.matches).toHaveLength(2);
  });

  it("reports an invalid regex as invalid_pattern and skips files over 1 MiB", async () => {
    const { ctx } = newWorkspace();
    await expectToolError(run(grepTool, { pattern: "(unclosed" }, ctx), "invalid_pattern");
    await expectToolError(run(grepTool, { pattern: "(\\w)\\1" }, ctx), "invalid_pattern");
    await ctx.workspace.write("huge.txt", `needle\n${"x".repeat(1024 * 1024)}`);
    await seed(ctx, { "small.txt": "needle" });
    const result = await run(grepTool, { pattern: "needle" }, ctx);
    expect(result).toMatchObject({ files_scanned: 1, files_skipped: 1 });
    expect(result.matches.map((m: any) => m.path)).toEqual(["/small.txt"]);
    await expectToolError(run(grepTool, { pattern: "x", path: "missing" }, ctx), "not_found");
  });
});

describe("current_time", () => {
  it("returns UTC by default and local time with offset in a named zone", async () => {
    const { ctx } = newWorkspace();
    const before = Date.now();
    const utc = await run(currentTimeTool, {}, ctx);
    expect(new Date(utc.iso).toISOString()).toBe(utc.iso);
    expect(utc.unix_ms).toBeGreaterThanOrEqual(before);
    expect(utc).toMatchObject({ timezone: "UTC", utc_offset: "+00:00" });
    expect(utc.local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);

    const kolkata = await run(currentTimeTool, { timezone: "Asia/Kolkata" }, ctx);
    expect(kolkata).toMatchObject({ timezone: "Asia/Kolkata", utc_offset: "+05:30" });
    // The local wall-clock time names the same instant (to the second).
    expect(Math.abs(Date.parse(kolkata.local) - kolkata.unix_ms)).toBeLessThan(1000);
  });

  it("rejects an unknown time zone", async () => {
    const { ctx } = newWorkspace();
    await expectToolError(run(currentTimeTool, { timezone: "Mars/Olympus_Mons" }, ctx), "invalid_timezone");
  });
});

describe("WORKSPACE_TOOLS", () => {
  it("offers six uniquely named snake_case tools whose schemas convert to JSON Schema", async () => {
    const names = WORKSPACE_TOOLS.map((t) => t.name);
    expect(names).toEqual(["read_file", "write_file", "edit_file", "list_files", "glob", "grep"]);
    for (const tool of [...WORKSPACE_TOOLS, currentTimeTool]) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(tool.inputSchema).toMatchObject({ type: "object" });
    }
  });
});
