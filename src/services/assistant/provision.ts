/**
 * The assistant: a built-in, read-only native harness every organization has (slug `assistant`),
 * behind `/api/external/v1/chat` and the MCP `chat_with_assistant` tool. Created with the organization
 * (`createOrganization`, `signUp`); organizations created before it existed get it on first chat.
 * It is copyable (harnessDefinitions.copy) but not editable: update, archive, delete and unregister
 * refuse built-ins (409 `harness_read_only`, pointing at the copy operation).
 * Its model is the organization's default model, else the deployment's (`DEFAULT_MODEL`) — and when
 * that is a scripted model (an offline deployment), `scripted/assistant`, which answers through the
 * insight tools (`services/models/resolve.ts`).
 */
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { harnesses, type CapabilityRef } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import type { HarnessRow } from "../harnesses/find.ts";

/** The assistant's slug (its Open Harness id) in every organization. */
export const ASSISTANT_SLUG = "assistant";

/** What the assistant can use: answers about the organization, delegation to its specialists, the time. */
export const ASSISTANT_CAPABILITY_REFS: CapabilityRef[] = [{ ref: "org_insights" }, { ref: "delegate_task" }, { ref: "current_time" }];

/** The assistant's instructions. */
export const ASSISTANT_SYSTEM_PROMPT = `# Assistant

You are the EdgeHarness assistant of this organization. Answer questions about the organization's own
harnesses, agents, executions and usage with your tools (list_harnesses, list_agents, recent_executions,
usage_today); never guess what they would return. When a task fits one of the organization's harnesses
or agents (the specialists), hand it over with delegate_task, then fold its result into your answer and
say who did the work. You are read-only: you cannot change harnesses, agents or settings. Reply with one
complete answer.`;

/** The row of the assistant harness of `orgId` (a fresh typed id each call). */
export function assistantHarnessRow(orgId: string, now: string = nowIso()): HarnessRow {
  return {
    id: newId("harness"),
    orgId,
    slug: ASSISTANT_SLUG,
    displayName: "Assistant",
    vendor: "EdgeHarness",
    version: null,
    description:
      "The organization's built-in assistant: answers questions about its harnesses, agents, executions and usage, and hands tasks to its agents. Read-only; copy it to customise.",
    executionType: "hosted",
    kind: "native",
    availability: "active",
    lifecycle: "active",
    config: {},
    systemPrompt: ASSISTANT_SYSTEM_PROMPT,
    capabilityRefs: ASSISTANT_CAPABILITY_REFS,
    defaultModelId: null,
    initialFiles: [],
    mcpServers: {},
    networkAccess: null,
    parentHarnessId: null,
    tags: ["built-in", "assistant"],
    isBuiltIn: true,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
    deletedAt: null,
    remoteManifest: null,
  };
}

/** The insert of `orgId`'s assistant (a no-op when the slug is taken), for a `db.batch` with the organization. */
export function insertAssistant(db: Db, orgId: string, now?: string) {
  return db.insert(harnesses).values(assistantHarnessRow(orgId, now)).onConflictDoNothing();
}

/**
 * The caller's organization's assistant, created first if the organization predates it.
 * @throws ApiError `harness_exists` (409) when the organization registered a harness of its own as `assistant`.
 */
export async function ensureAssistant({ ctx }: VerbArgs<AuthedContext, Record<string, never>>): Promise<HarnessRow> {
  const orgId = ctx.principal.orgId;
  const find = () =>
    ctx.db
      .select()
      .from(harnesses)
      .where(and(eq(harnesses.orgId, orgId), eq(harnesses.slug, ASSISTANT_SLUG), ne(harnesses.lifecycle, "deleted")))
      .get();
  let row = await find();
  if (!row) {
    await insertAssistant(ctx.db, orgId);
    row = await find();
  }
  if (!row || !row.isBuiltIn || row.lifecycle === "deleted") {
    throw new ApiError(
      "harness_exists",
      `This organization registered its own harness as \`${ASSISTANT_SLUG}\`, the id the built-in assistant needs.`,
      {
        details: { harness_id: ASSISTANT_SLUG },
        actions: [
          {
            rel: "unregister",
            hint: "Unregister that harness (copy it first under another id if you need it); the assistant is then created on the next chat.",
            operation_id: "harnesses.unregister",
            href: `/v1/harnesses/${ASSISTANT_SLUG}`,
          },
        ],
      },
    );
  }
  return row;
}
