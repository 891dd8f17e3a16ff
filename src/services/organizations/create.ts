import { mintApiKey, type MintedApiKey } from "../../auth/api-keys.ts";
import type { Db } from "../../db/index.ts";
import { organizations } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";

/** A new organization and its first API key (full access). */
export interface CreatedOrganization {
  orgId: string;
  apiKey: MintedApiKey;
}

/**
 * Creates an organization with one full-access API key. Used by `npm start`'s local seed and by the
 * sign-up flow (later); there is no public route for it yet.
 */
export async function createOrganization(db: Db, name: string): Promise<CreatedOrganization> {
  const orgId = newId("organization");
  const now = nowIso();
  await db.insert(organizations).values({ id: orgId, name, createdAt: now, updatedAt: now });
  const apiKey = await mintApiKey(db, orgId, "default");
  return { orgId, apiKey };
}
