import type { Principal } from "../auth/principal.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/index.ts";
import type { Logger } from "../lib/log.ts";

/** The surfaces a request can be charged through (also the `surface` of usage ledger rows). */
export const USAGE_SURFACES = ["chat", "mcp", "execution"] as const;
export type UsageSurface = (typeof USAGE_SURFACES)[number];

/**
 * What one request has been charged. `ServiceContext.meter` holds one per HTTP request: the first
 * `chargeRequest` (`limits/quota.ts`) fills `charged`, later calls in the same request do nothing.
 */
export interface RequestMeter {
  charged?: { surface: UsageSurface; subject: string };
}

/**
 * What every business verb receives as `ctx`: the database, bindings, configuration and the caller.
 * Built once per request by `middleware/services.ts`; never module-level.
 */
export interface ServiceContext {
  db: Db;
  env: Env;
  config: Config;
  /** The request id (`req_…`), for logs. */
  requestId: string;
  /** Structured logger bound to the request id (never given secrets). */
  log: Logger;
  /** Origin of the request (`https://host`), used to build absolute URLs. */
  origin: string;
  /**
   * What this request has been charged (`services/limits/quota.ts`): one holder per request, shared by
   * every context derived from it, so a request is counted once however many verbs try to charge it.
   * Absent in contexts built by Durable Objects (they charge explicitly).
   */
  meter?: RequestMeter;
  /**
   * Reads already made while serving this request (`harness:<org>:<ref>` → its row), so a middleware and
   * the handler after it do not read the same row twice. Per request; absent where nothing is shared.
   */
  memo?: Map<string, unknown>;
}

/** A {@link ServiceContext} with an authenticated principal (every tenant verb needs one). */
export interface AuthedContext extends ServiceContext {
  principal: Principal;
}

/** The uniform signature of a business verb: `verb({ ctx, input })`. */
export interface VerbArgs<C extends ServiceContext, I> {
  ctx: C;
  input: I;
}
