import { CAPABILITY_CATALOG } from "../../runtime/tools/sources/capability-refs.ts";

/** One capability ref of the catalog with the tools it contributes. */
export interface CatalogEntry {
  ref: string;
  description: string;
  tools: { name: string; description: string }[];
}

/** The capability refs this deployment can run (what `capabilities` / `capability_refs` may name). */
export function capabilityCatalog(): CatalogEntry[] {
  return Object.values(CAPABILITY_CATALOG).map((c) => ({
    ref: c.ref,
    description: c.description,
    tools: c.tools.map((t) => ({ name: t.name, description: t.description })),
  }));
}
