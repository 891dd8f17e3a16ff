import { createRouter } from "../../../context.ts";
import * as handlers from "./files.handlers.ts";
import * as routes from "./files.routes.ts";

/**
 * Open Harness domain 10 — Files (10 operations) over the workspace the agent's file tools use.
 * Static routes (`search`, `upload`, …) and `…/{path}/download` come before the `{path}` catch-alls.
 */
export const filesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.search, handlers.search)
  .openapi(routes.upload, handlers.upload)
  .openapi(routes.uploadBatch, handlers.uploadBatch)
  .openapi(routes.downloadBatch, handlers.downloadBatch)
  .openapi(routes.mkdir, handlers.mkdir)
  .openapi(routes.download, handlers.download)
  .openapi(routes.read, handlers.read)
  .openapi(routes.write, handlers.write)
  .openapi(routes.remove, handlers.remove);
