/**
 * ES256 signing keys for access and ID tokens, with rotation (RFC 7517 JWKS, RFC 7515 `kid`).
 *
 * Keys live in D1 (`signing_keys`), private halves sealed with the deployment AES key. A key signs for
 * `SIGNING_KEY_PERIOD_MS`; it stays in the JWKS for `ACCESS_TOKEN_TTL_S` (+ margin) after that, so every
 * token it signed keeps verifying until it expires. Each isolate caches the key set, so verifying a
 * token needs no database read; an unknown `kid` refreshes the cache (at most every
 * `KEY_REFRESH_MIN_INTERVAL_MS`).
 */
import { exportJWK, generateKeyPair, importJWK, type CryptoKey as JoseKey, type JWK } from "jose";
import { gt } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/index.ts";
import { signingKeys } from "../db/schema.ts";
import { ApiError } from "../errors/api-error.ts";
import { importAesKey, openString, randomToken, sealString } from "../lib/crypto.ts";

/** Lifetime of access tokens, seconds (RFC 9068 tokens here are short-lived: ≤ 1 h). */
export const ACCESS_TOKEN_TTL_S = 15 * 60;
/** How long a key signs before a new one takes over. */
export const SIGNING_KEY_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;
/** Extra time a retired key stays published, beyond the longest token it may have signed. */
const PUBLISH_MARGIN_MS = 5 * 60 * 1000;
/** Cached key sets are re-read at least this often. */
const KEY_CACHE_TTL_MS = 60 * 1000;
/** An unknown `kid` re-reads the keys at most this often (so garbage tokens cannot hammer D1). */
const KEY_REFRESH_MIN_INTERVAL_MS = 10 * 1000;

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: JoseKey;
  rotatesAt: number;
  expiresAt: number;
}

interface KeySet {
  keys: Map<string, LoadedKey>;
  signing: { kid: string; privateKey: JoseKey; rotatesAt: number } | undefined;
  loadedAt: number;
}

let cache: KeySet | undefined;
let lastForcedRefresh = 0;

function requireSealKey(config: Config): string {
  if (!config.credentialsEncryptionKey) {
    throw new ApiError("upstream_unavailable", "This deployment cannot sign tokens: the CREDENTIALS_ENCRYPTION_KEY secret is not set.", {
      actions: [{ rel: "configure", hint: "Set CREDENTIALS_ENCRYPTION_KEY (base64 of 32 random bytes)." }],
    });
  }
  return config.credentialsEncryptionKey;
}

async function load(db: Db, config: Config): Promise<KeySet> {
  const now = Date.now();
  const rows = await db
    .select()
    .from(signingKeys)
    .where(gt(signingKeys.expiresAt, new Date(now).toISOString()))
    .all();
  const keys = new Map<string, LoadedKey>();
  for (const row of rows) {
    const publicJwk = row.publicJwk as JWK;
    keys.set(row.kid, {
      kid: row.kid,
      publicJwk,
      publicKey: (await importJWK(publicJwk, "ES256")) as JoseKey,
      rotatesAt: Date.parse(row.rotatesAt),
      expiresAt: Date.parse(row.expiresAt),
    });
  }
  const current = rows.filter((r) => Date.parse(r.rotatesAt) > now).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  let signing: KeySet["signing"];
  if (current) {
    const sealKey = await importAesKey(requireSealKey(config));
    const privateJwk = JSON.parse(await openString(sealKey, current.sealedPrivateJwk, current.kid)) as JWK;
    signing = { kid: current.kid, privateKey: (await importJWK(privateJwk, "ES256")) as JoseKey, rotatesAt: Date.parse(current.rotatesAt) };
  }
  return { keys, signing, loadedAt: now };
}

async function createKey(db: Db, config: Config): Promise<void> {
  const sealKey = await importAesKey(requireSealKey(config));
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `k_${randomToken(12)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const privateJwk = await exportJWK(privateKey);
  const now = Date.now();
  const rotatesAt = now + SIGNING_KEY_PERIOD_MS;
  await db.insert(signingKeys).values({
    kid,
    publicJwk,
    sealedPrivateJwk: await sealString(sealKey, JSON.stringify(privateJwk), kid),
    createdAt: new Date(now).toISOString(),
    rotatesAt: new Date(rotatesAt).toISOString(),
    expiresAt: new Date(rotatesAt + ACCESS_TOKEN_TTL_S * 1000 + PUBLISH_MARGIN_MS).toISOString(),
  });
}

/** The current key set, loading or refreshing it when stale; creates the first (or next) key when none signs. */
export async function keySet(db: Db, config: Config, force = false): Promise<KeySet> {
  const now = Date.now();
  if (!force && cache && now - cache.loadedAt < KEY_CACHE_TTL_MS && cache.signing && cache.signing.rotatesAt > now) return cache;
  let loaded = await load(db, config);
  if (!loaded.signing) {
    await createKey(db, config);
    loaded = await load(db, config);
  }
  cache = loaded;
  return loaded;
}

/** The signing key now in use. */
export async function signingKey(db: Db, config: Config): Promise<{ kid: string; privateKey: JoseKey }> {
  const set = await keySet(db, config);
  return set.signing!;
}

/** The public key for `kid`, refreshing the cache once (rate-limited) when it is unknown. */
export async function verificationKey(db: Db, config: Config, kid: string): Promise<JoseKey | undefined> {
  let set = cache ?? (await keySet(db, config));
  let key = set.keys.get(kid);
  if (!key && Date.now() - lastForcedRefresh > KEY_REFRESH_MIN_INTERVAL_MS) {
    lastForcedRefresh = Date.now();
    set = await keySet(db, config, true);
    key = set.keys.get(kid);
  }
  return key && key.expiresAt > Date.now() ? key.publicKey : undefined;
}

/** The JWKS document (RFC 7517 §5): every published public key. */
export async function jwks(db: Db, config: Config): Promise<{ keys: JWK[] }> {
  const set = await keySet(db, config);
  return { keys: [...set.keys.values()].map((k) => k.publicJwk) };
}

/** Drops the isolate's cache (tests that rotate keys underneath it). */
export function forgetCachedKeys(): void {
  cache = undefined;
  lastForcedRefresh = 0;
}
