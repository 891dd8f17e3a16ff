import { createRouter } from "../../../context.ts";
import * as handlers from "./skills.handlers.ts";
import * as routes from "./skills.routes.ts";

/** Open Harness domain 3 — Skills: all 11 operations. Static paths (discover, validate) before `{skillId}`. */
export const skillsRouter = createRouter()
  .openapi(routes.discover, handlers.discover)
  .openapi(routes.validate, handlers.validate)
  .openapi(routes.register, handlers.register)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.uninstall, handlers.uninstall)
  .openapi(routes.listVersions, handlers.listVersions)
  .openapi(routes.rollback, handlers.rollback)
  .openapi(routes.download, handlers.download)
  .openapi(routes.upgrade, handlers.upgrade);
