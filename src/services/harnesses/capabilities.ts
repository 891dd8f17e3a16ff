/**
 * The capability manifest of a harness (Open Harness §2.4 / §8.4) and the 501 gate on it. The
 * manifest itself is derived from the operation table (`operations/manifest.ts`): anything not listed
 * answers 501 `capability_not_supported`.
 */
import { ApiError } from "../../errors/api-error.ts";
import { manifestFor, type CapabilityManifest, type DomainCapability } from "../../operations/manifest.ts";
import { CAPABILITY_DOMAINS, type CapabilityDomain } from "../../operations/table.ts";
import type { HarnessRow } from "./find.ts";

/**
 * The manifest for `harness`: native harnesses get what the runtime serves, registry harnesses nothing,
 * remote harnesses what their server declared when last read (nothing until their key is stored).
 */
export function capabilityManifest(harness: Pick<HarnessRow, "kind"> & Partial<Pick<HarnessRow, "remoteManifest">>): CapabilityManifest {
  if (harness.kind !== "remote") return manifestFor(harness.kind);
  const remote = harness.remoteManifest?.capabilities;
  const manifest = {} as CapabilityManifest;
  for (const domain of CAPABILITY_DOMAINS) {
    const declared = remote?.[domain];
    manifest[domain] = declared
      ? ({
          supported: declared.supported,
          operations: [...declared.operations],
          ...(declared.limitations ? { limitations: [...declared.limitations] } : {}),
        } satisfies DomainCapability)
      : {
          supported: false,
          operations: [],
          limitations: [
            remote
              ? "not declared by the remote server"
              : "remote harness: store its key with harnesses.validateCredentials to read its manifest",
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
