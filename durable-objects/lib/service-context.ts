/**
 * The one factory of the service context a Durable Object acts with when it calls business verbs for
 * work a request accepted earlier (a session starting its next turn, a run recording usage, a tool
 * reading its organization): an internal principal of the organization, a fresh request id for logs,
 * and a logger bound to it.
 */
import type { Principal } from "../../src/auth/principal.ts";
import { getConfig } from "../../src/config.ts";
import { createDb } from "../../src/db/index.ts";
import { newId } from "../../src/lib/ids.ts";
import { createLogger, type LogFields } from "../../src/lib/log.ts";
import type { AuthedContext } from "../../src/services/context.ts";

/** Origin used for absolute URLs built inside Durable Objects (no request to take one from). */
export const INTERNAL_ORIGIN = "https://edgeharness.internal";

/**
 * A context acting for `orgId` as `subject` (e.g. `session:sess_…`, `execution:exec_…`), with every
 * scope of the organization — the request that led here was authorised already.
 */
export function internalServiceContext(env: Env, input: { orgId: string; subject: string; log?: LogFields }): AuthedContext {
  const config = getConfig(env);
  const requestId = newId("request");
  const principal: Principal = { kind: "service", orgId: input.orgId, subject: input.subject, scopes: ["*"], via: "internal" };
  return {
    db: createDb(env.DB),
    env,
    config,
    requestId,
    origin: config.publicOrigin ?? INTERNAL_ORIGIN,
    principal,
    log: createLogger({ request_id: requestId, org_id: input.orgId, actor: input.subject, ...input.log }),
  };
}
