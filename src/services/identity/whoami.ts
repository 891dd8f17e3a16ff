import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { findUser } from "./users.ts";

/** Who the caller is: the principal, its user (for delegated tokens) and its organization. */
export interface Identity {
  /** `user` for delegated OAuth tokens, `service` for API keys and client-credentials tokens. */
  kind: "user" | "service";
  /** The user id, the API key id or the client id. */
  subject: string;
  /** How the caller authenticated. */
  via: "api_key" | "oauth" | "internal";
  /** The signed-in user behind a delegated token; null for service principals. */
  user: { id: string; email: string; name: string } | null;
  organization: { id: string; name: string };
  /** Granted scopes (`*` = everything the organization may do). */
  scopes: string[];
  /** The OAuth client the token was issued to; null for API keys. */
  clientId: string | null;
}

/**
 * identity.whoami — the caller's identity as the server sees it, read from `users` and `organizations`
 * (never from the token alone, so a renamed user or organization shows its current name).
 */
export async function describeIdentity({ ctx }: VerbArgs<AuthedContext, Record<string, never>>): Promise<Identity> {
  const { principal } = ctx;
  const [user, organization] = await Promise.all([
    principal.kind === "user" ? findUser(ctx.db, principal.subject) : Promise.resolve(undefined),
    ctx.db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, principal.orgId))
      .get(),
  ]);
  return {
    kind: principal.kind,
    subject: principal.subject,
    via: principal.via,
    user: user ? { id: user.id, email: user.email, name: user.displayName } : null,
    organization: { id: principal.orgId, name: organization?.name ?? principal.orgId },
    scopes: principal.scopes,
    clientId: principal.clientId ?? null,
  };
}
