import { and, asc, count, eq, ne, type SQL } from "drizzle-orm";
import { harnesses } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import { insertAssistant } from "../assistant/provision.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { HarnessRow } from "./find.ts";

/** Input of {@link listHarnesses}: pagination plus the spec's filters. */
export interface ListHarnessesInput {
  limit: number;
  offset: number;
  status?: string;
  execution_type?: string;
  /** Everruns lifecycle filter; without it deleted harnesses are left out. */
  lifecycle?: "active" | "archived" | "deleted";
}

/**
 * harnesses.list — `GET /v1/harnesses` (and harnessDefinitions.list): the organization's harnesses,
 * oldest first, its built-in ones included (provisioned first if it lacks them).
 */
export async function listHarnesses({ ctx, input }: VerbArgs<AuthedContext, ListHarnessesInput>): Promise<Page<HarnessRow>> {
  const filters: SQL[] = [
    eq(harnesses.orgId, ctx.principal.orgId),
    input.lifecycle ? eq(harnesses.lifecycle, input.lifecycle) : ne(harnesses.lifecycle, "deleted"),
  ];
  if (input.status) filters.push(eq(harnesses.availability, input.status));
  if (input.execution_type) filters.push(eq(harnesses.executionType, input.execution_type));
  const where = and(...filters);
  // The organization's built-ins are provisioned with it; one created another way (or before a built-in
  // existed) gets them here, in the same batch, so every list shows them.
  const [, rows, totals] = await ctx.db.batch([
    insertAssistant(ctx.db, ctx.principal.orgId),
    ctx.db.select().from(harnesses).where(where).orderBy(asc(harnesses.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(harnesses).where(where),
  ]);
  return { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset };
}
