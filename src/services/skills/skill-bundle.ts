/**
 * Reading and validating a skill bundle (open-agent-format.md §4; the Agent Skills rules): the files of
 * one skill folder, whose root holds `SKILL.md` with YAML front matter. Pure — no database, R2 or
 * network — so skills.validate, skills.register/upgrade and the agent-package importer judge a skill the
 * same way.
 *
 * Rules, each problem reported with its file and (for front matter) its line:
 * - errors: no `SKILL.md` at the root; front matter missing, unclosed, not YAML or not a mapping; keys
 *   other than `name`, `description`, `license`, `allowed-tools`, `metadata`, `compatibility`; `name`
 *   missing, not 1–64 lowercase letters, digits and single hyphens (no leading or trailing hyphen), or
 *   not the root folder's name (nor the existing skill's, on upgrade); `description` missing or over
 *   1,024 characters; `compatibility` over 500 characters; `metadata` not a mapping; `license` or
 *   `allowed-tools` of the wrong type; more than {@link MAX_SKILL_FILES} files or more than
 *   {@link MAX_SKILL_BUNDLE_BYTES} bytes;
 * - warnings: binary files outside `assets/`, a `metadata.version` that is not a semantic version (the
 *   server then assigns one), a SKILL.md longer than 500 lines, no root folder to compare the name with.
 *
 * In `package` mode (skills inside an agent package, §11 step 8) front-matter problems are warnings and
 * the skill is named by its folder, as the importer always did; size and count limits stay errors.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { firstParagraph, readText, splitFrontMatter } from "../../lib/front-matter.ts";
import semver from "semver";

/** Largest skill bundle: the upload, and the sum of its files' sizes, in bytes (open-agent-format.md §8). */
export const MAX_SKILL_BUNDLE_BYTES = 10 * 1024 * 1024;
/** Most files in one skill bundle. */
export const MAX_SKILL_FILES = 500;
/** Longest skill name, characters (Agent Skills). */
export const MAX_SKILL_NAME_CHARS = 64;
/** Longest skill description, characters (Agent Skills). */
export const MAX_SKILL_DESCRIPTION_CHARS = 1024;
/** Longest `compatibility`, characters (Agent Skills). */
export const MAX_SKILL_COMPATIBILITY_CHARS = 500;
/** SKILL.md lines beyond which a warning advises moving detail into other files (Agent Skills advice). */
export const SKILL_MD_ADVISED_MAX_LINES = 500;
/** The front-matter keys the Agent Skills format defines. */
export const SKILL_FRONTMATTER_KEYS = ["name", "description", "license", "allowed-tools", "metadata", "compatibility"] as const;

/** `name` rule: lowercase letters, digits and single hyphens, no leading or trailing hyphen. */
export const SKILL_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SKILL_MD = "SKILL.md";
/** Bytes sniffed for a NUL to call a file binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/** Open Harness `ValidationIssue` (§2.6): the file (as uploaded, root folder included), its line, a message and a stable code. */
export interface SkillIssue {
  file: string;
  line?: number;
  message: string;
  code: string;
}

/** A read skill: what it says about itself, its files, and every problem found. */
export interface SkillBundle {
  /** The folder of the input that holds SKILL.md (`""` when SKILL.md is at the top). */
  root: string;
  /** The skill's name: the front matter's (strict mode), else the folder's. `""` when neither is known. */
  name: string;
  description: string;
  /** SKILL.md after the front matter, LF line endings. */
  body: string;
  /** The front matter as parsed (`{}` when missing or unreadable). */
  frontmatter: Record<string, unknown>;
  /** `metadata.version` when it is a semantic version. */
  version?: string;
  /** `metadata.author`, when a string. */
  author?: string;
  /** Files relative to the root folder, sorted by path. */
  files: Map<string, Uint8Array>;
  errors: SkillIssue[];
  warnings: SkillIssue[];
}

/** How strictly to read (see the module doc) and what to compare the name with. */
export interface ReadSkillOptions {
  mode: "strict" | "package";
  /** The skill folder's name when the input has no folder of its own (a package's `skills/<dir>/`). */
  folderName?: string;
  /** The name the skill must have (skills.upgrade: the existing skill's). */
  expectedName?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(dir: string, rel: string): string {
  return dir === "" ? rel : `${dir}/${rel}`;
}

/** True when the bytes are not UTF-8 text (a NUL early on, or invalid UTF-8). */
export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/**
 * Finds the folder holding SKILL.md: the top itself, or the one folder everything sits in. Returns
 * undefined when neither holds it.
 */
function findRoot(entries: Map<string, Uint8Array>): string | undefined {
  if (entries.has(SKILL_MD)) return "";
  const tops = new Set([...entries.keys()].map((p) => p.split("/")[0]!));
  const only = [...tops][0];
  if (tops.size === 1 && only !== undefined && entries.has(`${only}/${SKILL_MD}`)) return only;
  return undefined;
}

/** The line (1-based, in SKILL.md) of front-matter key `key`, when present. */
function keyLine(doc: Document, counter: LineCounter, key: string, yamlStartLine: number): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.value === key && pair.key.range) {
      return counter.linePos(pair.key.range[0]).line + yamlStartLine - 1;
    }
  }
  return undefined;
}

/** Collects issues of one read; in package mode front-matter problems become warnings. */
class Issues {
  readonly errors: SkillIssue[] = [];
  readonly warnings: SkillIssue[] = [];
  constructor(private readonly mode: ReadSkillOptions["mode"]) {}
  error(issue: SkillIssue): void {
    this.errors.push(issue);
  }
  warn(issue: SkillIssue): void {
    this.warnings.push(issue);
  }
  /** A front-matter rule: an error when strict, a warning in a package. */
  rule(issue: SkillIssue): void {
    if (this.mode === "strict") this.error(issue);
    else this.warn(issue);
  }
}

interface FrontMatterResult {
  frontmatter: Record<string, unknown>;
  doc?: Document;
  counter?: LineCounter;
  body: string;
  bodyLines: number;
  yamlStartLine: number;
}

/** Splits and parses SKILL.md's front matter, reporting what makes it unreadable. */
function readFrontMatter(file: string, bytes: Uint8Array, folder: string, issues: Issues): FrontMatterResult {
  const split = splitFrontMatter(readText(bytes));
  const base = { frontmatter: {}, body: split.body, bodyLines: split.body.split("\n").length, yamlStartLine: split.yamlStartLine };
  const using = folder ? `; using the folder name "${folder}"` : "";
  if (split.unclosed) {
    issues.rule({ file, line: 1, code: "unclosed_frontmatter", message: `front matter is not closed by a "---" line${using}` });
    return base;
  }
  if (split.yaml === null) {
    issues.rule({
      file,
      line: 1,
      code: "missing_frontmatter",
      message: `has no front matter (name, description between two "---" lines)${using}`,
    });
    return base;
  }
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(split.yaml, { uniqueKeys: true, lineCounter: counter });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    issues.rule({ file, line: split.yamlStartLine, code: "invalid_yaml", message: `front matter is not valid YAML (${reason})${using}` });
    return base;
  }
  const first = doc.errors[0];
  if (first) {
    const line = (first.linePos?.[0]?.line ?? 1) + split.yamlStartLine - 1;
    const reason = first.message.split("\n")[0] ?? first.message;
    issues.rule({ file, line, code: "invalid_yaml", message: `front matter is not valid YAML (${reason})${using}` });
    return base;
  }
  const value: unknown = doc.toJS();
  if (value !== null && value !== undefined && !isRecord(value)) {
    issues.rule({
      file,
      line: split.yamlStartLine,
      code: "invalid_frontmatter",
      message: `front matter is not a mapping of fields${using}`,
    });
    return base;
  }
  return { ...base, frontmatter: isRecord(value) ? value : {}, doc, counter };
}

/** Checks the front-matter fields; returns the name and description to use. */
function checkFields(
  file: string,
  fm: FrontMatterResult,
  folder: string,
  options: ReadSkillOptions,
  issues: Issues,
): { name: string; description: string } {
  const line = (key: string) => (fm.doc && fm.counter ? keyLine(fm.doc, fm.counter, key, fm.yamlStartLine) : undefined);
  const at = (key: string) => {
    const l = line(key);
    return l === undefined ? {} : { line: l };
  };
  const data = fm.frontmatter;
  const hasFrontMatter = fm.doc !== undefined;
  for (const key of Object.keys(data)) {
    if (!(SKILL_FRONTMATTER_KEYS as readonly string[]).includes(key)) {
      issues.rule({
        file,
        ...at(key),
        code: "unknown_field",
        message: `front-matter key "${key}" is not allowed; use ${SKILL_FRONTMATTER_KEYS.join(", ")} (put anything else under metadata)`,
      });
    }
  }

  let name = typeof data.name === "string" ? data.name.trim() : "";
  if (hasFrontMatter) {
    if (data.name === undefined || data.name === null || name === "") {
      issues.rule({
        file,
        ...at("name"),
        code: "missing_name",
        message: `front matter has no name${folder ? `; using the folder name "${folder}"` : ""}`,
      });
    } else if (typeof data.name !== "string") {
      issues.rule({ file, ...at("name"), code: "invalid_name", message: "name must be text" });
      name = "";
    } else if (name.length > MAX_SKILL_NAME_CHARS || !SKILL_NAME.test(name)) {
      issues.rule({
        file,
        ...at("name"),
        code: "invalid_name",
        message: `name "${name}" must be 1–${MAX_SKILL_NAME_CHARS} lowercase letters, digits and single hyphens, not starting or ending with a hyphen`,
      });
    } else if (folder && name !== folder) {
      issues.rule({
        file,
        ...at("name"),
        code: "name_mismatch",
        message: `name "${name}" does not match its directory "${folder}"${options.mode === "package" ? `; using "${folder}"` : ""}`,
      });
    }
  }
  if (options.mode === "package" || name === "") name = folder || name;
  if (options.expectedName !== undefined && name !== "" && name !== options.expectedName) {
    issues.error({
      file,
      ...at("name"),
      code: "name_mismatch",
      message: `name "${name}" is not the name of the skill being upgraded ("${options.expectedName}")`,
    });
  }

  let description = typeof data.description === "string" ? data.description.trim() : "";
  if (hasFrontMatter && (data.description === undefined || data.description === null || description === "")) {
    issues.rule({
      file,
      ...at("description"),
      code: "missing_description",
      message: `front matter has no description${options.mode === "package" ? "; using the first paragraph of the body" : ""}`,
    });
  } else if (hasFrontMatter && typeof data.description !== "string") {
    issues.rule({ file, ...at("description"), code: "invalid_description", message: "description must be text" });
    description = "";
  } else if (description.length > MAX_SKILL_DESCRIPTION_CHARS) {
    issues.rule({
      file,
      ...at("description"),
      code: "description_too_long",
      message: `description is ${description.length} characters; the most is ${MAX_SKILL_DESCRIPTION_CHARS}`,
    });
  }
  if (description === "" && options.mode === "package") {
    description = firstParagraph(fm.body).slice(0, MAX_SKILL_DESCRIPTION_CHARS);
    if (description === "") issues.warn({ file, code: "missing_description", message: "no description could be found" });
  }
  checkOptionalFields(file, data, at, issues);
  return { name, description };
}

/** `license`, `compatibility`, `metadata`, `allowed-tools`. */
function checkOptionalFields(file: string, data: Record<string, unknown>, at: (key: string) => { line?: number }, issues: Issues): void {
  if (data.license !== undefined && data.license !== null && typeof data.license !== "string") {
    issues.rule({ file, ...at("license"), code: "invalid_license", message: "license must be text (a license name or a bundled file)" });
  }
  const compatibility = data.compatibility;
  if (compatibility !== undefined && compatibility !== null) {
    if (typeof compatibility !== "string") {
      issues.rule({ file, ...at("compatibility"), code: "invalid_compatibility", message: "compatibility must be text" });
    } else if (compatibility.length > MAX_SKILL_COMPATIBILITY_CHARS) {
      issues.rule({
        file,
        ...at("compatibility"),
        code: "compatibility_too_long",
        message: `compatibility is ${compatibility.length} characters; the most is ${MAX_SKILL_COMPATIBILITY_CHARS}`,
      });
    }
  }
  if (data.metadata !== undefined && data.metadata !== null && !isRecord(data.metadata)) {
    issues.rule({ file, ...at("metadata"), code: "invalid_metadata", message: "metadata must be a mapping of keys to text values" });
  }
  const tools = data["allowed-tools"];
  const toolsOk =
    tools === undefined ||
    tools === null ||
    typeof tools === "string" ||
    (Array.isArray(tools) && tools.every((t) => typeof t === "string"));
  if (!toolsOk) {
    issues.rule({
      file,
      ...at("allowed-tools"),
      code: "invalid_allowed_tools",
      message: "allowed-tools must be a space-separated string or a list of tool names",
    });
  }
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const version = metadata.version;
  if (version !== undefined && version !== null && (typeof version !== "string" || semver.valid(version) === null)) {
    issues.warn({
      file,
      ...at("metadata"),
      code: "invalid_version",
      message: `metadata.version ${JSON.stringify(version)} is not a semantic version (MAJOR.MINOR.PATCH, quoted); the server assigns the version`,
    });
  }
}

/** Size, count and binary-placement checks over the files. */
function checkFiles(root: string, files: Map<string, Uint8Array>, issues: Issues): void {
  if (files.size > MAX_SKILL_FILES) {
    issues.error({
      file: join(root, ""),
      code: "too_many_files",
      message: `the skill has ${files.size} files; the most is ${MAX_SKILL_FILES}`,
    });
  }
  let total = 0;
  for (const [path, bytes] of files) {
    total += bytes.byteLength;
    if (!path.startsWith("assets/") && isBinary(bytes)) {
      issues.warn({
        file: join(root, path),
        code: "binary_outside_assets",
        message: "binary file outside assets/; put images and other binary files under assets/",
      });
    }
  }
  if (total > MAX_SKILL_BUNDLE_BYTES) {
    issues.error({
      file: join(root, ""),
      code: "too_large",
      message: `the skill's files hold ${total} bytes; the most is ${MAX_SKILL_BUNDLE_BYTES} (10 MB)`,
    });
  }
}

/**
 * Reads the skill in `entries` (normalised relative path → bytes: extracted from a zip, or the
 * multipart `files` parts). Never throws: every problem is in `errors` or `warnings`.
 */
export function readSkillBundle(entries: Map<string, Uint8Array>, options: ReadSkillOptions): SkillBundle {
  const issues = new Issues(options.mode);
  const root = findRoot(entries);
  if (root === undefined) {
    const found = [...entries.keys()].filter((p) => p.endsWith(`/${SKILL_MD}`) || p === SKILL_MD).slice(0, 5);
    issues.error({
      file: SKILL_MD,
      code: "missing_skill_md",
      message:
        entries.size === 0
          ? "the upload holds no files; a skill is a folder with SKILL.md at its root"
          : `SKILL.md must be at the root of the skill folder (my-skill/SKILL.md or SKILL.md)${found.length ? `; found ${found.join(", ")}` : ""}`,
    });
    return {
      root: "",
      name: "",
      description: "",
      body: "",
      frontmatter: {},
      files: new Map(),
      errors: issues.errors,
      warnings: issues.warnings,
    };
  }
  const files = new Map(
    [...entries.entries()]
      .filter(([p]) => root === "" || p.startsWith(`${root}/`))
      .map(([p, bytes]) => [root === "" ? p : p.slice(root.length + 1), bytes] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const folder = root === "" ? (options.folderName ?? "") : root.split("/").pop()!;
  const file = join(root, SKILL_MD);
  const fm = readFrontMatter(file, files.get(SKILL_MD)!, folder, issues);
  const { name, description } = checkFields(file, fm, folder, options, issues);
  if (!folder && options.mode === "strict" && name !== "") {
    issues.warn({
      file,
      code: "no_root_folder",
      message: `the files are not in a folder; the skill is named "${name}" from its front matter`,
    });
  }
  if (fm.bodyLines > SKILL_MD_ADVISED_MAX_LINES) {
    issues.warn({
      file,
      code: "long_skill_md",
      message: `SKILL.md has ${fm.bodyLines} lines; keep it under ${SKILL_MD_ADVISED_MAX_LINES} and move detail into other files`,
    });
  }
  checkFiles(root, files, issues);
  const metadata = isRecord(fm.frontmatter.metadata) ? fm.frontmatter.metadata : {};
  const bundle: SkillBundle = {
    root,
    name,
    description,
    body: fm.body.replace(/^(?:[ \t]*\n)+/, ""),
    frontmatter: fm.frontmatter,
    files,
    errors: issues.errors,
    warnings: issues.warnings,
  };
  if (typeof metadata.version === "string" && semver.valid(metadata.version) !== null) bundle.version = metadata.version;
  if (typeof metadata.author === "string" && metadata.author.trim() !== "") bundle.author = metadata.author.trim();
  return bundle;
}

/** An issue as one line of text: `file:line: message`. */
export function issueText(issue: SkillIssue): string {
  return `${issue.file}${issue.line !== undefined ? `:${issue.line}` : ""}: ${issue.message}`;
}
