import { createRouter } from "../../context.ts";
import { agentsRouter } from "./agents/agents.index.ts";
import { executionsRouter } from "./executions/executions.index.ts";
import { harnessesRouter } from "./harnesses/harnesses.index.ts";
import { memoryRouter } from "./memory/memory.index.ts";
import { planningRouter } from "./planning/planning.index.ts";
import { sessionsRouter } from "./sessions/sessions.index.ts";
import { subagentsRouter } from "./subagents/subagents.index.ts";
import { unsupportedRouter } from "./unsupported.ts";

/** The Open Harness API surface, mounted at `/v1`. Served routes first, then the 501 table. */
export const v1 = createRouter()
  .route("/", harnessesRouter)
  .route("/", agentsRouter)
  .route("/", executionsRouter)
  .route("/", sessionsRouter)
  .route("/", memoryRouter)
  .route("/", planningRouter)
  .route("/", subagentsRouter)
  .route("/", unsupportedRouter());
