import { mintApiKey, type MintedApiKey } from "../../auth/api-keys.ts";
import type { Db } from "../../db/index.ts";
import { organizations } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { nowIso } from "../../lib/time.ts";
import { insertAssistant } from "../assistant/provision.ts";

/** A new organization and its first API key (full access); the organization has its built-in assistant. */
export interface CreatedOrganization {
  orgId: string;
  apiKey: MintedApiKey;
}

/**
 * Creates an organization with its built-in assistant harness (one D1 batch) and one full-access API
 * key. Used by the tests and tools that need an organization; sign-up (`signUp`) creates its own.
 */
export async function createOrganization(db: Db, name: string): Promise<CreatedOrganization> {
  const orgId = newId("organization");
  const now = nowIso();
  await db.batch([db.insert(organizations).values({ id: orgId, name, createdAt: now, updatedAt: now }), insertAssistant(db, orgId, now)]);
  const apiKey = await mintApiKey(db, orgId, "default");
  return { orgId, apiKey };
}
