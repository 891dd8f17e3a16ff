/**
 * Session lifecycle verbs: sessions.create, update, end, resume, fork.
 * The D1 row is the index; the `Session` object holds the conversation. Writes that touch both are
 * ordered so a failure leaves neither half behind.
 */
import { and, eq } from "drizzle-orm";
import { sessionStub } from "../../../durable-objects/session/session.client.ts";
import { sessions, type NetworkAccess } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { findAgent } from "../agents/find.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCapability } from "../harnesses/capabilities.ts";
import { parentChain } from "../harnesses/chain.ts";
import { findHarness } from "../harnesses/find.ts";
import { seedStarterFiles } from "../files/starter-files.ts";
import { sessionCreated, sessionEnded } from "../harness-events/notify.ts";
import { sessionWorkspacePrefix } from "../storage/keys.ts";
import { assertNotArchived } from "../harnesses/lifecycle.ts";
import { findSession, sessionRefusal, type FoundSession, type SessionRow } from "./find.ts";

/** sessions.create input (spec: all optional). */
export interface CreateSessionInput {
  ref: string;
  name?: string;
  agent_id?: string;
  skills?: string[];
  system_prompt?: string;
  /** Narrows the harness's network policy for this session's turns (layers only narrow). */
  network_access?: NetworkAccess | null;
}

/**
 * sessions.create — a new, active session (optionally as one agent, with an initial system prompt).
 * @throws ApiError `harness_not_found`, `harness_archived` (409), `agent_not_found`, `capability_not_supported`, `validation_error` (skills).
 */
export async function createSession({ ctx, input }: VerbArgs<AuthedContext, CreateSessionInput>): Promise<FoundSession> {
  const harness = await findHarness({ ctx, input });
  assertNotArchived(harness, "sessions.create");
  assertCapability(harness, "sessions", "create", "sessions.create");
  const agent = input.agent_id ? await findAgent({ ctx, input: { harness, agentId: input.agent_id } }) : undefined;
  if (input.skills?.length) {
    throw new ApiError(
      "validation_error",
      "skills cannot be enabled per session on this deployment yet; the agent's recorded skills are listed on the agent.",
      {
        details: { field: "body.skills" },
        actions: [{ rel: "fix-input", hint: "Omit skills." }],
      },
    );
  }
  const now = nowIso();
  const row: SessionRow = {
    id: newId("session"),
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    agentId: agent?.id ?? null,
    name: input.name ?? null,
    status: "active",
    systemPrompt: input.system_prompt ?? null,
    messageCount: 0,
    forkedFrom: null,
    ownerSubject: ctx.principal.subject,
    networkAccess: input.network_access ?? null,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
  await sessionStub(ctx.env, row.id).init({
    sessionId: row.id,
    orgId: row.orgId,
    harnessId: harness.id,
    agentId: row.agentId,
    systemPrompt: row.systemPrompt,
    status: "active",
    createdAt: now,
  });
  await ctx.db.insert(sessions).values(row);
  // Every new session starts with the harness chain's starter files in its own workspace.
  await seedStarterFiles(ctx, {
    harness,
    parents: await parentChain(ctx, harness),
    prefix: sessionWorkspacePrefix(ctx.principal.orgId, harness.id, row.id),
    onlyMissing: false,
  });
  await sessionCreated(ctx, { harnessId: harness.id, harnessSlug: harness.slug, sessionId: row.id });
  return { harness, session: row };
}

/**
 * sessions.update — rename, pause or resume. Pausing closes the session's sockets (close code 4001).
 * @throws ApiError `session_ended` (409) for an ended session.
 */
export async function updateSession({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId: string; name?: string; status?: "active" | "paused" }>): Promise<FoundSession> {
  const found = await findSession({ ctx, input });
  if (found.session.status === "ended") throw sessionRefusal(found.session, found.harness.slug)!;
  return applyUpdate(ctx, found, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.status ? { status: input.status } : {}),
  });
}

/**
 * sessions.resume — a paused session becomes active again; queued messages start.
 * @throws ApiError `session_ended` (409).
 */
export async function resumeSession({ ctx, input }: VerbArgs<AuthedContext, { ref: string; sessionId: string }>): Promise<FoundSession> {
  return updateSession({ ctx, input: { ...input, status: "active" } });
}

async function applyUpdate(
  ctx: AuthedContext,
  found: FoundSession,
  patch: Partial<Pick<SessionRow, "name" | "status">>,
): Promise<FoundSession> {
  const [row] = await ctx.db
    .update(sessions)
    .set({ ...patch, updatedAt: nowIso() })
    .where(and(eq(sessions.id, found.session.id), eq(sessions.orgId, ctx.principal.orgId)))
    .returning();
  if (patch.status && patch.status !== found.session.status)
    await sessionStub(ctx.env, found.session.id).setStatus(patch.status as "active" | "paused");
  return { harness: found.harness, session: row! };
}

/**
 * sessions.end — ends the session (sockets closed with 4002, the turn in progress cancelled), optionally
 * deleting its history. Ending an ended session is a no-op (idempotent DELETE).
 */
export async function endSession({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId: string; deleteHistory: boolean }>): Promise<void> {
  const found = await findSession({ ctx, input });
  const now = nowIso();
  await sessionStub(ctx.env, found.session.id).end(input.deleteHistory);
  await ctx.db
    .update(sessions)
    .set({ status: "ended", endedAt: found.session.endedAt ?? now, updatedAt: now, ...(input.deleteHistory ? { messageCount: 0 } : {}) })
    .where(and(eq(sessions.id, found.session.id), eq(sessions.orgId, ctx.principal.orgId)));
  if (found.session.status !== "ended") {
    await sessionEnded(ctx, { harnessId: found.harness.id, harnessSlug: found.harness.slug, sessionId: found.session.id });
  }
}

/** sessions.fork result: the new session, where it came from and how many messages it copied. */
export interface ForkResult extends FoundSession {
  forkedFrom: string;
  messageCount: number;
}

/**
 * sessions.fork — copies the history up to and including `from_message_id` (or all of it) into a new,
 * active session, atomically: the copy is one transaction in the new object, and the object is removed
 * if its index row cannot be written.
 * @throws ApiError `message_not_found` when `from_message_id` is not in the history.
 */
export async function forkSession({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string; sessionId: string; new_name?: string; from_message_id?: string }>): Promise<ForkResult> {
  const found = await findSession({ ctx, input });
  const messages = await sessionStub(ctx.env, found.session.id).messagesUpTo(input.from_message_id);
  if (!messages) {
    throw new ApiError("message_not_found", `No message ${input.from_message_id} in session ${found.session.id}.`, {
      details: { field: "body.from_message_id" },
      actions: [
        { rel: "list", operation_id: "sessions.history", href: `/v1/harnesses/${found.harness.slug}/sessions/${found.session.id}/history` },
      ],
    });
  }
  const now = nowIso();
  const row: SessionRow = {
    ...found.session,
    id: newId("session"),
    name: input.new_name ?? (found.session.name ? `${found.session.name} (fork)` : null),
    status: "active",
    messageCount: messages.length,
    forkedFrom: found.session.id,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
  const stub = sessionStub(ctx.env, row.id);
  await stub.init(
    {
      sessionId: row.id,
      orgId: row.orgId,
      harnessId: row.harnessId,
      agentId: row.agentId,
      systemPrompt: row.systemPrompt,
      status: "active",
      createdAt: now,
    },
    messages,
  );
  try {
    await ctx.db.insert(sessions).values(row);
  } catch (error) {
    await stub.destroy();
    throw error;
  }
  // A fork starts with the starter files, like a new session (files are not versioned per message).
  await seedStarterFiles(ctx, {
    harness: found.harness,
    parents: await parentChain(ctx, found.harness),
    prefix: sessionWorkspacePrefix(ctx.principal.orgId, found.harness.id, row.id),
    onlyMissing: false,
  });
  await sessionCreated(ctx, { harnessId: found.harness.id, harnessSlug: found.harness.slug, sessionId: row.id });
  return { harness: found.harness, session: row, forkedFrom: found.session.id, messageCount: messages.length };
}
