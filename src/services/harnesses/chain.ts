import { and, eq } from "drizzle-orm";
import { harnesses, type CapabilityRef } from "../../db/schema.ts";
import type { ServiceContext } from "../context.ts";
import type { HarnessRow } from "./find.ts";

/** Deepest parent chain followed (cycles are refused at write time; this bounds a corrupt chain). */
export const MAX_HARNESS_DEPTH = 8;

/** The parents of `harness`, nearest first, within its organization (a parent elsewhere is never followed). */
export async function parentChain(ctx: Pick<ServiceContext, "db">, harness: HarnessRow): Promise<HarnessRow[]> {
  const chain: HarnessRow[] = [];
  let next = harness.parentHarnessId;
  while (next && chain.length < MAX_HARNESS_DEPTH) {
    const row = await ctx.db
      .select()
      .from(harnesses)
      .where(and(eq(harnesses.id, next), eq(harnesses.orgId, harness.orgId)))
      .get();
    if (!row || chain.some((h) => h.id === row.id)) break;
    chain.push(row);
    next = row.parentHarnessId;
  }
  return chain;
}

/** System prompts stack parent first (DESIGN.md resolution order). */
export function stackedSystemPrompt(harness: HarnessRow, parents: HarnessRow[]): string[] {
  return [...parents]
    .reverse()
    .concat(harness)
    .map((h) => h.systemPrompt)
    .filter((p) => p.trim() !== "");
}

/** Capability refs merge by ref, the child's config winning. */
export function mergedCapabilityRefs(harness: HarnessRow, parents: HarnessRow[]): CapabilityRef[] {
  const byRef = new Map<string, CapabilityRef>();
  for (const h of [...parents].reverse().concat(harness))
    for (const ref of h.capabilityRefs) byRef.set(ref.ref, { ...byRef.get(ref.ref), ...ref });
  return [...byRef.values()];
}
