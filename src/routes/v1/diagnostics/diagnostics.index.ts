import { createRouter } from "../../../context.ts";
import { postStreamTwin } from "../../sse.ts";
import * as handlers from "./diagnostics.handlers.ts";
import * as routes from "./diagnostics.routes.ts";
import { StreamLogsBody } from "./diagnostics.schemas.ts";

/** Open Harness domain 13 — diagnostics (3 endpoints). */
export const diagnosticsRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.logs, handlers.logs)
  .openapi(routes.streamLogs, handlers.streamLogs);

// diagnostics.streamLogs also as POST with a JSON body (spec §9.1 #3), documented on the GET route.
postStreamTwin(diagnosticsRouter, "diagnostics.streamLogs", StreamLogsBody, '{"level": "warn"}', handlers.streamLogsPost);
