/**
 * Writing the parts of an Open Agent Format package that agents.export generates (open-agent-format.md
 * §3, §5, §7.2): `AGENTS.md` (the original front matter edited in place — comments, key order and
 * unknown keys kept — or a new one), `PACKAGE.yaml` (the union shape §7.2 recommends, so every reader
 * finds the agent), and an MCP server's `ActiveMCP.json` + `config.yaml` (OAF schema, §5.1–5.2).
 * Also decides whether an agent still is what its original package says (then the original bytes are
 * exported unchanged). Pure.
 */
import { Document, isMap, parseDocument, stringify } from "yaml";
import type { AgentMcpRef } from "../../db/schema.ts";
import { readText, splitFrontMatter } from "../../lib/front-matter.ts";
import type { AgentRow } from "./find.ts";

/** A skill as the package's AGENTS.md declares it. */
export interface PackageSkillEntry {
  name: string;
  version: string;
  required: boolean;
}

/** What of an agent its package carries (compared to decide whether AGENTS.md must be written anew). */
export interface PackagedFields {
  row: Pick<
    AgentRow,
    "name" | "vendorKey" | "agentKey" | "version" | "slug" | "description" | "author" | "license" | "tags" | "config" | "instructions"
  >;
  skills: PackageSkillEntry[];
  mcpServers: AgentMcpRef[];
}

/** A JSON value with object keys sorted, for order-insensitive comparison. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** MCP refs without where they sat in the package. */
function mcpWithoutPath(refs: AgentMcpRef[]): unknown {
  return refs.map(({ path: _path, ...rest }) => rest);
}

/** The fields of a row a package carries. */
function packagedRow(r: PackagedFields["row"]) {
  return {
    name: r.name,
    vendorKey: r.vendorKey,
    agentKey: r.agentKey,
    version: r.version,
    slug: r.slug,
    description: r.description,
    author: r.author,
    license: r.license,
    tags: r.tags,
    config: r.config,
    instructions: r.instructions,
  };
}

/** True when the two describe the same packaged agent. */
export function samePackagedFields(a: PackagedFields, b: PackagedFields): boolean {
  const key = (f: PackagedFields) =>
    JSON.stringify(canonical({ ...packagedRow(f.row), skills: f.skills, mcp: mcpWithoutPath(f.mcpServers) }));
  return key(a) === key(b);
}

/** True when two MCP refs describe the same server selection (path aside). */
export function sameMcpRef(a: AgentMcpRef, b: AgentMcpRef): boolean {
  return JSON.stringify(canonical(mcpWithoutPath([a]))) === JSON.stringify(canonical(mcpWithoutPath([b])));
}

function setOrDelete(doc: Document, key: string, value: unknown, flow = false): void {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0 && key !== "tags")) {
    if (doc.has(key)) doc.delete(key);
    return;
  }
  const node = doc.createNode(value, { flow });
  doc.set(key, node);
}

/** The `config` mapping: the original's keys kept, the ones the agent carries set from it. */
function configValue(original: unknown, config: AgentRow["config"]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> =
    original && typeof original === "object" && !Array.isArray(original) ? { ...(original as Record<string, unknown>) } : {};
  delete out.maxTokens;
  for (const [key, value] of [
    ["temperature", config.temperature],
    ["max_tokens", config.max_tokens],
    ["system_prompt", config.system_prompt],
  ] as const) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  const tools: Record<string, unknown> = out.tools && typeof out.tools === "object" ? { ...(out.tools as Record<string, unknown>) } : {};
  delete tools.allowed;
  delete tools.denied;
  if (config.tools_access?.allow !== undefined) tools.allowed = config.tools_access.allow;
  if (config.tools_access?.deny !== undefined) tools.denied = config.tools_access.deny;
  if (Object.keys(tools).length > 0) out.tools = tools;
  else delete out.tools;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `AGENTS.md` for `fields`: the original front matter (when given) edited in place, else a new one in
 * the reference layout; the body is the agent's instructions. CRLF when the original used CRLF.
 */
export function writeAgentsMd(fields: PackagedFields, original?: Uint8Array): string {
  const text = original ? new TextDecoder().decode(original) : "";
  const crlf = text.includes("\r\n");
  const split = original ? splitFrontMatter(readText(original)) : undefined;
  const doc = split?.yaml ? parseDocument(split.yaml) : new Document({});
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as typeof doc.contents;
  const { row } = fields;
  for (const [key, value] of [
    ["name", row.name],
    ["vendorKey", row.vendorKey],
    ["agentKey", row.agentKey],
    ["version", row.version],
    ["slug", row.slug],
    ["description", row.description || undefined],
    ["author", row.author],
    ["license", row.license],
  ] as const) {
    setOrDelete(doc, key, value);
  }
  setOrDelete(doc, "tags", row.tags, true);
  setOrDelete(doc, "model", row.config.model);
  const fm = (doc.toJS() ?? {}) as Record<string, unknown>;
  setOrDelete(doc, "config", configValue(fm.config, row.config));
  if (row.config.tools_access && doc.has("tools")) doc.delete("tools");
  setOrDelete(
    doc,
    "skills",
    fields.skills.map((s) => ({ name: s.name, source: "local", version: s.version, required: s.required })),
  );
  setOrDelete(
    doc,
    "mcpServers",
    fields.mcpServers.map((m) => ({ server: m.name, configDir: `mcp-configs/${m.name}`, required: m.required })),
  );
  const out = `---\n${doc.toString({ lineWidth: 0 })}---\n\n${row.instructions}`;
  return crlf ? out.replace(/\n/g, "\r\n") : out;
}

/** `PACKAGE.yaml` naming one agent at `agentPath` (relative to the package root), in the union shape of §7.2. */
export function writePackageYaml(row: Pick<AgentRow, "name" | "vendorKey" | "agentKey" | "version" | "slug">, agentPath: string): string {
  return stringify(
    {
      format: "oaf-package",
      formatVersion: "1.0.0",
      name: `${row.vendorKey}-${row.agentKey}-package`,
      version: row.version,
      contents_mode: "bundled",
      contents: { mode: "bundled" },
      agents: [
        {
          path: agentPath === "" ? "./" : `${agentPath}/`,
          name: row.name,
          slug: row.slug,
          version: row.version,
          vendorKey: row.vendorKey,
          agentKey: row.agentKey,
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/** `ActiveMCP.json` and `config.yaml` of one MCP server in the OAF schema (§5.1, §5.2). Never a secret. */
export function writeMcpConfig(ref: AgentMcpRef): { activeMcp: string; configYaml: string } {
  const tools = ref.tools ?? [];
  const activeMcp = `${JSON.stringify(
    {
      server: ref.name,
      selectedTools: tools.map((name) => ({ name, enabled: true })),
      excludedTools: ref.excluded_tools ?? [],
      contextStrategy: tools.length > 0 ? "subset" : "all",
    },
    null,
    2,
  )}\n`;
  const config: Record<string, unknown> = { server: ref.name };
  if (ref.transport) config.connection = { type: ref.transport.type, ...(ref.transport.url ? { url: ref.transport.url } : {}) };
  return { activeMcp, configYaml: stringify(config) };
}
