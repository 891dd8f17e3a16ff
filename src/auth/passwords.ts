/**
 * Password hashing: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) through WebCrypto with a per-user 16-byte salt
 * and 100,000 iterations — the highest count the Workers runtime accepts (it rejects more).
 * Stored as `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`; verification is constant-time.
 */
import { fromBase64, timingSafeEqualString, toBase64Url } from "../lib/crypto.ts";

/** Iterations used for new hashes (the Workers runtime maximum). */
export const PBKDF2_ITERATIONS = 100_000;
/** Shortest password accepted at sign-up, in characters. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest password accepted, in characters (bounds the hashing work an attacker can request). */
export const MAX_PASSWORD_LENGTH = 200;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256));
}

/** Hashes `password` with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/** True when `password` matches `stored`. Malformed stored values never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const derived = await derive(password, fromBase64(salt), Number(iterations));
  return timingSafeEqualString(toBase64Url(derived), hash);
}

/** A hash of a random password: verifying against it costs the same as a real user (no user-enumeration timing). */
export const DUMMY_PASSWORD_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
