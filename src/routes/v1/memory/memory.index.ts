import { SCOPES } from "../../../auth/scopes.ts";
import { createRouter } from "../../../context.ts";
import { requireScope } from "../../../middleware/authenticate.ts";
import { OPEN_HARNESS_OPERATIONS } from "../../../operations/table.ts";
import * as handlers from "./memory.handlers.ts";
import * as routes from "./memory.routes.ts";

/** Open Harness domain 8 — Memory (11 operations; memory.export also as GET, spec §9.3 R1). */
export const memoryRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.listBlocks, handlers.listBlocks)
  .openapi(routes.getBlock, handlers.getBlock)
  .openapi(routes.updateBlock, handlers.updateBlock)
  .openapi(routes.createBlock, handlers.createBlock)
  .openapi(routes.deleteBlock, handlers.deleteBlock)
  .openapi(routes.search, handlers.search)
  .openapi(routes.getArchive, handlers.getArchive)
  .openapi(routes.addToArchive, handlers.addToArchive)
  .openapi(routes.exportMemory, handlers.exportMemory)
  .openapi(routes.importMemory, handlers.importMemory)
  // memory.export as GET (spec §9.3 R1), beside the documented POST.
  .get(
    OPEN_HARNESS_OPERATIONS["memory.export"].path.replace(/\{(\w+)\}/g, ":$1"),
    requireScope(SCOPES.memoryRead),
    handlers.exportMemoryGet,
  );
