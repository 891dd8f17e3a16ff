import { and, asc, count, eq, ne, type SQL } from "drizzle-orm";
import { sessionStub } from "../../../durable-objects/session/session.client.ts";
import type { MessageRecord } from "../../../durable-objects/session/session.protocol.ts";
import { sessions } from "../../db/schema.ts";
import type { Page } from "../../lib/page.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";
import { conversationOwnerFilter, findSession, type SessionRow } from "./find.ts";

/** sessions.list input: pagination, `status` and `agent_id` filters. */
export interface ListSessionsInput {
  ref: string;
  limit: number;
  offset: number;
  status?: "active" | "paused" | "ended";
  agent_id?: string;
}

/**
 * sessions.list — oldest first. Ended sessions are listed only when asked for (`status=ended`):
 * an ended session disappears from the default list (conformance SES-04). A person lists only their own
 * conversations with the built-in assistant.
 */
export async function listSessions({
  ctx,
  input,
}: VerbArgs<AuthedContext, ListSessionsInput>): Promise<{ harness: HarnessRow; page: Page<SessionRow> }> {
  const harness = await findHarness({ ctx, input });
  const filters: SQL[] = [eq(sessions.orgId, ctx.principal.orgId), eq(sessions.harnessId, harness.id)];
  filters.push(input.status ? eq(sessions.status, input.status) : ne(sessions.status, "ended"));
  if (input.agent_id) filters.push(eq(sessions.agentId, input.agent_id));
  const owner = conversationOwnerFilter(ctx, harness);
  if (owner !== undefined) filters.push(eq(sessions.ownerSubject, owner));
  const where = and(...filters);
  const [rows, totals] = await ctx.db.batch([
    ctx.db.select().from(sessions).where(where).orderBy(asc(sessions.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(sessions).where(where),
  ]);
  return { harness, page: { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset } };
}

/** sessions.history — messages oldest first; `since` keeps those created after it. */
export async function sessionHistory({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId: string; limit: number; offset: number; since?: string }>): Promise<
  Page<MessageRecord>
> {
  const found = await findSession({ ctx, input });
  const page = await sessionStub(ctx.env, found.session.id).history({
    limit: input.limit,
    offset: input.offset,
    ...(input.since ? { since: new Date(input.since).toISOString() } : {}),
  });
  return { items: page.items, total: page.total, limit: input.limit, offset: input.offset };
}
