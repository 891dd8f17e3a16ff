/**
 * The Hono environment of the whole app (bindings and per-request variables) and the handler type
 * routes are written against. Types only, so middleware and routers import it without cycles.
 */
import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Principal } from "./auth/principal.ts";
import type { ServiceContext } from "./services/context.ts";

/** Hono environment of the whole app: bindings plus per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by `middleware/authenticate.ts` when the request carried valid credentials. */
    principal: Principal | undefined;
    services: ServiceContext;
  };
}

/** A handler typed by its route contract. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
