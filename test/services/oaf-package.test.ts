import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { MAX_ZIP_ENTRIES, unzipSafely, ZipLimitError, zipFiles, type ZipLimitKind } from "../../src/lib/zip.ts";
import { collectWarnings, PackageError, parseOafPackage, type PackageErrorCode } from "../../src/services/agents/oaf-package.ts";
import { fixtureBytes, fixtureNames } from "../helpers/fixtures.ts";

const MIB = 1024 * 1024;

function zipError(run: () => unknown): ZipLimitError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipLimitError);
    return error as ZipLimitError;
  }
  throw new Error("expected a ZipLimitError");
}

function expectZipError(run: () => unknown, kind: ZipLimitKind): ZipLimitError {
  const error = zipError(run);
  expect(error.kind).toBe(kind);
  return error;
}

function expectPackageError(entries: Map<string, Uint8Array>, code: PackageErrorCode): PackageError {
  try {
    parseOafPackage(entries);
  } catch (error) {
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).code).toBe(code);
    return error as PackageError;
  }
  throw new Error(`expected PackageError ${code}`);
}

/** Builds a package the way an upload arrives: zipped, then safely unzipped. */
function pkg(files: Record<string, Uint8Array | string>): Map<string, Uint8Array> {
  return unzipSafely(zipFiles(files));
}

function agentsMd(frontmatter: string, body = "# Agent\n\nDo things.\n\n## Tools\n\nNone.\n"): string {
  return `---\n${frontmatter.trim()}\n---\n\n${body}`;
}

const IDENTITY = [
  "name: Test Agent",
  "vendorKey: acme",
  "agentKey: test-agent",
  'version: "1.2.3"',
  "slug: acme/test-agent",
  "description: A test agent used by the package parser tests to check every mapped field.",
  "author: '@acme'",
  "license: Apache-2.0",
  "tags: [test, parser]",
].join("\n");

/** Offset of the central-directory header of `name` (APPNOTE 4.3.12). */
function centralHeaderOffset(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const encodedName = new TextEncoder().encode(name);
  for (let at = 0; at + 46 <= zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const candidate = zip.subarray(at + 46, at + 46 + nameLength);
    if (nameLength === encodedName.length && candidate.every((b, i) => b === encodedName[i])) return at;
  }
  throw new Error(`no central header for ${name}`);
}

/** Rewrites the declared uncompressed size of `name` in the central directory (what fflate trusts). */
function withDeclaredSize(zip: Uint8Array, name: string, bytes: number): Uint8Array {
  const copy = zip.slice();
  new DataView(copy.buffer).setUint32(centralHeaderOffset(copy, name) + 24, bytes, true);
  return copy;
}

/** Renames an entry in place (local and central headers); names must have the same UTF-8 length. */
function renameEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  const [a, b] = [new TextEncoder().encode(from), new TextEncoder().encode(to)];
  expect(a.length).toBe(b.length);
  const copy = zip.slice();
  let renamed = 0;
  for (let at = 0; at + a.length <= copy.length; at++) {
    if (a.every((byte, i) => copy[at + i] === byte)) {
      copy.set(b, at);
      renamed++;
    }
  }
  expect(renamed).toBe(2);
  return copy;
}

describe("shared fixtures", () => {
  it("are loaded byte-for-byte from ../shared/fixtures", () => {
    expect(fixtureNames()).toEqual(
      expect.arrayContaining([
        "oaf-samples/daily-affirmation-0.1.0.zip",
        "oaf-samples/meeting-summarizer-0.1.0.zip",
        "oaf-samples/recipe-finder-0.1.0.zip",
      ]),
    );
    // Sizes on disk; a lossy (UTF-8) load would change them.
    expect(fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip").length).toBe(1623);
    expect(fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip").length).toBe(6211);
  });
});

describe("unzipSafely", () => {
  it("reads the published sample packages, skipping directory entries", () => {
    const entries = unzipSafely(fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip"));
    expect([...entries.keys()].sort()).toEqual([
      "PACKAGE.yaml",
      "package/AGENTS.md",
      "package/mcp-configs/recipe-api/ActiveMCP.json",
      "package/mcp-configs/recipe-api/config.yaml",
      "package/skills/dietary-preferences/SKILL.md",
      "package/skills/dietary-preferences/resources/substitutions.md",
    ]);
    // Stored bytes are unchanged (CRLF kept).
    expect(new TextDecoder().decode(entries.get("package/AGENTS.md")).startsWith("---\r\n")).toBe(true);
  });

  it("round-trips zipFiles, normalises names and skips macOS junk and directories", () => {
    const zip = zipFiles({
      "./a.txt": "A",
      "dir\\b.txt": new Uint8Array([1, 2, 3]),
      "x/./y//c.txt": "C",
      "empty/": new Uint8Array(0),
      "__MACOSX/._a.txt": "junk",
      "dir/.DS_Store": "junk",
    });
    const entries = unzipSafely(zip);
    expect([...entries.keys()]).toEqual(["a.txt", "dir/b.txt", "x/y/c.txt"]);
    expect(new TextDecoder().decode(entries.get("a.txt"))).toBe("A");
    expect([...entries.get("dir/b.txt")!]).toEqual([1, 2, 3]);
  });

  it.each(["../evil.txt", "/abs.txt", "a/../../b", "a/../b", "..\\evil.txt", "C:/windows/x.txt", "c:evil", "nul\0byte.txt", "../dir/"])(
    "refuses the unsafe entry name %j",
    (name) => {
      const error = expectZipError(() => unzipSafely(zipFiles({ "ok.txt": "fine", [name]: "x" })), "unsafe_path");
      expect(error.path).toBe(name);
    },
  );

  it("refuses an entry named __proto__ (it would replace fflate's result prototype)", () => {
    // fflate's own writer cannot emit that name either, so rename a same-length entry in place.
    const zip = zipFiles({ __proto_x: "x", "a.txt": "a" });
    expectZipError(() => unzipSafely(renameEntry(zip, "__proto_x", "__proto__")), "unsafe_path");
  });

  it("refuses two entries that normalise to the same path", () => {
    expectZipError(() => unzipSafely(zipFiles({ "a/b.txt": "1", "a\\b.txt": "2" })), "unsafe_path");
  });

  it("refuses an entry-count bomb from the central directory, before inflating", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 11; i++) files[`f${i}.txt`] = "x";
    const zip = zipFiles(files);
    expectZipError(() => unzipSafely(zip, { maxEntries: 10 }), "too_many_entries");
    expect(unzipSafely(zip, { maxEntries: 11 }).size).toBe(11);
    expect(MAX_ZIP_ENTRIES).toBe(2000);
  });

  it("refuses a decompression bomb on declared sizes, before inflating", () => {
    const zip = zipFiles({ "zeros.bin": new Uint8Array(20 * MIB) });
    expect(zip.length).toBeLessThan(100 * 1024); // ~20 KB of deflate for 20 MiB of zeros
    // "declares" comes from the pre-inflate check in the filter; the post-inflate check says "inflates to".
    expect(expectZipError(() => unzipSafely(zip, { maxTotalBytes: 10 * MIB }), "too_large").message).toContain("declares more than");
    expect(expectZipError(() => unzipSafely(zip, { maxEntryBytes: 10 * MIB }), "too_large").message).toContain("declares more than");
    // Spread over entries: each is under the per-entry limit, the sum is not.
    const spread = zipFiles({ "a.bin": new Uint8Array(6 * MIB), "b.bin": new Uint8Array(6 * MIB) });
    const error = expectZipError(() => unzipSafely(spread, { maxTotalBytes: 10 * MIB, maxEntryBytes: 8 * MIB }), "too_large");
    expect(error.message).toContain("declares more than");
    expect(error.path).toBe("b.bin");
  });

  it("judges a declared 4 GiB entry without allocating or inflating it", () => {
    // fflate allocates an entry's declared size before inflating: reaching that point would throw a
    // RangeError (surfacing as `corrupt`) or exhaust memory, so `too_large` proves the filter ran first.
    const zip = withDeclaredSize(zipFiles({ "small.txt": "hello" }), "small.txt", 0xfffffff0);
    expectZipError(() => unzipSafely(zip), "too_large");
  });

  it("refuses entries whose actual content does not match the header (lying sizes, bad CRC)", () => {
    const content = "a".repeat(5000);
    const zip = zipFiles({ "a.txt": content });
    // Under-declared: fflate would silently truncate to 10 bytes; the CRC check catches it.
    expectZipError(() => unzipSafely(withDeclaredSize(zip, "a.txt", 10)), "corrupt");
    // Over-declared: the entry inflates to fewer bytes than declared.
    expectZipError(() => unzipSafely(withDeclaredSize(zip, "a.txt", 6000)), "corrupt");
    // A stored entry whose header declares 0 bytes is judged on its real (stored) size.
    const stored = withDeclaredSize(zipSync({ "s.bin": new Uint8Array(4096) }, { level: 0 }), "s.bin", 0);
    expectZipError(() => unzipSafely(stored, { maxEntryBytes: 1024 }), "too_large");
    expectZipError(() => unzipSafely(stored), "corrupt");
    // A flipped byte in stored content fails the CRC-32.
    const plain = zipSync({ "p.txt": new TextEncoder().encode("hello world") }, { level: 0 });
    const flipped = plain.slice();
    const hello = new TextEncoder().encode("hello world");
    const at = flipped.findIndex((_, i) => hello.every((byte, j) => flipped[i + j] === byte));
    expect(at).toBeGreaterThan(0);
    flipped[at] = 0x48; // "Hello world": same size, different CRC-32
    expectZipError(() => unzipSafely(flipped), "corrupt");
  });

  it("wraps unreadable input as corrupt", () => {
    expectZipError(() => unzipSafely(new TextEncoder().encode("this is not a zip file at all")), "corrupt");
    expectZipError(() => unzipSafely(new Uint8Array(0)), "corrupt");
    const zip = fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip");
    expectZipError(() => unzipSafely(zip.subarray(0, zip.length - 30)), "corrupt");
    const garbled = zip.slice();
    for (let i = 100; i < 600; i++) garbled[i] = (garbled[i]! * 31 + 7) & 0xff;
    expectZipError(() => unzipSafely(garbled), "corrupt");
  });

  it("returns an empty map for an empty archive", () => {
    expect(unzipSafely(zipFiles({})).size).toBe(0);
  });
});

describe("parseOafPackage: published samples", () => {
  it("daily-affirmation: one agent, no skills, no MCP servers", () => {
    const parsed = parseOafPackage(unzipSafely(fixtureBytes("oaf-samples/daily-affirmation-0.1.0.zip")));
    expect(parsed).toMatchObject({ packageName: "openharness-daily-affirmation-package", version: "0.1.0", contentsMode: "bundled" });
    expect(parsed.agents).toHaveLength(1);
    const [agent] = parsed.agents;
    expect(agent).toMatchObject({
      path: "package",
      name: "Daily Affirmation Agent",
      vendorKey: "openharness",
      agentKey: "daily-affirmation",
      version: "0.1.0",
      slug: "daily-affirmation-agent",
      description: "Generates personalized motivational affirmations based on user goals and current mindset",
      author: "OpenHarness Contributors",
      license: "MIT",
      tags: ["wellness", "motivation", "personal-development", "minimal"],
      model: "haiku",
      skills: [],
      mcpServers: [],
      files: ["AGENTS.md"],
    });
    expect(agent!.instructions.startsWith("# Daily Affirmation Agent\n\nThis is a **minimal agent**")).toBe(true);
    expect(agent!.instructions).toContain("simplest possible OAF structure—just an AGENTS.md"); // UTF-8 em dash
    expect(agent!.instructions).not.toContain("\r");
    expect(agent!.instructions).not.toContain("vendorKey:");
    expect(agent!.instructions).not.toMatch(/^---$/m);
    expect(collectWarnings(parsed)).toEqual([]);
  });

  it("meeting-summarizer: skill summarization, unknown front matter keys preserved", () => {
    const parsed = parseOafPackage(unzipSafely(fixtureBytes("oaf-samples/meeting-summarizer-0.1.0.zip")));
    const [agent] = parsed.agents;
    expect(parsed.agents).toHaveLength(1);
    expect(agent!.frontmatter.entrypoint).toBe("structured");
    expect(agent!.model).toBe("sonnet");
    expect(agent!.skills).toEqual([
      {
        name: "summarization",
        description:
          "Guidelines for extracting key meeting information and formatting structured output. Includes formatter script for consistent JSON/Markdown output.",
        path: "package/skills/summarization",
        files: ["SKILL.md", "resources/output-format.md"],
        warnings: [],
      },
    ]);
    expect(agent!.files).toEqual(["AGENTS.md", "skills/summarization/SKILL.md", "skills/summarization/resources/output-format.md"]);
    expect(agent!.instructions).not.toContain("\r");
    expect(collectWarnings(parsed)).toEqual([]);
  });

  it("recipe-finder: skill dietary-preferences and MCP server recipe-api (§5.3 schema)", () => {
    const parsed = parseOafPackage(unzipSafely(fixtureBytes("oaf-samples/recipe-finder-0.1.0.zip")));
    const [agent] = parsed.agents;
    expect(agent!.agentKey).toBe("recipe-finder");
    expect(agent!.skills.map((s) => s.name)).toEqual(["dietary-preferences"]);
    expect(agent!.skills[0]!.files).toEqual(["SKILL.md", "resources/substitutions.md"]);
    expect(agent!.mcpServers).toEqual([
      {
        name: "recipe-api",
        path: "package/mcp-configs/recipe-api",
        transport: { type: "http", url: "https://api.example-recipes.com/mcp" },
        enabledTools: ["recipes.search", "recipes.get", "recipes.random"],
        excludedTools: ["recipes.create", "recipes.update", "recipes.delete", "admin.*"],
        required: true,
        auth: { type: "api-key", header: "X-API-Key", env_var: "RECIPE_API_KEY" },
      },
    ]);
    // The api-key is named by its header and env var only (so the user knows which key to give); no value exists to surface.
    expect(collectWarnings(parsed)).toEqual([]);
  });
});

describe("parseOafPackage: layouts", () => {
  it("multi-agent package: PACKAGE.yaml with agents [{slug, version, path}] (CRLF) yields both agents", () => {
    const second = IDENTITY.replace("agentKey: test-agent", "agentKey: helper-agent").replace(
      "slug: acme/test-agent",
      "slug: helper-agent",
    );
    const entries = pkg({
      "PACKAGE.yaml":
        "name: Toolkit\r\nversion: 0.1.0\r\nauthor: Acme\r\nlicense: MIT\r\nagents:\r\n  - slug: helper-agent\r\n    version: 1.2.3\r\n    path: helper/\r\n  - slug: acme/test-agent\r\n    version: 1.2.3\r\n    path: main/\r\n",
      "main/AGENTS.md": agentsMd(IDENTITY).replaceAll("\n", "\r\n"),
      "main/skills/travel-planning/SKILL.md":
        "# Travel Planning Skill\r\n\r\nPlans trips within budget.\r\nUses the template.\r\n\r\n## Steps\r\n",
      "main/skills/travel-planning/resources/itinerary-template.md": "template",
      "helper/AGENTS.md": agentsMd(second),
    });
    const parsed = parseOafPackage(entries);
    expect(parsed.packageName).toBe("Toolkit");
    expect(parsed.agents.map((a) => [a.path, a.agentKey])).toEqual([
      ["helper", "helper-agent"],
      ["main", "test-agent"],
    ]);
    const main = parsed.agents[1]!;
    expect(main.files).toEqual(["AGENTS.md", "skills/travel-planning/SKILL.md", "skills/travel-planning/resources/itinerary-template.md"]);
    expect(main.instructions).toBe("# Agent\n\nDo things.\n\n## Tools\n\nNone.\n");
    const [skill] = main.skills;
    expect(skill).toMatchObject({
      name: "travel-planning",
      description: "Plans trips within budget. Uses the template.",
      path: "main/skills/travel-planning",
    });
    expect(skill!.warnings.join("\n")).toContain("has no front matter");
    expect(parsed.agents[0]!.skills).toEqual([]);
  });

  it("resolves PACKAGE.yaml entries by slug (OAF v0.8.0 shape) and reads contents.mode", () => {
    const entries = pkg({
      "PACKAGE.yaml":
        'format: oaf-package\nformatVersion: "1.0.0"\nversion: 2\ncontents:\n  mode: referenced\nagents:\n  - slug: acme/test-agent\n    version: "1.2.3"\n',
      "agent-dir/AGENTS.md": agentsMd(IDENTITY),
      "other/AGENTS.md": agentsMd(IDENTITY.replace("agentKey: test-agent", "agentKey: other")),
    });
    const parsed = parseOafPackage(entries);
    expect(parsed.contentsMode).toBe("referenced");
    expect(parsed.version).toBe("2");
    expect(parsed.agents.map((a) => a.path)).toEqual(["agent-dir"]);
  });

  it("warns on PACKAGE.yaml entries it cannot resolve and falls back to top-level AGENTS.md files", () => {
    const entries = pkg({
      "PACKAGE.yaml": "contents_mode: sideways\nagents:\n  - path: missing/\n",
      "b/AGENTS.md": agentsMd(IDENTITY.replace("agentKey: test-agent", "agentKey: b-agent")),
      "a/AGENTS.md": agentsMd(IDENTITY),
    });
    const parsed = parseOafPackage(entries);
    expect(parsed.contentsMode).toBe("bundled");
    expect(parsed.agents.map((a) => a.path)).toEqual(["a", "b"]);
    expect(parsed.warnings.join("\n")).toMatch(/missing\/AGENTS\.md/);
    expect(parsed.warnings.join("\n")).toMatch(/sideways/);
  });

  it("root AGENTS.md package (API export layout)", () => {
    const entries = pkg({
      "AGENTS.md": agentsMd(IDENTITY),
      "PACKAGE.yaml": "name: x\ncontents_mode: bundled\n",
      "skills/my-skill/SKILL.md":
        "---\nname: my-skill\ndescription: Does a thing. Triggers when asked.\nmetadata:\n  version: 1.0.1\n---\n# My Skill\n",
      "mcp-configs/files/ActiveMCP.json": JSON.stringify({
        vendor: "acme",
        server: "files",
        selectedTools: [{ name: "read", enabled: true }, { name: "write", enabled: false }, { name: "list" }],
        excludedTools: ["delete"],
        contextStrategy: "subset",
      }),
      "mcp-configs/files/config.yaml":
        "vendor: acme\nserver: files\nconnection:\n  type: sse\n  url: https://mcp.acme.test/sse\nauth:\n  type: bearer\n  token: ${FILES_TOKEN}\n",
      "examples/one.md": "example",
    });
    const parsed = parseOafPackage(entries);
    expect(parsed.agents).toHaveLength(1);
    const [agent] = parsed.agents;
    expect(agent!.path).toBe("");
    expect(agent!.files).toEqual([
      "AGENTS.md",
      "examples/one.md",
      "mcp-configs/files/ActiveMCP.json",
      "mcp-configs/files/config.yaml",
      "skills/my-skill/SKILL.md",
    ]);
    expect(agent!.skills).toEqual([
      {
        name: "my-skill",
        description: "Does a thing. Triggers when asked.",
        path: "skills/my-skill",
        version: "1.0.1",
        files: ["SKILL.md"],
        warnings: [],
      },
    ]);
    expect(agent!.mcpServers).toEqual([
      {
        name: "files",
        path: "mcp-configs/files",
        transport: { type: "sse", url: "https://mcp.acme.test/sse" },
        enabledTools: ["read", "list"],
        excludedTools: ["delete"],
        required: true,
        auth: { type: "bearer" },
      },
    ]);
    expect(collectWarnings(parsed)).toEqual([]);
  });

  it("without PACKAGE.yaml, every top-level */AGENTS.md is an agent", () => {
    const parsed = parseOafPackage(
      pkg({
        "one/AGENTS.md": agentsMd(IDENTITY),
        "two/AGENTS.md": agentsMd(IDENTITY.replace("test-agent", "two-agent")),
        "two/deep/AGENTS.md": "ignored",
      }),
    );
    expect(parsed.agents.map((a) => a.path)).toEqual(["one", "two"]);
    expect(parsed.agents[1]!.files).toContain("deep/AGENTS.md");
  });

  it("reads a package zipped inside a wrapper folder", () => {
    const parsed = parseOafPackage(
      pkg({
        "recipe-finder-0.1.0/PACKAGE.yaml": "agents:\n- path: package/\n",
        "recipe-finder-0.1.0/package/AGENTS.md": agentsMd(IDENTITY),
      }),
    );
    expect(parsed.agents.map((a) => a.path)).toEqual(["recipe-finder-0.1.0/package"]);
    expect(parsed.warnings.join("\n")).toContain("wrapped");
  });
});

describe("parseOafPackage: front matter", () => {
  it("maps model, config.temperature, config.max_tokens and config.tools", () => {
    const fm = `${IDENTITY}
model:
  provider: anthropic
  name: claude-sonnet-4-5
  embedding: voyage-2
config:
  temperature: 0.3
  max_tokens: 2048
  tools:
    allowed: [Read, Grep]
    denied: [Bash]
tools: [Ignored]
harnessConfig:
  goose: { x: 1 }`;
    const [agent] = parseOafPackage(pkg({ "AGENTS.md": agentsMd(fm) })).agents;
    expect(agent).toMatchObject({
      model: { provider: "anthropic", name: "claude-sonnet-4-5", embedding: "voyage-2" },
      temperature: 0.3,
      maxTokens: 2048,
      toolsAccess: { allow: ["Read", "Grep"], deny: ["Bash"] },
    });
    expect(agent!.frontmatter.harnessConfig).toEqual({ goose: { x: 1 } });
  });

  it("uses top-level tools as allow, and drops out-of-range config with warnings", () => {
    const fm = `${IDENTITY}\ntools: ["Read", "Edit"]\nconfig:\n  temperature: 1.7\n  max_tokens: -5`;
    const [agent] = parseOafPackage(pkg({ "AGENTS.md": agentsMd(fm) })).agents;
    expect(agent!.toolsAccess).toEqual({ allow: ["Read", "Edit"] });
    expect(agent!.temperature).toBeUndefined();
    expect(agent!.maxTokens).toBeUndefined();
    expect(agent!.warnings.join("\n")).toMatch(/temperature[\s\S]*max_tokens/);
  });

  it("coerces a bare numeric version to its written form and warns it is not semver", () => {
    const fm = IDENTITY.replace('version: "1.2.3"', "version: 1.0");
    const [agent] = parseOafPackage(pkg({ "AGENTS.md": agentsMd(fm) })).agents;
    expect(agent!.version).toBe("1.0");
    expect(agent!.warnings.join("\n")).toContain('version "1.0" is not a semantic version');
  });

  it("closes front matter only on a line that is exactly ---", () => {
    const fm = `${IDENTITY.replace("description: A test", "description: 'A --- test")}`.replace(
      "parser tests to check every mapped field.",
      "parser tests to check every mapped field.'",
    );
    const [agent] = parseOafPackage(pkg({ "AGENTS.md": `---\n${fm}\n---\nBody with --- inside\n---\nmore` })).agents;
    expect(agent!.description.startsWith("A --- test")).toBe(true);
    expect(agent!.instructions).toBe("Body with --- inside\n---\nmore");
  });

  it("missing license, author, tags, slug and description are warnings with defaults", () => {
    const fm = "name: Bare\nvendorKey: acme\nagentKey: bare\nversion: 0.1.0";
    const parsed = parseOafPackage(pkg({ "package/AGENTS.md": agentsMd(fm) }));
    const [agent] = parsed.agents;
    expect(agent).toMatchObject({ slug: "bare", license: null, author: null, tags: [], description: "" });
    const warnings = collectWarnings(parsed).join("\n");
    for (const field of ["license", "author", "tags", "slug", "description"]) expect(warnings).toContain(`package/AGENTS.md: ${field}`);
  });

  it("checks licenses against SPDX ids and keys against kebab-case", () => {
    const bad = IDENTITY.replace("license: Apache-2.0", "license: Proprietary-ish").replace("vendorKey: acme", "vendorKey: AcmeCorp");
    const [agent] = parseOafPackage(pkg({ "AGENTS.md": agentsMd(bad) })).agents;
    expect(agent!.license).toBe("Proprietary-ish");
    expect(agent!.warnings.some((w) => w.includes("not a recognised SPDX"))).toBe(true);
    expect(agent!.warnings.some((w) => w.includes('vendorKey "AcmeCorp" is not kebab-case'))).toBe(true);
    const dual = IDENTITY.replace("license: Apache-2.0", "license: (MIT OR GPL-3.0-or-later)");
    expect(parseOafPackage(pkg({ "AGENTS.md": agentsMd(dual) })).agents[0]!.warnings).toEqual([]);
  });

  it("SKILL.md problems are warnings: name mismatch, bad YAML, missing SKILL.md", () => {
    const parsed = parseOafPackage(
      pkg({
        "AGENTS.md": agentsMd(IDENTITY),
        "skills/right-dir/SKILL.md": "---\nname: other-name\ndescription: Something useful.\n---\nbody",
        "skills/broken/SKILL.md": "---\nname: [unclosed\n---\n# Broken Skill\n",
        "skills/no-manifest/readme.md": "hi",
      }),
    );
    const [agent] = parsed.agents;
    expect(agent!.skills.map((s) => [s.name, s.description])).toEqual([
      ["broken", "Broken Skill"],
      ["right-dir", "Something useful."],
    ]);
    expect(agent!.skills[1]!.warnings[0]).toContain('name "other-name" does not match its directory "right-dir"');
    expect(agent!.skills[0]!.warnings[0]).toContain("not valid YAML");
    expect(agent!.warnings.join("\n")).toContain("skills/no-manifest/: has no SKILL.md");
  });

  it("malformed MCP configs are warnings; literal secrets are flagged, never returned", () => {
    const fm = `${IDENTITY}\nmcpServers:\n  - { vendor: acme, server: good, version: 1.0.0, configDir: mcp-configs/good, required: false }\n  - { vendor: acme, server: ghost, configDir: mcp-configs/ghost }`;
    const parsed = parseOafPackage(
      pkg({
        "AGENTS.md": agentsMd(fm),
        "mcp-configs/bad/ActiveMCP.json": "{ not json",
        "mcp-configs/bad/config.yaml": "connection: [unclosed",
        "mcp-configs/good/ActiveMCP.json": '{"enabled_tools": ["a"]}',
        "mcp-configs/good/config.yaml":
          "connection:\n  type: http\n  url: https://x.test/mcp\nauth:\n  type: bearer\n  token: sk-live-123\n",
      }),
    );
    const [agent] = parsed.agents;
    expect(agent!.mcpServers).toEqual([
      { name: "bad", path: "mcp-configs/bad", enabledTools: [], excludedTools: [], required: true },
      {
        name: "good",
        path: "mcp-configs/good",
        transport: { type: "http", url: "https://x.test/mcp" },
        enabledTools: ["a"],
        excludedTools: [],
        required: false,
        auth: { type: "bearer" },
      },
    ]);
    const warnings = agent!.warnings.join("\n");
    expect(warnings).toContain("mcp-configs/bad/ActiveMCP.json: not valid JSON");
    expect(warnings).toContain("mcp-configs/bad/config.yaml: not valid YAML");
    expect(warnings).toContain("mcp-configs/good/config.yaml: token holds a literal credential");
    expect(warnings).toContain('MCP server "mcp-configs/ghost" is declared');
    expect(JSON.stringify(parsed)).not.toContain("sk-live-123");
  });
});

describe("parseOafPackage: hard errors", () => {
  it("no AGENTS.md → missing_agents_md, explaining what a package needs", () => {
    const error = expectPackageError(pkg({ "PACKAGE.yaml": "name: x\n", "package/README.md": "hi" }), "missing_agents_md");
    expect(error.message).toContain("AGENTS.md");
    expect(error.message).toContain("vendorKey");
    const cased = expectPackageError(pkg({ "package/agents.md": "x" }), "missing_agents_md");
    expect(cased.message).toContain("package/agents.md");
    expectPackageError(new Map(), "missing_agents_md");
  });

  it("front matter that is not YAML, not a mapping or not closed → invalid_frontmatter naming the file", () => {
    const bad = expectPackageError(
      pkg({ "package/AGENTS.md": "---\r\nname: a: b\r\nvendorKey: [x\r\n---\r\nbody" }),
      "invalid_frontmatter",
    );
    expect(bad.message).toContain("package/AGENTS.md");
    expect(bad.details).toMatchObject({ file: "package/AGENTS.md" });
    expectPackageError(pkg({ "AGENTS.md": "---\n- a\n- b\n---\nbody" }), "invalid_frontmatter");
    expectPackageError(pkg({ "AGENTS.md": `---\n${IDENTITY}\n\n# never closed` }), "invalid_frontmatter");
    expectPackageError(pkg({ "AGENTS.md": `---\n${IDENTITY}\nname: duplicate\n---\nbody` }), "invalid_frontmatter");
    const huge = expectPackageError(
      pkg({ "AGENTS.md": `---\n${IDENTITY}\nnotes: "${"x".repeat(300_000)}"\n---\nbody` }),
      "invalid_frontmatter",
    );
    expect(huge.message).toContain("larger than");
  });

  it("missing identity fields → missing_identity naming the fields and the file", () => {
    const fm = IDENTITY.replace("vendorKey: acme\n", "");
    const error = expectPackageError(pkg({ "package/AGENTS.md": agentsMd(fm) }), "missing_identity");
    expect(error.details).toEqual({ file: "package/AGENTS.md", fields: ["vendorKey"] });
    expect(error.message).toContain("vendorKey");
    expect(error.message).toContain("package/AGENTS.md");
    const none = expectPackageError(pkg({ "AGENTS.md": "# Just markdown\n" }), "missing_identity");
    expect(none.details?.fields).toEqual(["name", "vendorKey", "agentKey", "version"]);
    expect(none.message).toContain("no front matter");
    const list = expectPackageError(
      pkg({ "AGENTS.md": agentsMd(IDENTITY.replace("name: Test Agent", "name: [a, b]")) }),
      "missing_identity",
    );
    expect(list.details?.fields).toEqual(["name"]);
  });
});
