import { createRouter } from "../../../context.ts";
import * as handlers from "./conformance.handlers.ts";
import * as routes from "./conformance.routes.ts";
import { StreamQuery } from "./conformance.schemas.ts";
import { postStreamTwin } from "../../sse.ts";

/** Open Harness domain 13 — conformance runs. */
export const conformanceRouter = createRouter()
  .openapi(routes.run, handlers.run)
  .openapi(routes.stream, handlers.stream)
  .openapi(routes.results, handlers.results)
  .openapi(routes.status, handlers.status);

// conformance.stream also as POST with a JSON body (spec §9.1 #3), documented on the GET route.
postStreamTwin(conformanceRouter, "conformance.stream", StreamQuery.strict(), '{"run_id": "crun_…"}', handlers.streamPost);
