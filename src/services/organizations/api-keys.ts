/**
 * apiKeys.create / apiKeys.list / apiKeys.revoke — the organization's API keys (`api_keys`).
 *
 * The bearer token (`eh_sk_<key id hex>_<secret>`, `auth/api-keys.ts`) is returned once by create and
 * never again; the table keeps only a SHA-256 of the secret, and no verb here returns it. Revocation
 * sets `revoked_at`; a revoked key fails at once in this isolate and within `REVOCATION_CHECK_TTL_MS`
 * everywhere else (`auth/revocation.ts`).
 * A key may revoke itself (an emergency stop for a leaked key, as RFC 7009 lets a token revoke itself).
 */
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { mintApiKey } from "../../auth/api-keys.ts";
import { apiKeys } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { Page } from "../../lib/page.ts";
import { nowIso } from "../../lib/time.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { assertCanManage, assertScopesHeld, callerGrantableScopes } from "./access.ts";
import { forgetLiveCredentials } from "../../auth/revocation.ts";

/** An API key's metadata (never its secret or the secret's digest). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
}

/** Input of {@link createApiKey}: `scopes` absent = the caller's own scopes. */
export interface CreateApiKeyInput {
  name: string;
  scopes?: string[];
}

const INFO_COLUMNS = { id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt };

function notFound(keyId: string): ApiError {
  return new ApiError("api_key_not_found", `No live API key ${keyId} in this organization.`, {
    details: { key_id: keyId },
    actions: [{ rel: "list", operation_id: "apiKeys.list", hint: "List the organization's keys." }],
  });
}

/** `*` alone when present (it already means everything), otherwise the scopes once each, in request order. */
function normalizeScopes(scopes: string[]): string[] {
  return scopes.includes("*") ? ["*"] : [...new Set(scopes)];
}

/**
 * apiKeys.create — mints a key for the caller's organization.
 * @returns the key's metadata and its bearer token (shown once).
 * @throws ApiError `forbidden` for a member, or when asking for scopes the caller does not hold.
 */
export async function createApiKey({
  ctx,
  input,
}: VerbArgs<AuthedContext, CreateApiKeyInput>): Promise<{ key: ApiKeyInfo; token: string }> {
  await assertCanManage(ctx, "create API keys");
  const scopes = normalizeScopes(input.scopes ?? callerGrantableScopes(ctx));
  assertScopesHeld(ctx, scopes, "an API key");
  const minted = await mintApiKey(ctx.db, ctx.principal.orgId, input.name, scopes);
  const key = await ctx.db.select(INFO_COLUMNS).from(apiKeys).where(eq(apiKeys.id, minted.id)).get();
  if (!key) throw new Error(`API key ${minted.id} vanished after insert`);
  return { key, token: minted.token };
}

/** apiKeys.list — the organization's live (unrevoked) keys, newest first. */
export async function listApiKeys({ ctx, input }: VerbArgs<AuthedContext, { limit: number; offset: number }>): Promise<Page<ApiKeyInfo>> {
  const where = and(eq(apiKeys.orgId, ctx.principal.orgId), isNull(apiKeys.revokedAt));
  const [rows, totals] = await ctx.db.batch([
    ctx.db.select(INFO_COLUMNS).from(apiKeys).where(where).orderBy(desc(apiKeys.id)).limit(input.limit).offset(input.offset),
    ctx.db.select({ n: count() }).from(apiKeys).where(where),
  ]);
  return { items: rows, total: totals[0]?.n ?? 0, limit: input.limit, offset: input.offset };
}

/**
 * apiKeys.revoke — revokes a live key of the caller's organization (one conditional UPDATE).
 * @throws ApiError `forbidden` for a member; `api_key_not_found` for an unknown, already revoked or
 *   other organization's key.
 */
export async function revokeApiKey({ ctx, input }: VerbArgs<AuthedContext, { keyId: string }>): Promise<void> {
  await assertCanManage(ctx, "revoke API keys");
  const [revoked] = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: nowIso() })
    .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.orgId, ctx.principal.orgId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!revoked) throw notFound(input.keyId);
  forgetLiveCredentials();
}
