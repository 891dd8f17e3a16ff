import type { BatchItem } from "drizzle-orm/batch";
import { agents, agentSkills, skills, skillVersions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { builtInReadOnly } from "../harnesses/lifecycle.ts";
import { versionsOfSkills, type SkillVersionRow } from "../skills/find.ts";
import { undoBlobs, type StoredBlob } from "../skills/store.ts";
import { skillBlobKey } from "../storage/keys.ts";
import { copyAgentMemory } from "./agent-data.ts";
import { findAgent, type AgentRow } from "./find.ts";
import { assertAgentFree, kebabKey } from "./naming.ts";
import { linkedSkills, withSkillRefs } from "./skill-refs.ts";

/** Copies one stored bundle to the clone's skill (R2 has no server-side copy binding: read, then write). */
async function copyBlob(ctx: AuthedContext, from: SkillVersionRow, harnessId: string, skillId: string): Promise<StoredBlob> {
  const blobKey = skillBlobKey(ctx.principal.orgId, harnessId, skillId, from.sha256);
  const source = await ctx.env.BUCKET.get(from.blobKey);
  if (!source) {
    throw new ApiError("upstream_unavailable", "A skill bundle of the agent could not be read; retry shortly.", {
      retryAfterSeconds: 5,
      cause: new Error(`missing R2 object ${from.blobKey}`),
    });
  }
  await ctx.env.BUCKET.put(blobKey, await source.arrayBuffer(), { httpMetadata: { contentType: "application/zip" }, sha256: from.sha256 });
  return { sha256: from.sha256, sizeBytes: from.sizeBytes, blobKey, created: true };
}

/**
 * agents.clone — `POST /v1/harnesses/{harnessId}/agents/{agentId}/clone` `{new_name, include_memory?}`.
 * A new agent with the source's configuration under a new name (agentKey and slug = its kebab form).
 * Nothing one could change for the other is shared: the skills the source's package brought are copied
 * with every version (bundles included) and owned by the clone; harness skills stay linked to both (they
 * belong to the harness); the original package bytes, which nobody can change, are shared. With
 * `include_memory` the source's memory blocks and archive are copied to the clone.
 * @throws ApiError `agent_exists` (409: the name or derived identity is taken), `validation_error`
 *   (a name without letters or digits), `agent_not_found`, `capability_not_supported`, `harness_read_only`,
 *   `harness_not_found`; the memory import's refusals with `include_memory`.
 */
export async function cloneAgent({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; agentId: string; new_name: string; include_memory: boolean }>): Promise<{
  harness: HarnessRow;
  agent: AgentRow;
}> {
  const harness = await findHarness({ ctx, input });
  assertCapability(harness, "agents", "clone", "agents.clone");
  if (harness.isBuiltIn) throw builtInReadOnly(harness, "given agents");
  const source = await findAgent({ ctx, input: { harness, agentId: input.agentId } });
  const agentKey = kebabKey(input.new_name);
  if (!agentKey) {
    throw new ApiError("validation_error", "body.new_name: needs letters or digits (the clone's agentKey is derived from it).", {
      details: { field: "body.new_name" },
      actions: [{ rel: "fix-input", hint: "Use a name such as “Recipe Finder (team)”." }],
    });
  }
  await assertAgentFree(ctx, harness, { name: input.new_name, vendorKey: source.vendorKey, agentKey, operation: "agents.clone" });
  const now = nowIso();
  const clone: AgentRow = {
    ...source,
    id: newId("agent"),
    name: input.new_name,
    agentKey,
    slug: agentKey,
    skills: [],
    createdAt: now,
    updatedAt: now,
  };
  const links = (await linkedSkills(ctx, [source.id])).get(source.id) ?? [];
  const ownedIds = links.filter((l) => l.skill.agentId === source.id).map((l) => l.skill.id);
  const versions = await versionsOfSkills(ctx, ownedIds);
  const statements: BatchItem<"sqlite">[] = [ctx.db.insert(agents).values(clone)];
  const blobs: StoredBlob[] = [];
  try {
    for (const [position, link] of links.entries()) {
      let skillId = link.skill.id;
      if (link.skill.agentId === source.id) {
        skillId = newId("skill");
        const copies = new Map<string, string>();
        const rows = versions.filter((v) => v.skillId === link.skill.id);
        const stored = new Map<string, StoredBlob>();
        for (const v of rows) {
          if (!stored.has(v.sha256)) stored.set(v.sha256, await copyBlob(ctx, v, harness.id, skillId));
          copies.set(v.id, newId("skillVersion"));
        }
        blobs.push(...stored.values());
        statements.push(
          ctx.db.insert(skills).values({
            ...link.skill,
            id: skillId,
            agentId: clone.id,
            currentVersionId: copies.get(link.skill.currentVersionId)!,
            source: { type: "clone", path: link.skill.id },
            createdAt: now,
            updatedAt: now,
          }),
          ...rows.map((v) =>
            ctx.db.insert(skillVersions).values({ ...v, id: copies.get(v.id)!, skillId, blobKey: stored.get(v.sha256)!.blobKey }),
          ),
        );
      }
      statements.push(
        ctx.db
          .insert(agentSkills)
          .values({ agentId: clone.id, skillId, orgId: ctx.principal.orgId, position, required: link.required, version: link.pin }),
      );
    }
    const [first, ...rest] = statements;
    await ctx.db.batch([first!, ...rest]);
  } catch (error) {
    await undoBlobs(ctx, blobs);
    throw error;
  }
  if (input.include_memory) await copyAgentMemory(ctx, harness, source, clone);
  const refreshed = await findAgent({ ctx, input: { harness, agentId: clone.id } });
  const [agent] = await withSkillRefs(ctx, [refreshed]);
  return { harness, agent: agent! };
}
