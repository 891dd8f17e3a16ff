import { and, count, desc, eq, gte, sql, type SQL } from "drizzle-orm";
import { memoryArchive } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findMemoryOwner, toArchiveView, type ArchiveEntryView } from "./store.ts";

/** Input of {@link listArchive}: the spec's paging plus optional `tag` and `since` (ISO 8601) filters. */
export interface ListArchiveInput {
  ref: string;
  agentId: string;
  limit: number;
  offset: number;
  tag?: string;
  since?: string;
}

/**
 * memory.getArchive — the agent's archive entries, newest first, one page at a time.
 * @throws ApiError `harness_not_found`, `agent_not_found`, `capability_not_supported`.
 */
export async function listArchive({ ctx, input }: VerbArgs<AuthedContext, ListArchiveInput>): Promise<Page<ArchiveEntryView>> {
  const owner = await findMemoryOwner(ctx, { ref: input.ref, agentId: input.agentId, operationId: "memory.getArchive" });
  const a = memoryArchive;
  const filters: SQL[] = [eq(a.orgId, owner.agent.orgId), eq(a.agentId, owner.agent.id)];
  if (input.tag) filters.push(sql`EXISTS (SELECT 1 FROM json_each(${a.tags}) WHERE json_each.value = ${input.tag.toLowerCase()})`);
  if (input.since) filters.push(gte(a.createdAt, new Date(input.since).toISOString()));
  const where = and(...filters);
  const [rows, totals] = await ctx.db.batch([
    ctx.db.select().from(a).where(where).orderBy(desc(a.createdAt), desc(a.seq)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(a).where(where),
  ]);
  return { items: rows.map(toArchiveView), total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset };
}
