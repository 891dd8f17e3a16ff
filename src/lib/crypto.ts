/**
 * Small WebCrypto helpers: random secrets, SHA-256, constant-time comparison and AES-GCM sealing.
 * Web APIs only (Workers and Node 22 alike).
 */

const encoder = new TextEncoder();

/** Lowercase hex of `bytes`. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Base64url (RFC 4648 §5, no padding) of `bytes`. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes standard base64 or base64url into bytes; throws on malformed input. */
export function fromBase64(value: string): Uint8Array<ArrayBuffer> {
  const normalized = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(normalized + "=".repeat((4 - (normalized.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** `byteLength` random bytes as base64url. */
export function randomToken(byteLength = 32): string {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return toBase64Url(bytes);
}

/** SHA-256 of a UTF-8 string, as lowercase hex (64 chars). */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

/**
 * Constant-time equality of two strings of equal length (compares UTF-8 bytes).
 * Different lengths return false at once; callers compare fixed-length digests, so length leaks nothing.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & {
    timingSafeEqual?: (x: ArrayBufferView, y: ArrayBufferView) => boolean;
  };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(left, right);
  let diff = 0;
  for (let i = 0; i < left.byteLength; i++) diff |= left[i]! ^ right[i]!;
  return diff === 0;
}

/** Imports a base64 32-byte key for AES-256-GCM; throws when the key is not 32 bytes. */
export async function importAesKey(base64Key: string): Promise<CryptoKey> {
  const raw = fromBase64(base64Key);
  if (raw.byteLength !== 32) throw new Error("AES key must be 32 bytes (base64 of 32 random bytes)");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * Seals `plaintext` with AES-256-GCM (NIST SP 800-38D) and a fresh 96-bit IV.
 * `associatedData` binds the ciphertext to its owner (e.g. the harness id) so it cannot be moved.
 * Returns `v1.<iv b64url>.<ciphertext b64url>`.
 */
export async function sealString(key: CryptoKey, plaintext: string, associatedData: string): Promise<string> {
  const iv = new Uint8Array(12);
  crypto.getRandomValues(iv);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(associatedData) },
    key,
    encoder.encode(plaintext),
  );
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** Opens a value produced by {@link sealString}; throws when the key, data or associated data differ. */
export async function openString(key: CryptoKey, sealed: string, associatedData: string): Promise<string> {
  const [version, iv, body] = sealed.split(".");
  if (version !== "v1" || !iv || !body) throw new Error("unknown sealed value format");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: encoder.encode(associatedData) },
    key,
    fromBase64(body),
  );
  return new TextDecoder().decode(plain);
}
