import { agents, agentSkills } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { isArchiveJunk, MAX_AGENT_BUNDLE_BYTES, MAX_ZIP_ENTRIES, normalizeArchivePath, zipFiles, ZipLimitError } from "../../lib/zip.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { builtInReadOnly } from "../harnesses/lifecycle.ts";
import { resolveSkillRefs } from "../skills/resolve.ts";
import { bundleKey } from "../storage/keys.ts";
import type { AgentRow } from "./find.ts";
import { agentValues, packageProblem, parsePackage } from "./import.ts";
import { collectWarnings } from "./oaf-package.ts";
import { assertAgentFree, kebabKey } from "./naming.ts";
import { withSkillRefs } from "./skill-refs.ts";
import { writePackageAgents } from "./write.ts";

/** The vendor key of agents created without one. */
export const DEFAULT_VENDOR_KEY = "local";
/** The version of agents created without one. */
export const DEFAULT_AGENT_VERSION = "0.1.0";

/** The reference client's JSON `CreateAgentRequest` (spec §9.1 #5): an agent without a package. */
export interface CreateAgentJson {
  name: string;
  /** Without one the agent runs on the harness's default model (DESIGN.md resolution order). */
  model?: string;
  vendorKey?: string;
  agentKey?: string;
  version?: string;
  slug?: string;
  description?: string;
  author?: string;
  license?: string;
  tags?: string[];
  /** The agent's system prompt (`config.system_prompt`). */
  system_prompt?: string;
  /** The agent's instructions (the AGENTS.md body its package would have). */
  instructions?: string;
  /** Skills of the harness to link (ids or names). */
  skills?: string[];
}

/** Input of {@link createAgent}: the multipart form (files + metadata) or the JSON request. */
export type CreateAgentInput =
  | { ref: string; kind: "files"; files: { path: string; bytes: Uint8Array }[]; metadata: { name?: string; description?: string } }
  | { ref: string; kind: "json"; body: CreateAgentJson };

/** The created agent and the package's warnings. */
export interface CreatedAgent {
  harness: HarnessRow;
  agent: AgentRow;
  warnings: string[];
}

/** The files parts as package entries, within the agent-package limits. @throws ApiError */
function filesToEntries(files: { path: string; bytes: Uint8Array }[]): Map<string, Uint8Array> {
  if (files.length > MAX_ZIP_ENTRIES) {
    throw new ApiError("payload_too_large", `${files.length} files; an agent bundle holds at most ${MAX_ZIP_ENTRIES}.`, {
      details: { field: "form.files", limit: MAX_ZIP_ENTRIES },
      actions: [{ rel: "fix-input", hint: "Send fewer files." }],
    });
  }
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  for (const file of files) {
    let path: string;
    try {
      path = normalizeArchivePath(file.path);
    } catch (error) {
      if (error instanceof ZipLimitError)
        throw packageProblem(`File ${JSON.stringify(file.path)}: ${error.message}`, { field: "form.files", path: file.path });
      throw error;
    }
    if (path.endsWith("/") || isArchiveJunk(path)) continue;
    if (entries.has(path)) throw packageProblem(`File ${path} is sent twice.`, { field: "form.files", path });
    total += file.bytes.byteLength;
    if (total > MAX_AGENT_BUNDLE_BYTES) {
      throw new ApiError("payload_too_large", `The files hold more than ${MAX_AGENT_BUNDLE_BYTES} bytes (50 MB).`, {
        details: { field: "form.files", limit_bytes: MAX_AGENT_BUNDLE_BYTES },
        actions: [{ rel: "fix-input", hint: "Remove large assets." }],
      });
    }
    entries.set(path, file.bytes);
  }
  if (!entries.has("AGENTS.md")) {
    const nested = [...entries.keys()].filter((p) => p.endsWith("/AGENTS.md"));
    throw packageProblem(
      `AGENTS.md must be at the root of the files (a part named AGENTS.md)${nested.length ? `; found ${nested.join(", ")}` : ""}.`,
      { field: "form.files", reason: "missing_agents_md" },
    );
  }
  return entries;
}

/** agents.create from files: the bundle is the files, zipped and kept like an imported package. */
async function createFromFiles(
  ctx: AuthedContext,
  harness: HarnessRow,
  input: Extract<CreateAgentInput, { kind: "files" }>,
): Promise<CreatedAgent> {
  const entries = filesToEntries(input.files);
  const name = input.metadata.name;
  const parsed = parsePackage(entries, {
    identityDefaults: {
      ...(name ? { name } : {}),
      vendorKey: DEFAULT_VENDOR_KEY,
      version: DEFAULT_AGENT_VERSION,
      ...(name && kebabKey(name) ? { agentKey: kebabKey(name) } : {}),
    },
  });
  const parsedAgent = parsed.agents[0]!;
  if (parsedAgent.path !== "") throw packageProblem("AGENTS.md must be at the root of the files.", { field: "form.files" });
  const values = agentValues(parsedAgent, name);
  if (input.metadata.description) values.description = input.metadata.description;
  await assertAgentFree(ctx, harness, {
    name: values.name,
    vendorKey: values.vendorKey,
    agentKey: values.agentKey,
    operation: "agents.create",
  });
  const now = nowIso();
  const row: AgentRow = {
    id: newId("agent"),
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    ...values,
    bundleKey: bundleKey(ctx.principal.orgId, harness.id, newId("agent").replace(/^agent_/, "bundle_")),
    createdAt: now,
    updatedAt: now,
  };
  const bytes = zipFiles(Object.fromEntries(entries));
  const written = await writePackageAgents(ctx, {
    harnessId: harness.id,
    writes: [{ row, parsed: parsedAgent, isNew: true }],
    entries,
    bundle: { key: row.bundleKey!, bytes, filename: "agent.zip" },
  });
  const [agent] = await withSkillRefs(ctx, [row]);
  return { harness, agent: agent!, warnings: [...collectWarnings(parsed), ...written.warnings] };
}

/** agents.create from the reference client's JSON: no package; links the named harness skills. */
async function createFromJson(ctx: AuthedContext, harness: HarnessRow, body: CreateAgentJson): Promise<CreatedAgent> {
  const agentKey = body.agentKey ?? kebabKey(body.name);
  if (!agentKey) {
    throw new ApiError("validation_error", "body.name: needs letters or digits to derive the agentKey; or send agentKey.", {
      details: { field: "body.name" },
      actions: [{ rel: "fix-input", hint: "Send agentKey (kebab-case)." }],
    });
  }
  const vendorKey = body.vendorKey ?? DEFAULT_VENDOR_KEY;
  await assertAgentFree(ctx, harness, { name: body.name, vendorKey, agentKey, operation: "agents.create" });
  const id = newId("agent");
  const refs = await resolveSkillRefs(ctx, {
    harness,
    agentId: id,
    refs: (body.skills ?? []).map((s) => ({ skill_id: s })),
    field: "body.skills",
    operation: "agents.create",
  });
  const now = nowIso();
  const row: AgentRow = {
    id,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    name: body.name,
    vendorKey,
    agentKey,
    version: body.version ?? DEFAULT_AGENT_VERSION,
    slug: body.slug ?? agentKey,
    description: body.description ?? "",
    author: body.author ?? null,
    license: body.license ?? null,
    tags: body.tags ?? [],
    skills: [],
    mcpServers: [],
    config: {
      ...(body.model ? { model: body.model } : {}),
      ...(body.system_prompt !== undefined ? { system_prompt: body.system_prompt } : {}),
    },
    instructions: body.instructions ?? "",
    frontmatter: {},
    bundleKey: null,
    bundlePath: "",
    networkAccess: null,
    createdAt: now,
    updatedAt: now,
  };
  const links = refs.map((r, position) => ({
    agentId: id,
    skillId: r.skill.id,
    orgId: ctx.principal.orgId,
    position,
    required: r.required,
    version: r.version,
  }));
  await ctx.db.batch([ctx.db.insert(agents).values(row), ...(links.length ? [ctx.db.insert(agentSkills).values(links)] : [])]);
  const [agent] = await withSkillRefs(ctx, [row]);
  return { harness, agent: agent!, warnings: [] };
}

/**
 * agents.create — `POST /v1/harnesses/{harnessId}/agents`. Multipart (spec): `files` parts named by
 * relative path with `AGENTS.md` at the root (identity fields it lacks are derived from `metadata.name`:
 * agentKey = its kebab form, vendorKey `local`, version 0.1.0 — each a warning) and a `metadata` JSON
 * part `{name?, description?}` that overrides the front matter's; the files are kept as the agent's
 * package and its skills registered like an import's. Or JSON (the reference client's
 * `CreateAgentRequest`): an agent without a package. The name and the vendorKey/agentKey are unique on
 * the harness. ≤ 50 MB.
 * @throws ApiError `agent_exists` (409), `invalid_package` (422: no root AGENTS.md, bad front matter),
 *   `payload_too_large` (413), `skill_not_found`, `harness_read_only`, `harness_not_found`, `capability_not_supported`.
 */
export async function createAgent({ ctx, input }: VerbArgs<AuthedContext, CreateAgentInput>): Promise<CreatedAgent> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "agents", "create", "agents.create");
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "given agents");
  return input.kind === "files" ? createFromFiles(ctx, harness, input) : createFromJson(ctx, harness, input.body);
}
