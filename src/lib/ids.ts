/**
 * Typed, prefixed, time-ordered identifiers from one prefix map.
 *
 * Shape: `<prefix>_<32 lowercase hex>` where the hex is a UUIDv7 (RFC 9562 §5.7) without dashes:
 * the first 48 bits are the Unix time in ms, so ids sort by creation time as plain strings.
 */

/** The one prefix map: every entity kind and the prefix its ids carry. */
export const ID_PREFIXES = {
  organization: "org",
  apiKey: "key",
  harness: "harness",
  agent: "agent",
  execution: "exec",
  toolCall: "tc",
  artifact: "art",
  credential: "cred",
  request: "req",
  session: "sess",
  message: "msg",
  skill: "skill",
  event: "evt",
  user: "user",
  membership: "mem",
  webSession: "web",
  grant: "grant",
  client: "client",
  usage: "use",
  delivery: "dlv",
  conformanceRun: "crun",
  hook: "hook",
  webhook: "whk",
  mcpServer: "mcp",
  tool: "tool",
  memoryBlock: "mblk",
  archiveEntry: "marc",
  subagent: "sub",
  planTask: "task",
  skillVersion: "skv",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const HEX = "0123456789abcdef";

/** A UUIDv7 as 32 lowercase hex characters (RFC 9562 §5.7): 48-bit ms timestamp, version 7, variant 10. */
export function uuidV7Hex(nowMs: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let ts = nowMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let out = "";
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

/** Mint a new id of the given kind, e.g. `newId("harness")` → `harness_0193…` (38 chars). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${uuidV7Hex()}`;
}

/** True when `value` is shaped like an id of `kind` (prefix plus 32 lowercase hex). */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && /^[0-9a-f]{32}$/.test(value.slice(prefix.length));
}
