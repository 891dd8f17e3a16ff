/**
 * Organization API keys: `eh_sk_<key id hex>_<secret>`.
 * The key id locates the row; only SHA-256(secret) is stored and it is compared in constant time,
 * so neither a database leak nor response timing reveals a usable key.
 */
import type { Db } from "../db/index.ts";
import { apiKeys } from "../db/schema.ts";
import { randomToken, sha256Hex, timingSafeEqualString } from "../lib/crypto.ts";
import { ID_PREFIXES, isId, newId } from "../lib/ids.ts";
import { nowIso } from "../lib/time.ts";
import type { Principal } from "./principal.ts";
import { liveApiKey } from "./revocation.ts";

const KEY_PREFIX = "eh_sk_";

/** A freshly minted key: `secret` is the full bearer token, shown once and never stored. */
export interface MintedApiKey {
  id: string;
  token: string;
}

/** Mints a key for `orgId` and stores its digest. Returns the bearer token (shown to the user once). */
export async function mintApiKey(db: Db, orgId: string, name: string, scopes: string[] = ["*"]): Promise<MintedApiKey> {
  const id = newId("apiKey");
  const secret = randomToken(32);
  await db.insert(apiKeys).values({
    id,
    orgId,
    name,
    secretHash: await sha256Hex(secret),
    scopes,
    createdAt: nowIso(),
  });
  return { id, token: `${KEY_PREFIX}${id.slice(ID_PREFIXES.apiKey.length + 1)}_${secret}` };
}

/**
 * Resolves a bearer token to a service principal, or `undefined` when the token is not a live key.
 * A key revoked elsewhere stops working within `REVOCATION_CHECK_TTL_MS` (`revocation.ts`).
 * Never throws for malformed input.
 */
export async function verifyApiKey(db: Db, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(KEY_PREFIX)) return undefined;
  const rest = token.slice(KEY_PREFIX.length);
  const sep = rest.indexOf("_");
  if (sep !== 32) return undefined;
  const id = `${ID_PREFIXES.apiKey}_${rest.slice(0, sep)}`;
  const secret = rest.slice(sep + 1);
  if (!isId("apiKey", id) || secret.length === 0 || secret.length > 128) return undefined;
  const row = await liveApiKey(db, id);
  // Hash even when the row is missing so both paths cost the same.
  const digest = await sha256Hex(secret);
  if (!row || !timingSafeEqualString(digest, row.secretHash)) return undefined;
  return { kind: "service", orgId: row.orgId, subject: id, scopes: row.scopes, via: "api_key" };
}
