/**
 * The capability manifest (Open Harness §2.4 / §8.4), derived from the operation table: a manifest
 * operation string is listed when every operation it gates is served; a domain is supported when any of
 * its operations is. Features the runtime has that no endpoint stands for (thinking events, named
 * sessions, model switching …) are declared in {@link NATIVE_FEATURES}.
 */
import { CAPABILITY_DOMAINS, OPEN_HARNESS_OPERATIONS, type CapabilityDomain, type OperationEntry } from "./table.ts";

/** Version of the manifest vocabulary this server speaks (capability document). */
export const CAPABILITY_VERSION = "0.1.0";

/** Open Harness `DomainCapability`. */
export interface DomainCapability {
  supported: boolean;
  operations: string[];
  limitations?: string[];
}

export type CapabilityManifest = Record<CapabilityDomain, DomainCapability>;

/** The operation vocabulary per domain, in the capability document's order (spec §8.4). */
const VOCABULARY: Record<CapabilityDomain, readonly string[]> = {
  agents: ["create", "update", "delete", "clone", "export", "import"],
  skills: ["register", "install", "discover", "version", "rollback", "validate"],
  mcp: ["connect", "disconnect", "tools", "resources", "prompts"],
  execution: ["sync", "stream", "cancel", "artifacts", "tool-calls", "thinking"],
  sessions: ["create", "resume", "fork", "history", "named", "delete"],
  memory: ["blocks", "search", "archive", "cross-session", "read-only"],
  subagents: ["spawn", "delegate", "terminate", "result", "custom"],
  files: ["read", "write", "delete", "search", "upload", "download"],
  hooks: ["pre-tool", "post-tool", "stop", "custom", "events"],
  planning: ["todos", "task-tracking", "update"],
  models: ["multi-model", "model-list", "model-switch"],
};

/** Strings that stand for another string's endpoints (`install` is what `register` does, §8.4). */
const SAME_AS: Partial<Record<CapabilityDomain, Record<string, string>>> = { skills: { install: "register" } };

/**
 * What the native runtime can do beyond its endpoints: `thinking` events, `named` sessions, session
 * `delete` (end with history removal), memory that persists per agent across sessions (`cross-session`)
 * with `read-only` blocks, `custom` subagents (own instructions, model and tools), several models and
 * switching per request.
 */
export const NATIVE_FEATURES: Partial<Record<CapabilityDomain, readonly string[]>> = {
  execution: ["thinking"],
  sessions: ["named", "delete"],
  hooks: ["pre-tool", "post-tool", "stop"],
  memory: ["cross-session", "read-only"],
  subagents: ["custom"],
  models: ["multi-model", "model-switch"],
};

const entries = Object.entries(OPEN_HARNESS_OPERATIONS) as [string, OperationEntry][];

/** Manifest domain of an operation: its gate's, else its error domain when that is a manifest domain. */
function manifestDomain(op: OperationEntry): CapabilityDomain | undefined {
  if (op.capability) return op.capability[0];
  return (CAPABILITY_DOMAINS as readonly string[]).includes(op.domain) ? (op.domain as CapabilityDomain) : undefined;
}

function servedStrings(domain: CapabilityDomain): string[] {
  const features = new Set(NATIVE_FEATURES[domain] ?? []);
  const gated = (name: string) => entries.filter(([, op]) => op.capability?.[0] === domain && op.capability[1] === name);
  return VOCABULARY[domain].filter((name) => {
    if (features.has(name)) return true;
    const ops = gated(SAME_AS[domain]?.[name] ?? name);
    return ops.length > 0 && ops.every(([, op]) => op.served);
  });
}

function buildNativeManifest(): CapabilityManifest {
  const manifest = {} as CapabilityManifest;
  for (const domain of CAPABILITY_DOMAINS) {
    const inDomain = entries.filter(([, op]) => manifestDomain(op) === domain);
    const operations = servedStrings(domain);
    const supported = operations.length > 0 || inDomain.some(([, op]) => op.served);
    const unserved = inDomain.filter(([, op]) => !op.served).map(([id]) => id);
    manifest[domain] = supported
      ? { supported, operations, ...(unserved.length ? { limitations: [`${unserved.join(", ")} not served yet (501)`] } : {}) }
      : { supported, operations, limitations: ["not served by this deployment yet"] };
  }
  return manifest;
}

const NATIVE_MANIFEST = buildNativeManifest();

/** The manifest of a harness of `kind`: native harnesses get what the runtime serves, registry harnesses nothing. */
export function manifestFor(kind: string): CapabilityManifest {
  const manifest = {} as CapabilityManifest;
  for (const domain of CAPABILITY_DOMAINS) {
    const native = NATIVE_MANIFEST[domain];
    manifest[domain] =
      kind === "native"
        ? {
            supported: native.supported,
            operations: [...native.operations],
            ...(native.limitations ? { limitations: [...native.limitations] } : {}),
          }
        : {
            supported: false,
            operations: [],
            limitations: ["registry-only harness: it is listed here and executes nothing on EdgeHarness"],
          };
  }
  return manifest;
}
