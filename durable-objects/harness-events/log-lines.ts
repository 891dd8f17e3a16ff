/**
 * The log line each harness event leaves in the harness's log (diagnostics.logs / streamLogs), so that
 * what is recorded as an event is logged in one place — here — and never twice by its producers.
 * Message contents are not copied into the log: a `session.message` line carries its length only.
 */
import type { JsonObject } from "../../src/lib/json.ts";
import type { HarnessEvent, LogInput } from "./harness-events.protocol.ts";

function pick(data: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of keys) if (data[key] !== undefined && data[key] !== null) out[key] = data[key]!;
  return out;
}

function hookLine(event: Extract<HarnessEvent, { type: "hook.triggered" }>): LogInput {
  const data = event.data;
  const context: JsonObject = {
    hook_id: event.hook_id,
    event: event.event,
    ...pick(data, ["execution_id", "session_id", "tool_call_id", "delivery_id"]),
  };
  const tool = (data.tool as { name?: string } | undefined)?.name;
  if (tool) context.tool = tool;
  if (typeof data.refused === "string") {
    return { level: "warn", message: `hook ${event.hook_id} (${event.event}) not called: ${data.refused}`, context };
  }
  const decision = data.decision as { action?: string; by?: string; reason?: string; error?: string } | undefined;
  if (decision) {
    context.decision = decision as JsonObject;
    const level = decision.by === "on_error" ? "warn" : "info";
    const why = decision.reason ? `: ${decision.reason}` : decision.error ? ` (${decision.error})` : "";
    return { level, message: `pre_tool hook ${event.hook_id} ${decision.action ?? "answered"} ${tool ?? "a tool call"}${why}`, context };
  }
  return { level: "info", message: `hook ${event.hook_id} fired on ${event.event}`, context };
}

/** The log line of `event`. */
export function logLineFor(event: HarnessEvent): LogInput {
  switch (event.type) {
    case "hook.triggered":
      return hookLine(event);
    case "execution.started":
      return {
        level: "info",
        message: `execution ${event.execution_id} started`,
        context: { execution_id: event.execution_id, agent_id: event.agent_id, session_id: event.session_id },
      };
    case "execution.completed": {
      const context: JsonObject = { execution_id: event.execution_id, status: event.status, session_id: event.session_id };
      if (event.error) Object.assign(context, { code: event.error.code, error: event.error.message });
      if (event.status === "failed")
        return { level: "error", message: `execution ${event.execution_id} failed: ${event.error?.message ?? "no reason given"}`, context };
      return { level: "info", message: `execution ${event.execution_id} ${event.status}`, context };
    }
    case "session.created":
      return { level: "info", message: `session ${event.session_id} created`, context: { session_id: event.session_id } };
    case "session.ended":
      return { level: "info", message: `session ${event.session_id} ended`, context: { session_id: event.session_id } };
    case "session.message":
      return {
        level: "debug",
        message: `session ${event.session_id}: ${event.role} message (${event.content.length} characters)`,
        context: {
          session_id: event.session_id,
          role: event.role,
          ...(event.message_id ? { message_id: event.message_id } : {}),
          ...(event.execution_id ? { execution_id: event.execution_id } : {}),
        },
      };
    case "skill.installed":
      return { level: "info", message: `skill ${event.skill_id} installed`, context: { skill_id: event.skill_id } };
    case "skill.uninstalled":
      return { level: "info", message: `skill ${event.skill_id} uninstalled`, context: { skill_id: event.skill_id } };
    case "error":
      return { level: "error", message: event.message, context: { code: event.code } };
  }
}
