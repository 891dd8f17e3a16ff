import { and, eq, inArray } from "drizzle-orm";
import { agents, type AgentConfigJson, type AgentMcpRef, type NetworkAccess } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { MAX_AGENT_BUNDLE_BYTES, unzipSafely, ZipLimitError } from "../../lib/zip.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness } from "../harnesses/find.ts";
import { syncAgentConnections } from "../mcp/sync.ts";
import { bundleKey } from "../storage/keys.ts";
import type { AgentRow } from "./find.ts";
import { collectWarnings, PackageError, parseOafPackage, type ParsedAgent, type ParsedPackage } from "./oaf-package.ts";
import { withSkillRefs } from "./skill-refs.ts";
import { writePackageAgents, type AgentWrite } from "./write.ts";

/** Input of {@link importAgents}: the multipart fields of agents.import. */
export interface ImportAgentsInput {
  ref: string;
  bundle: Uint8Array;
  filename: string;
  rename_to?: string;
  merge_strategy: "fail" | "overwrite" | "skip";
}

/** What an import produced: every agent of the package (imported, overwritten or kept) and the warnings. */
export interface ImportAgentsResult {
  agents: AgentRow[];
  /** Agent ids left as they were by `merge_strategy: skip`. */
  skipped: string[];
  warnings: string[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** 422 `invalid_package` with a fix-input hint. */
export function packageProblem(detail: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError("invalid_package", detail, {
    domain: "agents",
    operation: "agents.import",
    details,
    actions: [
      {
        rel: "fix-input",
        hint: "Upload an Open Agent Format zip: AGENTS.md (front matter: name, vendorKey, agentKey, version) at the root or in an agent folder next to PACKAGE.yaml.",
      },
    ],
  });
}

/** Reads an untrusted zip within the import limits, mapping every refusal to a problem. */
export function readBundle(bytes: Uint8Array): Map<string, Uint8Array> {
  if (bytes.byteLength > MAX_AGENT_BUNDLE_BYTES) {
    throw new ApiError(
      "payload_too_large",
      `The bundle is ${bytes.byteLength} bytes; the limit is ${MAX_AGENT_BUNDLE_BYTES} bytes (50 MB).`,
      {
        details: { field: "bundle", limit_bytes: MAX_AGENT_BUNDLE_BYTES },
        actions: [{ rel: "fix-input", hint: "Remove large assets from the package." }],
      },
    );
  }
  if (bytes.byteLength < 4 || ZIP_MAGIC.some((b, i) => bytes[i] !== b))
    throw packageProblem("The bundle is not a zip archive.", { field: "bundle" });
  try {
    return unzipSafely(bytes);
  } catch (error) {
    if (!(error instanceof ZipLimitError)) throw error;
    if (error.kind === "too_large" || error.kind === "too_many_entries") {
      throw new ApiError("payload_too_large", `The bundle was refused before inflating: ${error.message}`, {
        details: { field: "bundle", reason: error.kind },
        actions: [{ rel: "fix-input", hint: "Keep packages under 2000 entries and 64 MB uncompressed." }],
      });
    }
    throw packageProblem(`The bundle was refused: ${error.message}`, {
      field: "bundle",
      reason: error.kind,
      ...(error.path ? { path: error.path } : {}),
    });
  }
}

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}

/**
 * The agent's `network_access` from its front matter (`{allowed, blocked}` host patterns), which narrows
 * the harness's policy for its runs; absent or malformed (a warning) is none.
 */
function frontmatterNetworkAccess(parsed: ParsedAgent): NetworkAccess | null {
  const value = parsed.frontmatter.network_access;
  if (value === undefined || value === null) return null;
  const record = typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const allowed = stringArray(record?.allowed);
  const blocked = stringArray(record?.blocked);
  if (!record || (record.allowed !== undefined && !allowed) || (record.blocked !== undefined && !blocked)) {
    parsed.warnings.push(
      `${parsed.path ? `${parsed.path}/` : ""}AGENTS.md: network_access must be {allowed: [hosts], blocked: [hosts]}; ignored`,
    );
    return null;
  }
  return { ...(allowed ? { allowed } : {}), ...(blocked ? { blocked } : {}) };
}

/** The agent row fields an imported agent gets from its parsed AGENTS.md (`rename` overrides the name). */
export function agentValues(
  parsed: ParsedAgent,
  rename: string | undefined,
): Omit<AgentRow, "id" | "orgId" | "harnessId" | "bundleKey" | "createdAt" | "updatedAt"> {
  const config: AgentConfigJson = {};
  if (parsed.model !== undefined) config.model = parsed.model;
  if (parsed.temperature !== undefined) config.temperature = parsed.temperature;
  if (parsed.maxTokens !== undefined) config.max_tokens = parsed.maxTokens;
  if (parsed.toolsAccess) config.tools_access = parsed.toolsAccess;
  if (parsed.systemPrompt !== undefined) config.system_prompt = parsed.systemPrompt;
  const mcpServers: AgentMcpRef[] = parsed.mcpServers.map((m) => ({
    server_id: m.name,
    name: m.name,
    required: m.required,
    path: m.path,
    ...(m.enabledTools.length ? { tools: m.enabledTools } : {}),
    ...(m.excludedTools.length ? { excluded_tools: m.excludedTools } : {}),
    ...(m.transport ? { transport: m.transport } : {}),
    ...(m.auth ? { auth: m.auth } : {}),
  }));
  return {
    name: rename ?? parsed.name,
    vendorKey: parsed.vendorKey,
    agentKey: parsed.agentKey,
    version: parsed.version,
    slug: parsed.slug,
    description: parsed.description,
    author: parsed.author,
    license: parsed.license,
    tags: parsed.tags,
    // The agent's skills are its `agent_skills` links (registered from the package by `packageSkillWrites`).
    skills: [],
    mcpServers,
    config,
    instructions: parsed.instructions,
    frontmatter: parsed.frontmatter,
    bundlePath: parsed.path,
    networkAccess: frontmatterNetworkAccess(parsed),
  };
}

/** @throws ApiError `validation_error` when rename_to is sent with a multi-agent package. */
function assertRenameFits(input: ImportAgentsInput, count: number): void {
  if (!input.rename_to || count <= 1) return;
  throw new ApiError("validation_error", `rename_to applies to single-agent packages; this package holds ${count} agents.`, {
    details: { field: "body.rename_to" },
    actions: [{ rel: "fix-input", hint: "Omit rename_to, or import the agents one package at a time." }],
  });
}

/** Parses a read package, mapping parse refusals to problems. */
export function parsePackage(entries: Map<string, Uint8Array>, options: Parameters<typeof parseOafPackage>[1] = {}): ParsedPackage {
  try {
    return parseOafPackage(entries, options);
  } catch (error) {
    if (error instanceof PackageError) throw packageProblem(error.message, { reason: error.code, ...error.details });
    throw error;
  }
}

/**
 * agents.import — `POST /v1/harnesses/{harnessId}/agents/import` (multipart `bundle`). Imports every
 * agent an Open Agent Format package holds; each agent's skills become registered, versioned skills of
 * that agent (linked to it), its MCP configs are recorded; the original bundle is kept in R2.
 * All-or-nothing: a refused package, a 409 or a failed write leaves nothing in D1 or R2. Identity is
 * `vendorKey`/`agentKey` per harness.
 * @throws ApiError `payload_too_large` (413: over 50 MB, entry-count or decompressed-size limits, checked
 *   before inflating), `invalid_package` (422: not a zip, unsafe paths, no AGENTS.md, bad front matter,
 *   missing identity, a skill over its limits), `agent_exists` (409 with `merge_strategy: fail`),
 *   `validation_error` (rename_to on a multi-agent package), `harness_not_found`, `capability_not_supported`.
 */
export async function importAgents({ ctx, input }: VerbArgs<AuthedContext, ImportAgentsInput>): Promise<ImportAgentsResult> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "agents", "import", "agents.import");
  const entries = readBundle(input.bundle);
  const parsed = parsePackage(entries);
  assertRenameFits(input, parsed.agents.length);

  const existing = await ctx.db
    .select()
    .from(agents)
    .where(
      and(
        eq(agents.orgId, ctx.principal.orgId),
        eq(agents.harnessId, harness.id),
        inArray(
          agents.agentKey,
          parsed.agents.map((a) => a.agentKey),
        ),
      ),
    )
    .all();
  const existingOf = (a: ParsedAgent) => existing.find((e) => e.vendorKey === a.vendorKey && e.agentKey === a.agentKey);
  const clashes = parsed.agents.filter(existingOf);
  if (clashes.length > 0 && input.merge_strategy === "fail") {
    throw new ApiError(
      "agent_exists",
      `Agent ${clashes.map((a) => `${a.vendorKey}/${a.agentKey}`).join(", ")} already exists on harness ${harness.slug}.`,
      {
        details: { identities: clashes.map((a) => ({ vendorKey: a.vendorKey, agentKey: a.agentKey, agent_id: existingOf(a)!.id })) },
        actions: [
          { rel: "overwrite", hint: "Send merge_strategy=overwrite to replace it, or skip to keep it." },
          { rel: "get-existing", operation_id: "agents.get", href: `/v1/harnesses/${harness.slug}/agents/${existingOf(clashes[0]!)!.id}` },
        ],
      },
    );
  }

  const now = nowIso();
  const key = bundleKey(ctx.principal.orgId, harness.id, newId("agent").replace(/^agent_/, "bundle_"));
  const rows: AgentRow[] = [];
  const skipped: string[] = [];
  const writes: AgentWrite[] = [];
  for (const parsedAgent of parsed.agents) {
    const current = existingOf(parsedAgent);
    if (current && input.merge_strategy === "skip") {
      rows.push(current);
      skipped.push(current.id);
      continue;
    }
    const row: AgentRow = {
      id: current?.id ?? newId("agent"),
      orgId: ctx.principal.orgId,
      harnessId: harness.id,
      ...agentValues(parsedAgent, input.rename_to),
      bundleKey: key,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    rows.push(row);
    writes.push({ row, parsed: parsedAgent, isNew: !current });
  }
  const written = await writePackageAgents(ctx, {
    harnessId: harness.id,
    writes,
    entries,
    bundle: { key, bytes: input.bundle, filename: input.filename },
  });
  // The package's MCP servers become connections of each agent's layer.
  const mcpWarnings: string[] = [];
  for (const { row } of writes) mcpWarnings.push(...(await syncAgentConnections(ctx, harness, row)));
  const warnings = [
    ...collectWarnings(parsed),
    ...written.warnings,
    ...mcpWarnings,
    ...skipped.map((id) => `Agent ${id} already existed and was kept (merge_strategy=skip).`),
  ];

  return { agents: await withSkillRefs(ctx, rows), skipped, warnings };
}
