import { OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { Principal } from "./auth/principal.ts";
import { validationHook } from "./errors/handlers.ts";
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

/** A router whose validation failures become `validation_error` problem bodies naming the field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
}
