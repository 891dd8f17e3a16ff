import { and, eq } from "drizzle-orm";
import { sessions } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findHarness, type HarnessRow } from "../harnesses/find.ts";

export type SessionRow = typeof sessions.$inferSelect;

/** A session row with the harness it belongs to. */
export interface FoundSession {
  harness: HarnessRow;
  session: SessionRow;
}

/** The 404 for a session id that does not resolve on the harness. */
export function sessionNotFound(harness: HarnessRow, sessionId: string): ApiError {
  return new ApiError("session_not_found", `No session ${sessionId} on harness ${harness.slug}.`, {
    details: { session_id: sessionId },
    actions: [
      { rel: "list", operation_id: "sessions.list", href: `/v1/harnesses/${harness.slug}/sessions` },
      { rel: "create", hint: "Create a session, or omit session_id for a one-shot execution.", operation_id: "sessions.create" },
    ],
  });
}

/**
 * The owner a caller's view of `harness`'s sessions is limited to: conversations with the built-in
 * assistant are private to the person who started them, so a user principal sees only their own
 * (an organization API key, a machine principal, sees all of them). `undefined` = no limit.
 */
export function conversationOwnerFilter(ctx: AuthedContext, harness: HarnessRow): string | undefined {
  return harness.isBuiltIn && ctx.principal.kind === "user" ? ctx.principal.subject : undefined;
}

/**
 * Resolves `{harnessId}` and `{sessionId}` in the caller's organization; with `ownerSubject`, only a
 * session that subject owns (`sessions.owner_subject`) resolves (and see {@link conversationOwnerFilter}).
 * @throws ApiError `harness_not_found`, `session_not_found` (also for another organization's session, or
 *   another owner's when `ownerSubject` is given).
 */
export async function findSession({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId: string; ownerSubject?: string }>): Promise<FoundSession> {
  const harness = await findHarness({ ctx, input });
  const owner = input.ownerSubject ?? conversationOwnerFilter(ctx, harness);
  const session = await ctx.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.id, input.sessionId),
        eq(sessions.orgId, ctx.principal.orgId),
        eq(sessions.harnessId, harness.id),
        owner === undefined ? undefined : eq(sessions.ownerSubject, owner),
      ),
    )
    .get();
  if (!session) throw sessionNotFound(harness, input.sessionId);
  return { harness, session };
}

/** `wss://…/connect` (or `ws://` for http origins): the WebSocket URL of sessions.connect. */
export function connectUrl(origin: string, harnessSlug: string, sessionId: string): string {
  return `${origin.replace(/^http/, "ws")}/v1/harnesses/${harnessSlug}/sessions/${sessionId}/connect`;
}

/** The 409 for a paused or ended session. */
export function sessionRefusal(session: SessionRow, harnessSlug: string): ApiError | undefined {
  if (session.status === "paused") {
    return new ApiError("session_paused", `Session ${session.id} is paused.`, {
      actions: [{ rel: "resume", operation_id: "sessions.resume", href: `/v1/harnesses/${harnessSlug}/sessions/${session.id}/resume` }],
    });
  }
  if (session.status === "ended") {
    return new ApiError("session_ended", `Session ${session.id} has ended.`, {
      actions: [
        {
          rel: "fork",
          hint: "Fork it to continue from its history.",
          operation_id: "sessions.fork",
          href: `/v1/harnesses/${harnessSlug}/sessions/${session.id}/fork`,
        },
        { rel: "create", operation_id: "sessions.create" },
      ],
    });
  }
  return undefined;
}
