/**
 * Writing agents that came from a package (agents.import, agents.create): the bundle to R2, then every
 * agent row with its skills in ONE D1 batch — all or nothing (R2 objects written for a failed batch are
 * deleted again).
 */
import type { BatchItem } from "drizzle-orm/batch";
import { agents } from "../../db/schema.ts";
import type { AuthedContext } from "../context.ts";
import { undoBlobs, type StoredBlob } from "../skills/store.ts";
import { deletePrefix, skillPrefix } from "../storage/keys.ts";
import type { AgentRow } from "./find.ts";
import type { ParsedAgent } from "./oaf-package.ts";
import { packageSkillWrites } from "./package-skills.ts";

/** One agent to write: its row, what its package said, and whether the row is new. */
export interface AgentWrite {
  row: AgentRow;
  parsed: ParsedAgent;
  isNew: boolean;
}

/** Writes `writes` (their skills registered and linked) and the package bundle; returns the skill warnings. */
export async function writePackageAgents(
  ctx: AuthedContext,
  input: {
    harnessId: string;
    writes: AgentWrite[];
    entries: Map<string, Uint8Array>;
    bundle: { key: string; bytes: Uint8Array; filename: string };
  },
): Promise<{ warnings: string[] }> {
  if (input.writes.length === 0) return { warnings: [] };
  await ctx.env.BUCKET.put(input.bundle.key, input.bundle.bytes, {
    httpMetadata: { contentType: "application/zip" },
    customMetadata: { filename: input.bundle.filename.slice(0, 200) },
  });
  const blobs: StoredBlob[] = [];
  const removed: string[] = [];
  const warnings: string[] = [];
  try {
    const statements: BatchItem<"sqlite">[] = [];
    for (const { row, parsed, isNew } of input.writes) {
      statements.push(
        ctx.db
          .insert(agents)
          .values(row)
          .onConflictDoUpdate({
            target: [agents.harnessId, agents.vendorKey, agents.agentKey],
            set: { ...row, id: undefined, createdAt: undefined },
          }),
      );
      const skills = await packageSkillWrites(ctx, { harnessId: input.harnessId, agentId: row.id, parsed, entries: input.entries, isNew });
      statements.push(...skills.statements);
      blobs.push(...skills.blobs);
      removed.push(...skills.removedSkillIds);
      warnings.push(...skills.warnings);
    }
    const [first, ...rest] = statements;
    await ctx.db.batch([first!, ...rest]);
  } catch (error) {
    await ctx.env.BUCKET.delete(input.bundle.key);
    await undoBlobs(ctx, blobs);
    throw error;
  }
  for (const id of removed) await deletePrefix(ctx.env.BUCKET, skillPrefix(ctx.principal.orgId, input.harnessId, id));
  return { warnings };
}
