import { createRouter } from "../../context.ts";
import { executionsRouter } from "./executions/executions.index.ts";
import { harnessesRouter } from "./harnesses/harnesses.index.ts";

/** The Open Harness API surface, mounted at `/v1`. */
export const v1 = createRouter().route("/", harnessesRouter).route("/", executionsRouter);
