import { ApiError } from "../../errors/api-error.ts";
import { CAPABILITY_CATALOG, unknownCapabilityRefs } from "../../runtime/tools/sources/capability-refs.ts";

/**
 * Refuses capability refs this deployment cannot run, naming them and the catalog — a harness must
 * not promise its agent a tool that would silently be missing. `field` is the list's name in the
 * caller's view (`body.capability_refs` at /v1, `body.capabilities` at /api/v1); the problem names
 * the first unknown entry in it (`body.capabilities[0].ref`).
 * @throws ApiError `validation_error` with `details.field` naming the first unknown ref.
 */
export function assertKnownCapabilityRefs(refs: { ref: string }[], field = "body.capability_refs"): void {
  const unknown = unknownCapabilityRefs(refs);
  if (unknown.length === 0) return;
  const first = `${field}[${refs.findIndex((r) => r.ref === unknown[0])}].ref`;
  throw new ApiError(
    "validation_error",
    `${first}: unknown capability ref(s) ${unknown.join(", ")}. Available: ${Object.keys(CAPABILITY_CATALOG).join(", ")}.`,
    {
      details: { field: first, unknown, available: Object.keys(CAPABILITY_CATALOG) },
      actions: [{ rel: "fix-input", hint: `Use refs from: ${Object.keys(CAPABILITY_CATALOG).join(", ")}.` }],
    },
  );
}
