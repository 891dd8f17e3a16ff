/**
 * How fast a revoked credential stops working. Access tokens are stateless JWTs (RFC 9068) living 15
 * minutes, and API keys are checked against D1; reading D1 for every request would double the cost of
 * a cheap call. So each isolate remembers, for at most {@link REVOCATION_CHECK_TTL_MS}, that a grant,
 * a machine client or an API key was live when it last looked:
 *   - a revocation made through this isolate (revoke, refresh-token reuse, a replayed code, a removed
 *     member, a revoked key or client) forgets everything it remembered, so it takes effect at once here;
 *   - any other isolate notices within {@link REVOCATION_CHECK_TTL_MS} — the bound the README states.
 * Only positive answers are remembered: a revoked or unknown credential is read from D1 every time.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { apiKeys, oauthClients, oauthGrants } from "../db/schema.ts";
import { TtlCache } from "../lib/ttl-cache.ts";

/** Longest time an isolate keeps using a credential after another isolate revoked it, in milliseconds. */
export const REVOCATION_CHECK_TTL_MS = 2_000;

const liveGrants = new TtlCache<true>(REVOCATION_CHECK_TTL_MS);
const liveClients = new TtlCache<true>(REVOCATION_CHECK_TTL_MS);

/** A live API key row as last read: the digest to compare and what the key may do. */
export interface CachedApiKey {
  orgId: string;
  secretHash: string;
  scopes: string[];
}
const liveApiKeys = new TtlCache<CachedApiKey>(REVOCATION_CHECK_TTL_MS);

/** True while the OAuth grant (consent) behind a token is not revoked. */
export async function isGrantLive(db: Db, grantId: string): Promise<boolean> {
  if (liveGrants.get(grantId)) return true;
  const row = await db
    .select({ id: oauthGrants.id })
    .from(oauthGrants)
    .where(and(eq(oauthGrants.id, grantId), isNull(oauthGrants.revokedAt)))
    .get();
  if (row) liveGrants.set(grantId, true);
  return row !== undefined;
}

/** True while the OAuth client (a machine client for `client_credentials` tokens) is not revoked. */
export async function isClientLive(db: Db, clientId: string): Promise<boolean> {
  if (liveClients.get(clientId)) return true;
  const row = await db
    .select({ id: oauthClients.id })
    .from(oauthClients)
    .where(and(eq(oauthClients.id, clientId), isNull(oauthClients.revokedAt)))
    .get();
  if (row) liveClients.set(clientId, true);
  return row !== undefined;
}

/** The live API key `id` (its digest and scopes), from this isolate's memory or D1; `undefined` when revoked or unknown. */
export async function liveApiKey(db: Db, id: string): Promise<CachedApiKey | undefined> {
  const cached = liveApiKeys.get(id);
  if (cached) return cached;
  const row = await db
    .select({ orgId: apiKeys.orgId, secretHash: apiKeys.secretHash, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .get();
  if (row) liveApiKeys.set(id, row);
  return row;
}

/** Forgets every remembered answer in this isolate: call after revoking anything. */
export function forgetLiveCredentials(): void {
  liveGrants.clear();
  liveClients.clear();
  liveApiKeys.clear();
}
