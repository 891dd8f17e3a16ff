import { ApiError } from "../../errors/api-error.ts";
import { CAPABILITY_CATALOG, unknownCapabilityRefs } from "../../runtime/tools/sources/capability-refs.ts";

/**
 * Refuses capability refs this deployment cannot run, naming them and the catalog — a harness must
 * not promise its agent a tool that would silently be missing.
 * @throws ApiError `validation_error` with `details.field = body.capability_refs`.
 */
export function assertKnownCapabilityRefs(refs: { ref: string }[]): void {
  const unknown = unknownCapabilityRefs(refs);
  if (unknown.length === 0) return;
  throw new ApiError(
    "validation_error",
    `Unknown capability ref(s): ${unknown.join(", ")}. Available: ${Object.keys(CAPABILITY_CATALOG).join(", ")}.`,
    {
      details: { field: "body.capability_refs", unknown, available: Object.keys(CAPABILITY_CATALOG) },
      actions: [{ rel: "fix-input", hint: `Use refs from: ${Object.keys(CAPABILITY_CATALOG).join(", ")}.` }],
    },
  );
}
