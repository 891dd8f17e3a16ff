/**
 * The capability manifest (Open Harness §2.4 / §8.4): per domain, exactly the operations this
 * deployment serves for a harness. Anything not listed answers 501 `capability_not_supported`.
 */
import { ApiError } from "../../errors/api-error.ts";
import type { HarnessRow } from "./find.ts";

/** The 11 manifest domains, in spec order. */
export const CAPABILITY_DOMAINS = [
  "agents",
  "skills",
  "mcp",
  "execution",
  "sessions",
  "memory",
  "subagents",
  "files",
  "hooks",
  "planning",
  "models",
] as const;

export type CapabilityDomain = (typeof CAPABILITY_DOMAINS)[number];

/** Open Harness `DomainCapability`. */
export interface DomainCapability {
  supported: boolean;
  operations: string[];
  limitations?: string[];
}

export type CapabilityManifest = Record<CapabilityDomain, DomainCapability>;

/** Version of the manifest vocabulary this server speaks (capability document). */
export const CAPABILITY_VERSION = "0.1.0";

/** What the native runtime serves today, per domain (operation strings from spec §8.4). */
const NATIVE: Partial<Record<CapabilityDomain, DomainCapability>> = {
  agents: {
    supported: true,
    operations: ["import"],
    limitations: ["agents.create, update, delete, clone and export are not served yet (501)"],
  },
  execution: {
    supported: true,
    operations: ["sync", "stream", "cancel", "artifacts", "tool-calls", "thinking"],
  },
  sessions: { supported: true, operations: ["create", "resume", "fork", "history", "named", "delete"] },
  models: { supported: true, operations: ["multi-model", "model-switch"] },
};

/** The manifest for `harness`: native harnesses get what the runtime serves, registry harnesses nothing. */
export function capabilityManifest(harness: Pick<HarnessRow, "kind">): CapabilityManifest {
  const manifest = {} as CapabilityManifest;
  for (const domain of CAPABILITY_DOMAINS) {
    const served = harness.kind === "native" ? NATIVE[domain] : undefined;
    manifest[domain] = served
      ? {
          supported: served.supported,
          operations: [...served.operations],
          ...(served.limitations ? { limitations: [...served.limitations] } : {}),
        }
      : {
          supported: false,
          operations: [],
          limitations: [
            harness.kind === "native"
              ? "not served by this deployment yet"
              : "registry-only harness: it is listed here and executes nothing on EdgeHarness",
          ],
        };
  }
  return manifest;
}

/** Throws 501 `capability_not_supported` unless `harness` serves `operation` of `domain`. */
export function assertCapability(
  harness: Pick<HarnessRow, "kind" | "slug">,
  domain: CapabilityDomain,
  operation: string,
  operationId: string,
): void {
  const cap = capabilityManifest(harness)[domain];
  if (cap.supported && cap.operations.includes(operation)) return;
  throw notSupported(harness.slug, domain, operationId);
}

/** The 501 problem for an operation the harness does not serve. */
export function notSupported(harnessSlug: string, domain: string, operationId: string): ApiError {
  return new ApiError("capability_not_supported", `Harness ${harnessSlug} does not support ${operationId}.`, {
    domain,
    operation: operationId,
    details: { harness_id: harnessSlug, suggestion: "Read the capability manifest before calling." },
    actions: [
      {
        rel: "describedby",
        hint: "The capability manifest lists the operations this harness serves.",
        operation_id: "harnesses.capabilities",
        href: `/v1/harnesses/${harnessSlug}/capabilities`,
      },
    ],
  });
}
