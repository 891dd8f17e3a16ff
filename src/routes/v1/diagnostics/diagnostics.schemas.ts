import { z } from "@hono/zod-openapi";
import { LOG_LEVELS } from "../../../../durable-objects/harness-events/harness-events.protocol.ts";
import { paginated, PaginationQuery } from "../../../openapi/schemas.ts";

const Level = z.enum(LOG_LEVELS).openapi({ description: "Minimum level: `warn` gives warn and error lines." });

/** Open Harness diagnostics object (§5, domain 13), plus the fields that explain its figures. */
export const DiagnosticsSchema = z
  .object({
    harness_id: z.string(),
    version: z.string().openapi({ description: "The server's version." }),
    uptime_seconds: z.number().int().openapi({ description: "Seconds since this Worker version went up (see `up_since`, `notes`)." }),
    memory_usage_mb: z.number().openapi({ description: "Always 0: a Worker cannot read its isolate's memory use (see `notes`)." }),
    active_sessions: z.number().int().openapi({ description: "Sessions of the harness that have not ended (active or paused)." }),
    active_executions: z.number().int().openapi({ description: "Executions of the harness pending or running." }),
    connected_mcp_servers: z.number().int().openapi({ description: "MCP connections in force whose last use or check succeeded." }),
    installed_skills: z.number().int(),
    config: z.record(z.string(), z.unknown()).openapi({ description: "The configuration in force (no secrets)." }),
    version_id: z.string().nullable().openapi({ description: "This Worker version's id, when the runtime gives one." }),
    up_since: z.string().openapi({ description: "What `uptime_seconds` counts from (ISO 8601)." }),
    memory_limit_mb: z.number().openapi({ description: "Memory a Worker isolate may use." }),
    notes: z.array(z.string()).openapi({ description: "Figures a Worker cannot know, and what is reported instead." }),
  })
  .openapi("Diagnostics");

export const LogEntrySchema = z
  .object({
    timestamp: z.string(),
    level: z.enum(LOG_LEVELS),
    message: z.string(),
    context: z.record(z.string(), z.unknown()).optional().openapi({
      description: "Ids and figures: execution_id, session_id, tool, tool_call_id, hook_id, delivery_id, code, duration_ms, …",
    }),
  })
  .openapi("LogEntry");

export const LogPage = paginated(LogEntrySchema, "LogEntryPage");

export const LogsQuery = PaginationQuery.extend({
  level: Level.optional(),
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only lines after this time (ISO 8601)." }),
});

export const StreamLogsQuery = z.object({ level: Level.optional() });

/** diagnostics.streamLogs as POST (spec §9.1 #3): the same filter as a JSON body. */
export const StreamLogsBody = z.strictObject({ level: z.enum(LOG_LEVELS).optional() }).openapi("StreamLogsRequest");
