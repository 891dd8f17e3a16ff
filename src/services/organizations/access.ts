/**
 * Who may change an organization, in one place: every management write (limits, settings, members,
 * invitations, API keys, machine clients) calls {@link assertCanManage} before touching a row.
 *
 * Authority, highest first:
 *   owner    a user whose active membership role is `owner`: everything, including roles and inviting admins
 *   admin    a user with role `admin`, or a service principal (an organization API key or machine client —
 *            those are created by admins, so they act with admin authority and never above it)
 *   member   reads only (403 on every write)
 *
 * A credential also never mints a stronger one: {@link assertScopesHeld} keeps a new API key's or machine
 * client's scopes within the caller's own.
 */
import { SCOPES } from "../../auth/scopes.ts";
import { ApiError } from "../../errors/api-error.ts";
import type { AuthedContext } from "../context.ts";
import { roleIn } from "../identity/users.ts";

/** The authority a write was allowed with: a service principal, or the user's role. */
export type ManagerRole = "service" | "owner" | "admin";

/** Every scope an API key may hold, in {@link SCOPES} order (plus `*`, which stands for all of them). */
export const GRANTABLE_SCOPES: readonly string[] = Object.values(SCOPES);

/**
 * Allows the write, or throws. `action` completes "Only an organization owner or admin can …" in the
 * problem detail. `ownerOnly` operations (changing roles, inviting admins, removing an owner) refuse
 * admins and service principals alike.
 * @returns the authority the caller holds, so a verb can refine its decision (e.g. admins cannot remove owners).
 * @throws ApiError `forbidden` (403) with `details.role` (the caller's role, `service`, or null) and `details.required_role`.
 */
export async function assertCanManage(ctx: AuthedContext, action: string, options: { ownerOnly?: boolean } = {}): Promise<ManagerRole> {
  const { principal } = ctx;
  const role = principal.kind === "service" ? "service" : await roleIn(ctx.db, principal.subject, principal.orgId);
  if (role === "owner") return role;
  if (!options.ownerOnly && (role === "admin" || role === "service")) return role;
  const required = options.ownerOnly ? ["owner"] : ["owner", "admin"];
  const detail = options.ownerOnly
    ? role === "service"
      ? `API keys and machine clients act with admin authority; only an organization owner (a signed-in user) can ${action}.`
      : `Only an organization owner can ${action}.`
    : `Only an organization owner or admin can ${action}.`;
  throw new ApiError("forbidden", detail, {
    details: { role: role ?? null, required_role: required },
    actions: [{ rel: "ask-admin", hint: `Ask an ${options.ownerOnly ? "owner" : "owner or admin"} of the organization to ${action}.` }],
  });
}

/** True when the caller holds every grantable scope (`*`, or each scope listed). */
function holdsAll(scopes: readonly string[]): boolean {
  return scopes.includes("*") || GRANTABLE_SCOPES.every((s) => scopes.includes(s));
}

/** The scopes the caller may hand on: `["*"]` for a full-access key, else its own grantable scopes. */
export function callerGrantableScopes(ctx: AuthedContext): string[] {
  const own = ctx.principal.scopes;
  if (own.includes("*")) return ["*"];
  return GRANTABLE_SCOPES.filter((s) => own.includes(s));
}

/**
 * Refuses to give a new credential a scope the caller does not hold (`*` needs all of them).
 * @throws ApiError `forbidden` (403) with `details.missing_scopes`.
 */
export function assertScopesHeld(ctx: AuthedContext, requested: readonly string[], what: string): void {
  const own = ctx.principal.scopes;
  const missing = requested.includes("*") ? (holdsAll(own) ? [] : ["*"]) : requested.filter((s) => !own.includes("*") && !own.includes(s));
  if (missing.length === 0) return;
  throw new ApiError("forbidden", `A credential cannot create ${what} with scopes it does not hold itself: ${missing.join(", ")}.`, {
    details: { missing_scopes: missing, held_scopes: callerGrantableScopes(ctx) },
    actions: [{ rel: "fix-input", hint: "Request only scopes your credentials hold, or ask a full-access credential to create it." }],
  });
}
