/**
 * harnesses.capabilities — the capability manifest of a harness (spec §2.4, §8.4). For a remote harness
 * it is the remote server's, read now through its stored key (and kept on the row); when the remote
 * does not answer, the one read last, saying so in a limitation.
 */
import type { CapabilityManifest } from "../../operations/manifest.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { remoteTarget } from "../remote/connection.ts";
import { refreshRemoteManifest } from "../remote/manifest.ts";
import { capabilityManifest } from "./capabilities.ts";
import { findHarness, type HarnessRow } from "./find.ts";

/** @throws ApiError `harness_not_found` */
export async function harnessManifest({
  ctx,
  input,
}: VerbArgs<AuthedContext, { ref: string }>): Promise<{ harness: HarnessRow; manifest: CapabilityManifest }> {
  let harness = await findHarness({ ctx, input });
  if (harness.kind === "remote") {
    try {
      harness = await refreshRemoteManifest(ctx, harness, (await remoteTarget(ctx, harness)).token);
    } catch (error) {
      const manifest = capabilityManifest(harness);
      if (harness.remoteManifest) {
        const note = `the remote server did not answer now (${error instanceof Error ? error.message : String(error)}); this is its manifest as read at ${harness.remoteManifest.read_at}`;
        for (const domain of Object.values(manifest)) domain.limitations = [...(domain.limitations ?? []), note];
      }
      return { harness, manifest };
    }
  }
  return { harness, manifest: capabilityManifest(harness) };
}
