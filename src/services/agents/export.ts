import { ApiError } from "../../errors/api-error.ts";
import { unzipSafely, zipFiles } from "../../lib/zip.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness } from "../harnesses/find.ts";
import { DEFAULT_SKILL_VERSION } from "../skills/store.ts";
import { skillVersionFiles } from "../skills/files.ts";
import { agentMemoryFiles } from "./agent-data.ts";
import { findAgent, type AgentRow } from "./find.ts";
import { agentValues } from "./import.ts";
import { parseOafPackage, type ParsedAgent, type ParsedPackage } from "./oaf-package.ts";
import { samePackagedFields, sameMcpRef, writeAgentsMd, writeMcpConfig, writePackageYaml, type PackagedFields } from "./package-writer.ts";
import { linkedSkills, type LinkedSkill } from "./skill-refs.ts";

/** Input of {@link exportAgent} (spec: query flags, §9.3 R6). */
export interface ExportAgentInput {
  ref: string;
  agentId: string;
  include_memory: boolean;
  include_versions: boolean;
  contents_mode: "bundled" | "referenced";
}

/** The package: its file name (`{agentKey}.zip`) and bytes. */
export interface ExportedAgent {
  filename: string;
  bytes: Uint8Array;
}

function join(dir: string, rel: string): string {
  return dir === "" ? rel : `${dir}/${rel}`;
}

/** The agent's original package, when it has one that still reads. */
async function originalPackage(
  ctx: AuthedContext,
  agent: AgentRow,
): Promise<{ entries: Map<string, Uint8Array>; pkg: ParsedPackage; parsed: ParsedAgent } | undefined> {
  if (!agent.bundleKey) return undefined;
  const object = await ctx.env.BUCKET.get(agent.bundleKey);
  if (!object) return undefined;
  const entries = unzipSafely(new Uint8Array(await object.arrayBuffer()));
  const pkg = parseOafPackage(entries);
  const parsed = pkg.agents.find((a) => a.path === agent.bundlePath);
  return parsed ? { entries, pkg, parsed } : undefined;
}

/** What the agent's package must carry now. */
function currentFields(agent: AgentRow, skills: LinkedSkill[]): PackagedFields {
  return {
    row: agent,
    skills: skills.map((l) => ({ name: l.skill.name, version: l.pin ?? l.current.version, required: l.required })),
    mcpServers: agent.mcpServers,
  };
}

/** What its original package carries (as an import of it would record). */
function originalFields(parsed: ParsedAgent): PackagedFields {
  const values = agentValues(parsed, undefined);
  return {
    row: values,
    skills: parsed.skills.map((s) => ({
      name: s.name,
      version: s.declaredVersion ?? s.version ?? DEFAULT_SKILL_VERSION,
      required: s.required ?? true,
    })),
    mcpServers: values.mcpServers,
  };
}

/** The original files kept as they are: outside skills/ and mcp-configs/ folders the export rewrites, versions/ only on request. */
function keptFiles(
  original: { entries: Map<string, Uint8Array>; pkg: ParsedPackage; parsed: ParsedAgent },
  agent: AgentRow,
  input: ExportAgentInput,
): Map<string, Uint8Array> {
  const { entries, pkg, parsed } = original;
  const dir = agent.bundlePath;
  const out = new Map<string, Uint8Array>();
  const single = pkg.agents.length === 1;
  for (const [path, bytes] of entries) {
    const inAgent = dir === "" || path.startsWith(`${dir}/`);
    if (!inAgent) {
      // Files beside a single agent (README, PACKAGE.yaml) belong to its package; other agents' do not.
      if (single) out.set(path, bytes);
      continue;
    }
    const rel = dir === "" ? path : path.slice(dir.length + 1);
    if (!parsed.files.includes(rel) || rel === "AGENTS.md") continue;
    if (rel.startsWith("versions/") && !input.include_versions) continue;
    // Skill folders come from the registered skills, MCP server folders from the agent's refs (below).
    const group = /^(skills|mcp-configs)\/([^/]+)\//.exec(rel);
    if (group?.[1] === "skills" && parsed.skills.some((s) => s.name === group[2])) continue;
    if (group?.[1] === "mcp-configs" && parsed.mcpServers.some((m) => m.name === group[2])) continue;
    out.set(path, bytes);
  }
  return out;
}

/**
 * agents.export — `GET /v1/harnesses/{harnessId}/agents/{agentId}/export`. A zip that is a valid Open
 * Agent Format package: the agent's folder (where its package had it; the root for agents created
 * without one) with `AGENTS.md`, `skills/<name>/` for every skill it uses (the version in force, byte for
 * byte), `mcp-configs/<server>/`, its other files, and a root `PACKAGE.yaml`. Every file of the original
 * package is exported byte for byte unless the agent changed what it says: then `AGENTS.md` (and
 * `PACKAGE.yaml`, an MCP server's configs) are written anew, the original front matter edited in place.
 * `versions/` only with `include_versions`; with `include_memory` a memory snapshot in `memory/` of the
 * agent's folder (`blocks.json`, `archive.json`, `metadata.json`: what memory.import reads).
 * @throws ApiError `agent_not_found`, `harness_not_found`, `validation_error` (`contents_mode=referenced`:
 *   skills are stored here, not published at well-known URLs), `capability_not_supported`.
 */
export async function exportAgent({ ctx, input }: VerbArgs<AuthedContext, ExportAgentInput>): Promise<ExportedAgent> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "agents", "export", "agents.export");
  const agent = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  if (input.contents_mode === "referenced") {
    throw new ApiError(
      "validation_error",
      "contents_mode=referenced needs skills published at well-known URLs; this deployment exports bundled packages.",
      {
        domain: "agents",
        operation: "agents.export",
        details: { field: "query.contents_mode" },
        actions: [{ rel: "fix-input", hint: "Omit contents_mode (bundled is the default)." }],
      },
    );
  }
  const skills = (await linkedSkills(ctx, [agent.id])).get(agent.id) ?? [];
  const original = await originalPackage(ctx, agent);
  const dir = original ? agent.bundlePath : "";
  const fields = currentFields(agent, skills);
  const unchanged = original !== undefined && samePackagedFields(fields, originalFields(original.parsed));

  const changedMcp = agent.mcpServers.filter((ref) => {
    const before = original?.parsed.mcpServers.find((m) => m.name === ref.name);
    const derived = before ? agentValues(original!.parsed, undefined).mcpServers.find((m) => m.name === ref.name) : undefined;
    return !derived || !sameMcpRef(ref, derived);
  });
  const files = original ? keptFiles(original, agent, input) : new Map<string, Uint8Array>();
  // MCP servers still as the package had them keep their original files.
  for (const ref of agent.mcpServers) {
    if (changedMcp.includes(ref)) {
      const generated = writeMcpConfig(ref);
      files.set(join(dir, `mcp-configs/${ref.name}/ActiveMCP.json`), new TextEncoder().encode(generated.activeMcp));
      files.set(join(dir, `mcp-configs/${ref.name}/config.yaml`), new TextEncoder().encode(generated.configYaml));
      continue;
    }
    const prefix = join(dir, `mcp-configs/${ref.name}/`);
    for (const [path, bytes] of original!.entries) if (path.startsWith(prefix)) files.set(path, bytes);
  }
  for (const linked of skills) {
    for (const [rel, bytes] of await skillVersionFiles(ctx, linked.skill, linked.pin ?? linked.current))
      files.set(join(dir, `skills/${linked.skill.name}/${rel}`), bytes);
  }
  if (input.include_memory) for (const [rel, bytes] of await agentMemoryFiles(ctx, harness, agent)) files.set(join(dir, rel), bytes);
  const agentsMdPath = join(dir, "AGENTS.md");
  const originalAgentsMd = original?.entries.get(agentsMdPath);
  files.set(
    agentsMdPath,
    unchanged && originalAgentsMd ? originalAgentsMd : new TextEncoder().encode(writeAgentsMd(fields, originalAgentsMd)),
  );
  const packageYamlPath = join(original?.pkg.root ?? "", "PACKAGE.yaml");
  if (!(unchanged && files.has(packageYamlPath))) {
    const root = original?.pkg.root ?? "";
    const agentPath = root === "" ? dir : dir.slice(root.length + 1);
    files.set(packageYamlPath, new TextEncoder().encode(writePackageYaml(agent, agentPath)));
  }
  return {
    filename: `${agent.agentKey}.zip`,
    bytes: zipFiles(Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))),
  };
}
