/**
 * Parser for Open Agent Format packages (open-agent-format.md §2–§5, §7, §11): turns the entries of an
 * already safely-extracted ZIP (`unzipSafely` in `src/lib/zip.ts`) into agents, skills and MCP server
 * configurations, with warnings for everything short of a hard error.
 *
 * Pure: no database, no R2, no HTTP, no network (referenced-mode skills are fetched by the caller).
 * Stored bytes are never altered; line endings are normalised (CRLF → LF) for parsing only (§11 step 3).
 *
 * Hard errors (`PackageError`) are limited to what makes an import meaningless (§3.3 recommendation):
 * no `AGENTS.md` at all, front matter that is not a YAML mapping, or missing identity fields
 * (`name`, `vendorKey`, `agentKey`, `version`). Everything else — metadata, SPDX ids, key formats,
 * skill manifests, MCP configs — becomes a warning string that names the file it concerns.
 */
import { isScalar, parseDocument, type Document } from "yaml";
import { readText, splitFrontMatter } from "../../lib/front-matter.ts";
import { issueText, readSkillBundle, type SkillIssue } from "../skills/skill-bundle.ts";

/** One local skill directory `skills/<dir>/` of an agent (§4, §11 step 8). */
export interface ParsedSkill {
  /** Skill name: always the directory name (§11 step 8), even when `SKILL.md` says otherwise (a warning). */
  name: string;
  /** `SKILL.md` front matter `description`, else the body's first paragraph or heading (a warning). */
  description: string;
  /** The skill directory inside the ZIP, no trailing slash, e.g. `package/skills/summarization`. */
  path: string;
  /** `metadata.version` (OAF convention, §4.3) or a top-level `version`, as a string. */
  version?: string;
  /** Every file of the skill directory, relative to it (e.g. `SKILL.md`, `resources/x.md`), sorted. */
  files: string[];
  /** Problems with this skill's manifest, each naming the file. */
  warnings: string[];
  /** The AGENTS.md `skills` entry's `required` for this skill; absent: not declared (required). */
  required?: boolean;
  /** The AGENTS.md `skills` entry's semantic `version` for this skill, when declared. */
  declaredVersion?: string;
}

/** One MCP server directory `mcp-configs/<dir>/` of an agent (§5). Secrets are never resolved (§5.4). */
export interface ParsedMcpServer {
  /** The directory name (§5.4 `McpServer.name`). */
  name: string;
  /** The server directory inside the ZIP, no trailing slash, e.g. `package/mcp-configs/recipe-api`. */
  path: string;
  /** `config.yaml` `connection.type` / `connection.url` (`sse` | `http` | `stdio`), when present. */
  transport?: { type: string; url?: string };
  /** `ActiveMCP.json` `enabled_tools` (§5.3) ∪ `selectedTools[]` not marked `enabled: false` (§5.1). */
  enabledTools: string[];
  /** `ActiveMCP.json` `disabled_tools` (§5.3, may hold wildcards like `admin.*`) ∪ `excludedTools` (§5.1). */
  excludedTools: string[];
  /** `AGENTS.md` front matter `mcpServers[].required` for this server; `true` when not declared (§5.4). */
  required: boolean;
  /** `config.yaml` `authentication`/`auth`: the scheme, the header a key goes in and the variable naming it — never a value. */
  auth?: { type: string; header?: string; env_var?: string };
}

/** One agent directory: its `AGENTS.md` and what sits beside it (§2, §3, §3.6). */
export interface ParsedAgent {
  /** Agent directory inside the ZIP without trailing slash: `""` for a root `AGENTS.md`, else e.g. `package`. */
  path: string;
  /** The front matter as parsed, unknown keys preserved verbatim (§3.4); `version` here is as written. */
  frontmatter: Record<string, unknown>;
  name: string;
  vendorKey: string;
  agentKey: string;
  /** Always a string, even when written as a bare YAML number such as `1.0` (§3.1). */
  version: string;
  /** Front matter `slug`, defaulting to `agentKey` (a warning). Both `vendor/agent` and plain kebab accepted. */
  slug: string;
  /** `""` when missing (a warning). */
  description: string;
  author: string | null;
  /** The SPDX expression as written; `null` when missing (a warning; no default is assumed). */
  license: string | null;
  tags: string[];
  /** Alias such as `"sonnet"`, or `{ provider, name, embedding? }` (§3.4). */
  model?: string | { provider: string; name: string; embedding?: string };
  /** `config.temperature`, 0.0–1.0 (§8); out-of-range values are dropped with a warning. */
  temperature?: number;
  /** `config.max_tokens`, a positive integer. */
  maxTokens?: number;
  /** `config.system_prompt`: a system prompt used instead of the instructions (written by agents.export after agents.update). */
  systemPrompt?: string;
  /** `config.tools.allowed` / `config.tools.denied`, else top-level `tools` as `allow` (§3.6). */
  toolsAccess?: { allow?: string[]; deny?: string[] };
  /** The `AGENTS.md` body after the front matter, LF line endings, leading blank lines removed (§3.5). */
  instructions: string;
  skills: ParsedSkill[];
  mcpServers: ParsedMcpServer[];
  /** Every file of the agent directory, relative to it, sorted (the root `PACKAGE.yaml` excluded). */
  files: string[];
  /** Problems with this agent's metadata and MCP configs, each naming the file. */
  warnings: string[];
}

/** A whole package: `PACKAGE.yaml` metadata (when present) and its agents (§7). */
export interface ParsedPackage {
  /** The folder the package is read from (`""`, or a wrapper folder everything sits in); PACKAGE.yaml lives here. */
  root: string;
  /** `PACKAGE.yaml` `name`. */
  packageName?: string;
  /** `PACKAGE.yaml` `version`, as a string. */
  version?: string;
  /** `contents.mode` or `contents_mode` (§7.2); `bundled` when absent or unrecognised. */
  contentsMode: "bundled" | "referenced";
  /** At least one; in `PACKAGE.yaml` order when it lists them, else sorted by path. */
  agents: ParsedAgent[];
  /** Package-level problems (`PACKAGE.yaml`, agent discovery, duplicate identities). */
  warnings: string[];
}

/** Why a package cannot be imported at all. */
export type PackageErrorCode = "missing_agents_md" | "invalid_frontmatter" | "missing_identity" | "invalid_package";

/**
 * A package that cannot be imported. The message is written for the uploader and names the file.
 * - `missing_agents_md`: no `AGENTS.md` anywhere in the archive (`details.found` lists case variants).
 * - `invalid_frontmatter`: front matter unclosed, not valid YAML, or not a mapping (`details.file`).
 * - `missing_identity`: `name` / `vendorKey` / `agentKey` / `version` missing or not scalar
 *   (`details.file`, `details.fields`).
 * - `invalid_package`: reserved for callers rejecting a package on structural grounds; this parser never
 *   raises it.
 */
export class PackageError extends Error {
  override readonly name = "PackageError";
  readonly code: PackageErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: PackageErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

// §3.2 suggested patterns.
const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)?$/;
const AGENT_NAME_MAX_CHARS = 100;
const AGENT_DESCRIPTION_MIN_CHARS = 50;
const AGENT_DESCRIPTION_MAX_CHARS = 500;
/** Largest YAML document parsed (front matter, PACKAGE.yaml, config.yaml): bounds parser CPU time per file. */
const MAX_YAML_CHARS = 256 * 1024;

/** The SPDX ids accepted without a warning (compared case-insensitively, as SPDX matching is). */
const KNOWN_SPDX_IDS = new Set(
  [
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "0BSD",
    "ISC",
    "MPL-2.0",
    "Unlicense",
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "BSL-1.0",
    "Zlib",
    "EPL-2.0",
    ...["GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0"].flatMap((id) => [`${id}-only`, `${id}-or-later`]),
  ].map((id) => id.toLowerCase()),
);

const PACKAGE_YAML = "PACKAGE.yaml";
const AGENTS_MD = "AGENTS.md";
const SKILL_MD = "SKILL.md";

function join(dir: string, rel: string): string {
  return dir === "" ? rel : `${dir}/${rel}`;
}

/** Number of path segments (`""` → 1, `a/b` → 2). */
function depth(path: string): number {
  return path.split("/").length;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type YamlResult = { ok: true; doc: Document; value: unknown } | { ok: false; reason: string };

/** Parses YAML (1.2 core schema, unique keys, alias expansion capped by the library, size capped). Never throws. */
function parseYaml(source: string): YamlResult {
  if (source.length > MAX_YAML_CHARS) return { ok: false, reason: `larger than ${MAX_YAML_CHARS} characters` };
  try {
    const doc = parseDocument(source, { uniqueKeys: true });
    const first = doc.errors[0];
    if (first) return { ok: false, reason: first.message.split("\n")[0] ?? first.message };
    return { ok: true, doc, value: doc.toJS() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  }
}

/**
 * A top-level scalar as a string: strings trimmed, numbers as written in the source (so a bare `1.0`
 * stays `"1.0"`, §3.1). `undefined` when absent, null or empty; `null` when present but not a scalar.
 */
function scalarString(doc: Document, key: string): string | null | undefined {
  const node = doc.get(key, true);
  if (node === undefined || node === null) return undefined;
  if (!isScalar(node)) return null;
  const value = node.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" || typeof value === "bigint") return node.source?.trim() || String(value);
  if (typeof value === "boolean") return String(value);
  return null;
}

/** A list of strings from a YAML sequence (non-strings dropped) or a comma-separated string. */
function stringList(value: unknown): string[] | undefined {
  if (typeof value === "string") {
    return value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }
  if (Array.isArray(value)) {
    return value
      .filter((v): v is string | number => typeof v === "string" || typeof v === "number")
      .map((v) => String(v).trim())
      .filter((s) => s !== "");
  }
  return undefined;
}

/** True when every id of an SPDX expression (`A OR B`, `(A AND B)`, `A WITH exception`) is known. */
function isKnownSpdxExpression(expression: string): boolean {
  const terms = expression
    .replace(/[()]/g, " ")
    .split(/\s+(?:OR|AND)\s+/i)
    .map((term) => term.replace(/\s+WITH\s+.*$/i, "").trim());
  return (
    terms.length > 0 && terms.every((id) => KNOWN_SPDX_IDS.has(id.toLowerCase()) || /^(LicenseRef|DocumentRef)-[A-Za-z0-9.:-]+$/.test(id))
  );
}

/** One `AGENTS.md` split into its front matter (parsed, with the YAML document for source-exact scalars) and body. */
interface AgentManifest {
  frontmatter: Record<string, unknown>;
  doc: Document | null;
  body: string;
}

/**
 * Reads an `AGENTS.md` into front matter and body. Throws `invalid_frontmatter` for an unclosed block,
 * invalid YAML or a non-mapping; a file without front matter yields an empty mapping (and later a
 * `missing_identity`).
 */
function readAgentManifest(file: string, bytes: Uint8Array): AgentManifest {
  const split = splitFrontMatter(readText(bytes));
  if (split.unclosed) {
    throw new PackageError(
      "invalid_frontmatter",
      `${file}: the front matter opened by "---" on the first line is never closed by a line containing only "---"`,
      { file },
    );
  }
  if (split.yaml === null) return { frontmatter: {}, doc: null, body: split.body };
  const parsed = parseYaml(split.yaml);
  if (!parsed.ok) {
    throw new PackageError("invalid_frontmatter", `${file}: the front matter is not valid YAML: ${parsed.reason}`, {
      file,
      reason: parsed.reason,
    });
  }
  if (parsed.value === null || parsed.value === undefined) return { frontmatter: {}, doc: parsed.doc, body: split.body };
  if (!isRecord(parsed.value)) {
    throw new PackageError("invalid_frontmatter", `${file}: the front matter must be a YAML mapping of fields (key: value)`, {
      file,
    });
  }
  return { frontmatter: parsed.value, doc: parsed.doc, body: split.body };
}

/** All entry paths under `dir` (relative to it), excluding paths inside `excludedDirs`, sorted. */
function filesUnder(paths: readonly string[], dir: string, excludedDirs: readonly string[]): string[] {
  const prefix = dir === "" ? "" : `${dir}/`;
  return paths
    .filter((p) => p.startsWith(prefix) && !excludedDirs.some((ex) => p.startsWith(`${ex}/`)))
    .map((p) => p.slice(prefix.length))
    .sort();
}

/** Groups `<dir>/<group>/<rest>` entries by `<group>`, with `<rest>` relative paths, sorted by group. */
function groupSubdirectories(relativeFiles: readonly string[], parent: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const file of relativeFiles) {
    if (!file.startsWith(`${parent}/`)) continue;
    const rest = file.slice(parent.length + 1);
    const slash = rest.indexOf("/");
    if (slash <= 0) continue;
    const group = rest.slice(0, slash);
    const list = groups.get(group) ?? [];
    list.push(rest.slice(slash + 1));
    groups.set(group, list);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Parses `skills/<dir>/` (§4.1, §11 step 8) with the skill reader in package mode: front-matter problems
 * are warnings and the skill is named by its folder. `undefined` when the folder has no SKILL.md.
 * @throws PackageError `invalid_package` when the skill breaks a size or count limit.
 */
function parseSkill(entries: Map<string, Uint8Array>, skillDir: string, dirName: string, files: string[]): ParsedSkill | undefined {
  if (!entries.has(join(skillDir, SKILL_MD))) return undefined;
  const bundle = readSkillBundle(new Map(files.map((f) => [f, entries.get(join(skillDir, f))!])), { mode: "package", folderName: dirName });
  const prefix = (issue: SkillIssue) => ({ ...issue, file: join(skillDir, issue.file) });
  if (bundle.errors.length > 0) {
    throw new PackageError("invalid_package", bundle.errors.map((e) => issueText(prefix(e))).join("; "), {
      file: join(skillDir, SKILL_MD),
      issues: bundle.errors.map(prefix),
    });
  }
  const skill: ParsedSkill = {
    name: dirName,
    description: bundle.description,
    path: skillDir,
    files: [...files].sort(),
    warnings: bundle.warnings.map((w) => issueText(prefix(w))),
  };
  if (bundle.version !== undefined) skill.version = bundle.version;
  return skill;
}

/** Placeholders such as `${API_KEY}` that name a secret without containing it (§5.2). */
const SECRET_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const SECRET_KEYS = new Set(["token", "api_key", "apikey", "key", "password", "secret", "client_secret"]);

/**
 * Parses one `mcp-configs/<dir>/` (§5.1–§5.3): both ActiveMCP.json schemas, `connection` from
 * config.yaml. Never resolves or returns secrets; malformed files are warnings.
 */
function parseMcpServer(
  entries: Map<string, Uint8Array>,
  serverDir: string,
  dirName: string,
  files: readonly string[],
  warnings: string[],
): ParsedMcpServer | undefined {
  const find = (...names: string[]) => files.find((f) => names.includes(f.toLowerCase()));
  const activeFile = find("activemcp.json");
  const configFile = find("config.yaml", "config.yml");
  if (!activeFile && !configFile) {
    warnings.push(`${serverDir}/: MCP config directory has neither ActiveMCP.json nor config.yaml; ignored`);
    return undefined;
  }
  const server: ParsedMcpServer = { name: dirName, path: serverDir, enabledTools: [], excludedTools: [], required: true };

  if (activeFile) {
    const file = join(serverDir, activeFile);
    let active: unknown;
    try {
      active = JSON.parse(readText(entries.get(file)!));
    } catch (error) {
      warnings.push(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); tool selection ignored`);
    }
    if (active !== undefined && !isRecord(active)) warnings.push(`${file}: must be a JSON object; tool selection ignored`);
    if (isRecord(active)) {
      const enabled = new Set(stringList(active.enabled_tools) ?? []);
      if (Array.isArray(active.selectedTools)) {
        for (const tool of active.selectedTools) {
          if (typeof tool === "string") enabled.add(tool);
          else if (isRecord(tool) && typeof tool.name === "string" && tool.enabled !== false) enabled.add(tool.name);
        }
      }
      const excluded = new Set([...(stringList(active.disabled_tools) ?? []), ...(stringList(active.excludedTools) ?? [])]);
      server.enabledTools = [...enabled];
      server.excludedTools = [...excluded];
    }
  } else {
    warnings.push(`${serverDir}/: no ActiveMCP.json; no tool subset selected`);
  }

  if (configFile) {
    const file = join(serverDir, configFile);
    const parsed = parseYaml(readText(entries.get(file)!));
    if (!parsed.ok) warnings.push(`${file}: not valid YAML (${parsed.reason}); connection ignored`);
    else if (!isRecord(parsed.value)) warnings.push(`${file}: must be a YAML mapping; connection ignored`);
    else {
      const config = parsed.value;
      const connection = isRecord(config.connection) ? config.connection : isRecord(config.transport) ? config.transport : undefined;
      if (connection && typeof connection.type === "string") {
        const transport: { type: string; url?: string } = { type: connection.type };
        if (typeof connection.url === "string") transport.url = connection.url;
        server.transport = transport;
        if (!["http", "sse", "stdio"].includes(connection.type)) {
          warnings.push(`${file}: connection.type "${connection.type}" is not one of http, sse, stdio`);
        }
      } else {
        warnings.push(`${file}: no connection.type; transport unknown`);
      }
      const auth = isRecord(config.auth) ? config.auth : isRecord(config.authentication) ? config.authentication : undefined;
      if (auth && typeof auth.type === "string") {
        server.auth = {
          type: auth.type,
          ...(typeof auth.header === "string" ? { header: auth.header } : {}),
          ...(typeof auth.env_var === "string" ? { env_var: auth.env_var } : {}),
        };
      }
      for (const [key, value] of Object.entries(auth ?? {})) {
        if (SECRET_KEYS.has(key.toLowerCase()) && typeof value === "string" && value !== "" && !SECRET_REFERENCE.test(value.trim())) {
          warnings.push(
            `${file}: ${key} holds a literal credential; it is ignored — supply secrets through the server's credentials instead`,
          );
        }
      }
    }
  } else {
    warnings.push(`${serverDir}/: no config.yaml; transport unknown`);
  }
  return server;
}

/** Reads the AGENTS.md `mcpServers` list into dir name → required (§3.4, §5.4). */
function declaredMcpServers(frontmatter: Record<string, unknown>): Map<string, { required: boolean; label: string }> {
  const declared = new Map<string, { required: boolean; label: string }>();
  if (!Array.isArray(frontmatter.mcpServers)) return declared;
  for (const entry of frontmatter.mcpServers) {
    if (!isRecord(entry)) continue;
    const configDir = typeof entry.configDir === "string" ? entry.configDir.replace(/\/+$/, "") : undefined;
    const key = configDir ? basename(configDir) : typeof entry.server === "string" ? entry.server : undefined;
    if (key) declared.set(key, { required: entry.required !== false, label: configDir ?? key });
  }
  return declared;
}

/** Values used for identity fields an AGENTS.md leaves out (agents.create), each with a warning; without one a missing field is an error. */
export interface IdentityDefaults {
  name?: string;
  vendorKey?: string;
  agentKey?: string;
  version?: string;
}

type Identity = { name: string; vendorKey: string; agentKey: string; version: string };

/** §3.2 identity: missing fields are hard errors unless a default is given. Throws `PackageError`. */
function readIdentity(file: string, manifest: AgentManifest, defaults: IdentityDefaults, warnings: string[]): Identity {
  const field = (key: string): string | null | undefined => (manifest.doc ? scalarString(manifest.doc, key) : undefined);
  const keys = ["name", "vendorKey", "agentKey", "version"] as const;
  const identity = Object.fromEntries(keys.map((k) => [k, field(k)])) as Record<(typeof keys)[number], string | null | undefined>;
  for (const key of keys) {
    const fallback = defaults[key];
    if (identity[key] === undefined && fallback !== undefined) {
      identity[key] = fallback;
      warnings.push(`${file}: front matter has no ${key}; using "${fallback}"`);
    }
  }
  const missing = keys.filter((k) => identity[k] === undefined);
  const invalid = keys.filter((k) => identity[k] === null);
  if (missing.length > 0 || invalid.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : "",
      invalid.length > 0 ? `${invalid.join(", ")} must be text, not a list or mapping` : "",
    ].filter((p) => p !== "");
    const lead = manifest.doc === null ? `${file} has no front matter (it must start with a line "---"); ` : `${file}: front matter `;
    throw new PackageError(
      "missing_identity",
      `${lead}${problems.join("; ")}. Every AGENTS.md needs name, vendorKey, agentKey and version in its front matter.`,
      { file, fields: [...missing, ...invalid] },
    );
  }
  const { name, vendorKey, agentKey, version } = identity as Identity;
  if (name.length > AGENT_NAME_MAX_CHARS) warnings.push(`${file}: name is longer than ${AGENT_NAME_MAX_CHARS} characters`);
  if (!KEBAB_CASE.test(vendorKey)) warnings.push(`${file}: vendorKey "${vendorKey}" is not kebab-case`);
  if (!KEBAB_CASE.test(agentKey)) warnings.push(`${file}: agentKey "${agentKey}" is not kebab-case`);
  if (!SEMVER.test(version)) warnings.push(`${file}: version "${version}" is not a semantic version (MAJOR.MINOR.PATCH)`);
  return { name, vendorKey, agentKey, version };
}

/** §3.2 slug and §3.3 metadata: every problem a warning. */
function readMetadata(
  file: string,
  manifest: AgentManifest,
  agentKey: string,
  warnings: string[],
): Pick<ParsedAgent, "slug" | "description" | "author" | "license" | "tags"> {
  const fm = manifest.frontmatter;
  const field = (key: string): string | null | undefined => (manifest.doc ? scalarString(manifest.doc, key) : undefined);
  let slug = field("slug");
  if (typeof slug !== "string") {
    warnings.push(`${file}: slug is missing; using agentKey "${agentKey}"`);
    slug = agentKey;
  } else if (!SLUG.test(slug)) {
    warnings.push(`${file}: slug "${slug}" should be kebab-case or vendorKey/agentKey`);
  }
  const description = typeof fm.description === "string" ? fm.description.trim() : "";
  if (description === "") warnings.push(`${file}: description is missing`);
  else if (description.length < AGENT_DESCRIPTION_MIN_CHARS || description.length > AGENT_DESCRIPTION_MAX_CHARS) {
    warnings.push(
      `${file}: description is ${description.length} characters; OAF expects ${AGENT_DESCRIPTION_MIN_CHARS}–${AGENT_DESCRIPTION_MAX_CHARS}`,
    );
  }
  const author = field("author");
  if (typeof author !== "string") warnings.push(`${file}: author is missing`);
  const license = field("license");
  if (typeof license !== "string") warnings.push(`${file}: license is missing (an SPDX identifier such as MIT or Apache-2.0)`);
  else if (!isKnownSpdxExpression(license)) warnings.push(`${file}: license "${license}" is not a recognised SPDX identifier`);
  let tags = stringList(fm.tags);
  if (tags === undefined) {
    warnings.push(`${file}: tags are missing`);
    tags = [];
  } else if (typeof fm.tags === "string") {
    warnings.push(`${file}: tags should be a YAML list; split the text on commas`);
  }
  return {
    slug,
    description,
    author: typeof author === "string" ? author : null,
    license: typeof license === "string" ? license : null,
    tags,
  };
}

/** §3.4 / §3.6 model and config (temperature, max_tokens, system_prompt, tools). */
function readConfig(file: string, fm: Record<string, unknown>, agent: ParsedAgent, warnings: string[]): void {
  if (typeof fm.model === "string" && fm.model.trim() !== "") agent.model = fm.model.trim();
  else if (isRecord(fm.model) && typeof fm.model.provider === "string" && typeof fm.model.name === "string") {
    const model: { provider: string; name: string; embedding?: string } = { provider: fm.model.provider, name: fm.model.name };
    if (typeof fm.model.embedding === "string") model.embedding = fm.model.embedding;
    agent.model = model;
  } else if (fm.model !== undefined && fm.model !== null) {
    warnings.push(`${file}: model must be an alias such as "sonnet" or { provider, name }; ignored`);
  }
  const config = isRecord(fm.config) ? fm.config : {};
  if (fm.config !== undefined && fm.config !== null && !isRecord(fm.config)) warnings.push(`${file}: config must be a mapping; ignored`);
  if (config.temperature !== undefined) {
    if (typeof config.temperature === "number" && config.temperature >= 0 && config.temperature <= 1)
      agent.temperature = config.temperature;
    else warnings.push(`${file}: config.temperature must be a number from 0.0 to 1.0; ignored`);
  }
  const maxTokens = config.max_tokens ?? config.maxTokens;
  if (maxTokens !== undefined) {
    if (typeof maxTokens === "number" && Number.isSafeInteger(maxTokens) && maxTokens > 0) agent.maxTokens = maxTokens;
    else warnings.push(`${file}: config.max_tokens must be a positive integer; ignored`);
  }
  if (typeof config.system_prompt === "string") agent.systemPrompt = config.system_prompt;
  const configTools = isRecord(config.tools) ? config.tools : {};
  const allow = stringList(configTools.allowed) ?? stringList(fm.tools);
  const deny = stringList(configTools.denied);
  if (allow !== undefined || deny !== undefined) {
    agent.toolsAccess = {};
    if (allow !== undefined) agent.toolsAccess.allow = allow;
    if (deny !== undefined) agent.toolsAccess.deny = deny;
  }
}

/** §3.4 `skills` entries of the front matter by skill name: `version` and `required` of local skills. */
function declaredSkills(fm: Record<string, unknown>): Map<string, { version?: string; required: boolean; source: unknown }> {
  const declared = new Map<string, { version?: string; required: boolean; source: unknown }>();
  if (!Array.isArray(fm.skills)) return declared;
  for (const entry of fm.skills) {
    if (!isRecord(entry)) continue;
    const name = typeof entry.name === "string" ? entry.name : typeof entry.skill === "string" ? entry.skill : undefined;
    if (!name) continue;
    const version = typeof entry.version === "string" || typeof entry.version === "number" ? String(entry.version) : undefined;
    declared.set(name, { required: entry.required !== false, source: entry.source, ...(version ? { version } : {}) });
  }
  return declared;
}

/** §4 skills (one per skills/<dir>/ holding SKILL.md) and §5 MCP servers (one per mcp-configs/<dir>/). */
function readComposition(
  entries: Map<string, Uint8Array>,
  file: string,
  fm: Record<string, unknown>,
  agent: ParsedAgent,
  warnings: string[],
): void {
  const dir = agent.path;
  const declared = declaredSkills(fm);
  for (const [skillDirName, skillFiles] of groupSubdirectories(agent.files, "skills")) {
    const skillDir = join(dir, `skills/${skillDirName}`);
    const skill = parseSkill(entries, skillDir, skillDirName, skillFiles);
    if (!skill) {
      warnings.push(`${skillDir}/: has no SKILL.md; not registered as a skill`);
      continue;
    }
    const declaration = declared.get(skillDirName);
    if (declaration) {
      skill.required = declaration.required;
      if (declaration.version !== undefined && SEMVER.test(declaration.version)) skill.declaredVersion = declaration.version;
    }
    agent.skills.push(skill);
  }
  for (const [skillName, declaration] of declared) {
    if (declaration.source === "local" && !agent.skills.some((s) => s.name === skillName)) {
      warnings.push(`${file}: skill "${skillName}" is declared local but skills/${skillName}/SKILL.md is missing`);
    }
  }
  const declaredServers = declaredMcpServers(fm);
  for (const [serverDirName, serverFiles] of groupSubdirectories(agent.files, "mcp-configs")) {
    const server = parseMcpServer(entries, join(dir, `mcp-configs/${serverDirName}`), serverDirName, serverFiles, warnings);
    if (!server) continue;
    const declaration = declaredServers.get(serverDirName);
    if (declaration) server.required = declaration.required;
    agent.mcpServers.push(server);
  }
  for (const f of agent.files) {
    if (/^mcp-configs\/[^/]+\.ya?ml$/.test(f))
      warnings.push(`${join(dir, f)}: legacy single-file MCP config; expected mcp-configs/<server>/config.yaml — ignored`);
  }
  for (const [key, declaration] of declaredServers) {
    if (!agent.mcpServers.some((s) => s.name === key)) {
      warnings.push(`${file}: MCP server "${declaration.label}" is declared but mcp-configs/${key}/ is missing`);
    }
  }
}

/** Builds a `ParsedAgent` from an agent directory (§3, §3.6, §11 steps 5–9). Throws `PackageError`. */
function parseAgent(
  entries: Map<string, Uint8Array>,
  allPaths: readonly string[],
  location: { dir: string; nested: readonly string[]; excluded: readonly string[] },
  defaults: IdentityDefaults,
): ParsedAgent {
  const { dir } = location;
  const file = join(dir, AGENTS_MD);
  const manifest = readAgentManifest(file, entries.get(file)!);
  const warnings: string[] = [];
  const identity = readIdentity(file, manifest, defaults, warnings);
  const agent: ParsedAgent = {
    path: dir,
    frontmatter: manifest.frontmatter,
    ...identity,
    ...readMetadata(file, manifest, identity.agentKey, warnings),
    instructions: manifest.body.replace(/^(?:[ \t]*\n)+/, ""),
    skills: [],
    mcpServers: [],
    files: filesUnder(allPaths, dir, location.nested).filter((f) => !location.excluded.includes(join(dir, f))),
    warnings,
  };
  if (agent.instructions.trim() === "") warnings.push(`${file}: the instructions (Markdown body after the front matter) are empty`);
  readConfig(file, manifest.frontmatter, agent, warnings);
  readComposition(entries, file, manifest.frontmatter, agent, warnings);
  return agent;
}

/** `PACKAGE.yaml` as far as the importer needs it (§7.2). */
interface PackageManifest {
  name?: string;
  version?: string;
  contentsMode: "bundled" | "referenced";
  agents: unknown[];
}

/** Reads `PACKAGE.yaml` in any of the four shapes of §7.2. Never throws: problems are package warnings. */
function readPackageManifest(file: string, bytes: Uint8Array, warnings: string[]): PackageManifest {
  const manifest: PackageManifest = { contentsMode: "bundled", agents: [] };
  const parsed = parseYaml(readText(bytes));
  if (!parsed.ok) {
    warnings.push(`${file}: not valid YAML (${parsed.reason}); ignored`);
    return manifest;
  }
  if (!isRecord(parsed.value)) {
    if (parsed.value !== null) warnings.push(`${file}: must be a YAML mapping; ignored`);
    return manifest;
  }
  const value = parsed.value;
  const name = scalarString(parsed.doc, "name");
  if (typeof name === "string") manifest.name = name;
  const version = scalarString(parsed.doc, "version");
  if (typeof version === "string") manifest.version = version;
  const mode = (isRecord(value.contents) ? value.contents.mode : undefined) ?? value.contents_mode;
  if (mode === "bundled" || mode === "referenced") manifest.contentsMode = mode;
  else if (mode !== undefined) warnings.push(`${file}: contents mode "${String(mode)}" is not bundled or referenced; using bundled`);
  if (Array.isArray(value.agents)) manifest.agents = value.agents;
  else if (value.agents !== undefined) warnings.push(`${file}: agents must be a list; ignored`);
  return manifest;
}

/** A directory holding AGENTS.md, with what its front matter says (for PACKAGE.yaml slug matching). */
interface Candidate {
  dir: string;
  slug?: string;
  vendorKey?: string;
  agentKey?: string;
}

function candidateIdentity(entries: Map<string, Uint8Array>, dir: string): Candidate {
  const candidate: Candidate = { dir };
  try {
    const { doc } = readAgentManifest(join(dir, AGENTS_MD), entries.get(join(dir, AGENTS_MD))!);
    if (!doc) return candidate;
    for (const key of ["slug", "vendorKey", "agentKey"] as const) {
      const value = scalarString(doc, key);
      if (typeof value === "string") candidate[key] = value;
    }
  } catch {
    // An unreadable manifest cannot be matched by slug; it still fails loudly if selected by path.
  }
  return candidate;
}

/** Resolves PACKAGE.yaml agent entries to agent directories (§7.2 importer recommendation). */
function resolvePackageAgents(
  entries: Map<string, Uint8Array>,
  root: string,
  listed: readonly unknown[],
  candidates: readonly string[],
  warnings: string[],
): { dir: string; version?: string }[] {
  const packageFile = join(root, PACKAGE_YAML);
  const identities = candidates.map((dir) => candidateIdentity(entries, dir));
  const resolved: { dir: string; version?: string }[] = [];
  listed.forEach((raw, index) => {
    const entry: Record<string, unknown> = typeof raw === "string" ? { path: raw } : isRecord(raw) ? raw : {};
    const label = typeof raw === "string" ? raw : `#${index + 1}`;
    let dir: string | undefined;
    if (typeof entry.path === "string") {
      const path = entry.path
        .replaceAll("\\", "/")
        .replace(/^(\.\/)+/, "")
        .replace(/\/+$/, "");
      const candidateDir = path === "" || path === "." ? root : join(root, path);
      if (entries.has(join(candidateDir, AGENTS_MD))) dir = candidateDir;
      else warnings.push(`${packageFile}: agent ${label} has path "${entry.path}" but there is no ${join(candidateDir, AGENTS_MD)}`);
    }
    if (dir === undefined) {
      const slug = typeof entry.slug === "string" ? entry.slug : undefined;
      const agentKey = typeof entry.agentKey === "string" ? entry.agentKey : undefined;
      const lastSegment = slug?.split("/").pop();
      const match =
        identities.find((c) => slug !== undefined && (c.slug === slug || `${c.vendorKey}/${c.agentKey}` === slug)) ??
        identities.find((c) => c.agentKey !== undefined && (c.agentKey === agentKey || c.agentKey === lastSegment)) ??
        identities.find((c) => basename(c.dir) === agentKey || basename(c.dir) === lastSegment);
      if (match) dir = match.dir;
      else if (typeof entry.path !== "string") {
        warnings.push(
          `${packageFile}: agent ${label} (${slug ?? agentKey ?? "no slug, agentKey or path"}) matches no AGENTS.md in the package`,
        );
      }
    }
    if (dir === undefined) return;
    if (resolved.some((r) => r.dir === dir)) {
      warnings.push(`${packageFile}: agent ${label} resolves to ${join(dir, AGENTS_MD)}, already listed`);
      return;
    }
    const version = typeof entry.version === "string" || typeof entry.version === "number" ? String(entry.version) : undefined;
    resolved.push(version === undefined ? { dir } : { dir, version });
  });
  return resolved;
}

/**
 * Parses the entries of an Open Agent Format package (open-agent-format.md §11 "Importer checklist",
 * steps 3–6, 8 and 9).
 *
 * - `entries`: normalised ZIP path → bytes, as returned by `unzipSafely` (file entries only).
 * - Agents are found (§11 step 4, §7.2) from a root `AGENTS.md`; else the `PACKAGE.yaml` `agents` list
 *   (by `path`, else by `slug`/`agentKey` against each AGENTS.md's front matter; any of the four §7.2
 *   shapes); else every top-level `<dir>/AGENTS.md`. An archive whose only content is one wrapper folder
 *   (e.g. a zipped `my-agent/` directory) is read from inside that folder; as a last resort every
 *   `AGENTS.md` at the shallowest depth is an agent. All with package warnings.
 * - Returns the package with per-agent and per-skill warnings (collect them with `collectWarnings`).
 *
 * Throws `PackageError`: `missing_agents_md` when the archive has no `AGENTS.md`; `invalid_frontmatter`
 * (naming the file) when a selected AGENTS.md has unclosed, invalid or non-mapping front matter;
 * `missing_identity` (naming the fields and the file) when `name`, `vendorKey`, `agentKey` or `version`
 * is missing.
 */
export function parseOafPackage(entries: Map<string, Uint8Array>, options: { identityDefaults?: IdentityDefaults } = {}): ParsedPackage {
  const paths = [...entries.keys()];
  const warnings: string[] = [];
  const agentManifests = paths.filter((p) => basename(p) === AGENTS_MD);
  if (agentManifests.length === 0) throw missingAgentsMd(paths);
  const root = packageRoot(entries, agentManifests, warnings);
  const manifest = entries.has(join(root, PACKAGE_YAML))
    ? readPackageManifest(join(root, PACKAGE_YAML), entries.get(join(root, PACKAGE_YAML))!, warnings)
    : { contentsMode: "bundled" as const, agents: [] };
  const selected = selectAgents(entries, root, agentManifests, manifest, warnings);

  const selectedDirs = selected.map((s) => s.dir);
  const excludedFiles = [join(root, PACKAGE_YAML)];
  const agents = selected.map(({ dir, version }) => {
    const nested = selectedDirs.filter((other) => other !== dir && (dir === "" || other.startsWith(`${dir}/`)));
    const agent = parseAgent(entries, paths, { dir, nested, excluded: excludedFiles }, options.identityDefaults ?? {});
    if (version !== undefined && version !== agent.version) {
      warnings.push(
        `${join(root, PACKAGE_YAML)}: lists ${join(dir, AGENTS_MD)} at version ${version} but its front matter says ${agent.version}`,
      );
    }
    return agent;
  });

  const seen = new Map<string, string>();
  for (const agent of agents) {
    const identity = `${agent.vendorKey}/${agent.agentKey}`;
    const first = seen.get(identity);
    if (first !== undefined)
      warnings.push(`${join(agent.path, AGENTS_MD)}: same vendorKey/agentKey "${identity}" as ${join(first, AGENTS_MD)}`);
    else seen.set(identity, agent.path);
  }

  const parsed: ParsedPackage = { root, contentsMode: manifest.contentsMode, agents, warnings };
  if (manifest.name !== undefined) parsed.packageName = manifest.name;
  if (manifest.version !== undefined) parsed.version = manifest.version;
  return parsed;
}

/** The `missing_agents_md` error, naming case variants of AGENTS.md when there are some. */
function missingAgentsMd(paths: string[]): PackageError {
  const variants = paths.filter((p) => basename(p).toLowerCase() === "agents.md");
  const hint = variants.length > 0 ? ` Found ${variants.map((v) => `"${v}"`).join(", ")} — the name is case-sensitive: AGENTS.md.` : "";
  return new PackageError(
    "missing_agents_md",
    `${paths.length === 0 ? "The archive is empty." : "The archive contains no AGENTS.md."} An agent package is a .zip holding ` +
      'an AGENTS.md — YAML front matter with name, vendorKey, agentKey and version between two "---" lines, then the ' +
      "Markdown instructions — either at the root or in an agent folder such as package/AGENTS.md next to a root " +
      `PACKAGE.yaml.${hint}`,
    variants.length > 0 ? { found: variants } : undefined,
  );
}

/** `AGENTS.md` files exactly one folder below `dir`. */
function topLevelAgents(agentManifests: readonly string[], dir: string): string[] {
  return agentManifests.filter((p) => {
    const rel = dir === "" ? p : p.slice(dir.length + 1);
    return (dir === "" || p.startsWith(`${dir}/`)) && /^[^/]+\/AGENTS\.md$/.test(rel);
  });
}

/** Descends through wrapper folders: no AGENTS.md / PACKAGE.yaml here and everything in one sub-folder. */
function packageRoot(entries: Map<string, Uint8Array>, agentManifests: readonly string[], warnings: string[]): string {
  const paths = [...entries.keys()];
  let root = "";
  for (;;) {
    if (entries.has(join(root, AGENTS_MD)) || entries.has(join(root, PACKAGE_YAML)) || topLevelAgents(agentManifests, root).length > 0)
      break;
    const tops = new Set(paths.map((p) => (root === "" ? p : p.slice(root.length + 1)).split("/")[0]));
    const only = [...tops][0];
    if (tops.size !== 1 || only === undefined || paths.some((p) => p === join(root, only))) break;
    root = join(root, only);
  }
  if (root !== "") warnings.push(`The package is wrapped in the folder "${root}/"; reading it from there`);
  return root;
}

/** Which agent folders to read (§11 step 4): root AGENTS.md, PACKAGE.yaml entries, top-level folders, else the shallowest. */
function selectAgents(
  entries: Map<string, Uint8Array>,
  root: string,
  agentManifests: readonly string[],
  manifest: PackageManifest,
  warnings: string[],
): { dir: string; version?: string }[] {
  if (entries.has(join(root, AGENTS_MD))) return [{ dir: root }];
  const candidates = agentManifests.filter((p) => root === "" || p.startsWith(`${root}/`)).map((p) => p.slice(0, -AGENTS_MD.length - 1));
  let selected: { dir: string; version?: string }[] = [];
  if (manifest.agents.length > 0) {
    selected = resolvePackageAgents(entries, root, manifest.agents, candidates, warnings);
    if (selected.length === 0)
      warnings.push(`${join(root, PACKAGE_YAML)}: no listed agent could be found; using every top-level AGENTS.md`);
  }
  if (selected.length === 0)
    selected = topLevelAgents(agentManifests, root)
      .sort()
      .map((p) => ({ dir: p.slice(0, -AGENTS_MD.length - 1) }));
  if (selected.length === 0) {
    const shallowest = Math.min(...candidates.map(depth));
    selected = candidates
      .filter((dir) => depth(dir) === shallowest)
      .sort()
      .map((dir) => ({ dir }));
    warnings.push(`No AGENTS.md at the package root or one folder down; using ${selected.map((s) => join(s.dir, AGENTS_MD)).join(", ")}`);
  }
  return selected;
}

/** Every warning of a parsed package — package, agents, then their skills — in that order, for `{warnings[]}` responses. */
export function collectWarnings(parsed: ParsedPackage): string[] {
  return [...parsed.warnings, ...parsed.agents.flatMap((agent) => [...agent.warnings, ...agent.skills.flatMap((skill) => skill.warnings)])];
}
