/**
 * The capability manifest of a harness (Open Harness §2.4 / §8.4) and the 501 gate on it. The
 * manifest itself is derived from the operation table (`operations/manifest.ts`): anything not listed
 * answers 501 `capability_not_supported`.
 */
import { ApiError } from "../../errors/api-error.ts";
import { manifestFor, type CapabilityManifest } from "../../operations/manifest.ts";
import type { CapabilityDomain } from "../../operations/table.ts";
import type { HarnessRow } from "./find.ts";

/** The manifest for `harness`: native harnesses get what the runtime serves, registry harnesses nothing. */
export function capabilityManifest(harness: Pick<HarnessRow, "kind">): CapabilityManifest {
  return manifestFor(harness.kind);
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
