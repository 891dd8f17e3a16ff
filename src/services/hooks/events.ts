/**
 * Hook events: the names a hook is registered for. The spec's `HookEvent` (`pre_tool`, `post_tool`,
 * `stop`, `error`, `custom`) is stored as is; the events the spec has no value for are stored with the
 * reference client's names (`execution.start`, `session.start`, `session.end`) plus `session.message`.
 * The other spellings in use (spec §9.1 #7: the capability document's kebab case, the reference
 * client's dotted names, the conformance suite's names) are accepted as aliases of the nearest one.
 */

/** The events a hook can be registered for, as stored and shown. */
export const HOOK_EVENTS = [
  "pre_tool",
  "post_tool",
  "stop",
  "error",
  "execution.start",
  "session.start",
  "session.message",
  "session.end",
] as const;

export type HookEventName = (typeof HOOK_EVENTS)[number];

/** What fires each event (for documentation and problem messages). */
export const HOOK_EVENT_MEANING: Record<HookEventName, string> = {
  pre_tool: "before every tool call — blocking: the answer allows, denies or rewrites the call",
  post_tool: "after every tool call, with its outcome",
  stop: "when an execution ends (completed, failed or cancelled)",
  error: "when an execution fails",
  "execution.start": "when an execution starts running",
  "session.start": "when a session is created",
  "session.message": "for every message of a session (the user's, and the reply when its turn ends)",
  "session.end": "when a session ends",
};

const ALIASES: Record<string, HookEventName> = {
  "pre-tool": "pre_tool",
  "tool.before": "pre_tool",
  before_tool_call: "pre_tool",
  "post-tool": "post_tool",
  "tool.after": "post_tool",
  on_tool_call: "post_tool",
  after_tool_call: "post_tool",
  "execution.end": "stop",
  "execution.completed": "stop",
  after_execute: "stop",
  "execution.failed": "error",
  "execution.started": "execution.start",
  before_execute: "execution.start",
  "session.created": "session.start",
  "session.ended": "session.end",
};

/** The stored event for a name or alias (case-insensitive), or undefined when it is not one. */
export function canonicalHookEvent(name: string): HookEventName | undefined {
  const lower = name.trim().toLowerCase();
  if ((HOOK_EVENTS as readonly string[]).includes(lower)) return lower as HookEventName;
  return ALIASES[lower];
}

/** Every accepted spelling (for the OpenAPI description and problem bodies). */
export const HOOK_EVENT_SPELLINGS: string[] = [...HOOK_EVENTS, ...Object.keys(ALIASES)];
