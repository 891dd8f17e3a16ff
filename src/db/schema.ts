/**
 * D1 schema (drizzle). Migrations in `migrations/` are generated from this file (one module per area in `schema/`, re-exported here) by drizzle-kit
 * (`npm run db:generate`) and applied identically by `npm start` and by the tests.
 *
 * Conventions: ids are typed and time-ordered (`lib/ids.ts`); timestamps are ISO 8601 text (UTC);
 * JSON columns hold documented shapes; every tenant table carries `org_id` and every query filters on it.
 */
export * from "./schema/tenancy.ts";
export * from "./schema/harnesses.ts";
export * from "./schema/runs.ts";
export * from "./schema/identity.ts";
export * from "./schema/limits.ts";
export * from "./schema/webhooks.ts";
export * from "./schema/conformance.ts";
export * from "./schema/workspace.ts";
export * from "./schema/hooks.ts";
export * from "./schema/mcp.ts";
export * from "./schema/tools.ts";
export * from "./schema/console.ts";
export * from "./schema/memory.ts";
export * from "./schema/subagents.ts";
export * from "./schema/skills.ts";
