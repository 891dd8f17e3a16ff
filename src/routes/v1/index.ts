import { createRouter } from "../../context.ts";
import { agentsRouter } from "./agents/agents.index.ts";
import { conformanceRouter } from "./conformance/conformance.index.ts";
import { diagnosticsRouter } from "./diagnostics/diagnostics.index.ts";
import { executionsRouter } from "./executions/executions.index.ts";
import { filesRouter } from "./files/files.index.ts";
import { hooksRouter } from "./hooks/hooks.index.ts";
import { harnessesRouter } from "./harnesses/harnesses.index.ts";
import { mcpServersRouter } from "./mcp-servers/mcp-servers.index.ts";
import { memoryRouter } from "./memory/memory.index.ts";
import { planningRouter } from "./planning/planning.index.ts";
import { sessionsRouter } from "./sessions/sessions.index.ts";
import { remoteHarnessProxy } from "./remote-proxy.ts";
import { subagentsRouter } from "./subagents/subagents.index.ts";
import { toolsRouter } from "./tools/tools.index.ts";
import { skillsRouter } from "./skills/skills.index.ts";
import { unsupportedRouter } from "./unsupported.ts";

/** The Open Harness API surface, mounted at `/v1`. Served routes first, then the 501 table. */
export const v1 = createRouter();
// Remote harnesses: their operations go to their server (before any route of this deployment answers).
v1.use("/harnesses/:harnessId/*", remoteHarnessProxy);
v1.route("/", harnessesRouter)
  .route("/", agentsRouter)
  .route("/", executionsRouter)
  .route("/", sessionsRouter)
  .route("/", conformanceRouter)
  .route("/", diagnosticsRouter)
  .route("/", filesRouter)
  .route("/", hooksRouter)
  .route("/", mcpServersRouter)
  .route("/", toolsRouter)
  .route("/", memoryRouter)
  .route("/", planningRouter)
  .route("/", subagentsRouter)
  .route("/", skillsRouter)
  .route("/", unsupportedRouter());
