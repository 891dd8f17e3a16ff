import { createRouter } from "../../context.ts";
import { limitsRouter } from "./limits/limits.index.ts";
import { usageRouter } from "./usage/usage.index.ts";

/** The management API surface, mounted at `/api/v1`: the organization's usage ledger and limits. */
export const managementApi = createRouter().route("/", usageRouter).route("/", limitsRouter);
