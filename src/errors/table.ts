/**
 * The one error table: every stable error `code` → HTTP status, title and Open Harness domain.
 * The runtime (problem bodies) and the OpenAPI document (response components) both read it,
 * so what is documented is what is sent.
 */

/** One row of the table. */
export interface ErrorSpec {
  /** HTTP status sent for this code. */
  status: number;
  /** Short, human-readable summary (RFC 9457 `title`). */
  title: string;
}

export const ERROR_TABLE = {
  // 400 — the request is malformed.
  validation_error: { status: 400, title: "Invalid request" },
  invalid_json: { status: 400, title: "Malformed JSON body" },
  model_not_available: { status: 400, title: "Model not available" },
  context_length_exceeded: { status: 400, title: "Context length exceeded" },
  // 401 / 403 — who is calling.
  unauthorized: { status: 401, title: "Missing or invalid credentials" },
  forbidden: { status: 403, title: "Not allowed" },
  // 404 — nothing there (another organization's resource is also 404).
  route_not_found: { status: 404, title: "No such route" },
  harness_not_found: { status: 404, title: "Harness not found" },
  agent_not_found: { status: 404, title: "Agent not found" },
  execution_not_found: { status: 404, title: "Execution not found" },
  artifact_not_found: { status: 404, title: "Artifact not found" },
  session_not_found: { status: 404, title: "Session not found" },
  message_not_found: { status: 404, title: "Message not found" },
  api_key_not_found: { status: 404, title: "API key not found" },
  member_not_found: { status: 404, title: "Member not found" },
  invitation_not_found: { status: 404, title: "Invitation not found" },
  oauth_client_not_found: { status: 404, title: "OAuth client not found" },
  conformance_run_not_found: { status: 404, title: "Conformance run not found" },
  organization_not_found: { status: 404, title: "Organization not found" },
  memory_block_not_found: { status: 404, title: "Memory block not found" },
  subagent_not_found: { status: 404, title: "Subagent not found" },
  plan_task_not_found: { status: 404, title: "Plan task not found" },
  skill_not_found: { status: 404, title: "Skill not found" },
  skill_version_not_found: { status: 404, title: "Skill version not found" },
  // 405 / 409 / 410 — state.
  method_not_allowed: { status: 405, title: "Method not allowed" },
  harness_exists: { status: 409, title: "Harness already exists" },
  harness_busy: { status: 409, title: "Harness has running work" },
  harness_read_only: { status: 409, title: "Harness is read-only" },
  harness_archived: { status: 409, title: "Harness is archived" },
  agent_exists: { status: 409, title: "Agent already exists" },
  agent_busy: { status: 409, title: "Agent has active work" },
  skill_exists: { status: 409, title: "Skill already exists" },
  skill_in_use: { status: 409, title: "Skill is used by agents" },
  skill_version_conflict: { status: 409, title: "Skill version not accepted" },
  account_exists: { status: 409, title: "Account already exists" },
  member_exists: { status: 409, title: "Already a member" },
  invitation_exists: { status: 409, title: "Invitation already pending" },
  last_owner: { status: 409, title: "Organization needs an owner" },
  execution_finished: { status: 409, title: "Execution already finished" },
  execution_running: { status: 409, title: "Execution still running" },
  execution_not_waiting: { status: 409, title: "Execution is not waiting for input" },
  session_paused: { status: 409, title: "Session is paused" },
  session_ended: { status: 409, title: "Session has ended" },
  conformance_running: { status: 409, title: "A conformance run is in progress" },
  remote_not_connected: { status: 409, title: "Remote harness not connected" },
  memory_block_exists: { status: 409, title: "Memory block already exists" },
  memory_block_read_only: { status: 409, title: "Memory block is read-only" },
  subagent_exists: { status: 409, title: "Subagent already exists" },
  subagent_busy: { status: 409, title: "Subagent is running a task" },
  subagent_idle: { status: 409, title: "Subagent has no task" },
  execution_ended: { status: 410, title: "Execution already completed" },
  stream_expired: { status: 410, title: "Stream no longer retained" },
  // 413 / 414 / 415 / 422 — the payload.
  payload_too_large: { status: 413, title: "Payload too large" },
  uri_too_long: { status: 414, title: "URI too long" },
  upgrade_required: { status: 426, title: "WebSocket upgrade required" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  invalid_package: { status: 422, title: "Invalid agent package" },
  invalid_skill: { status: 422, title: "Invalid skill bundle" },
  harness_not_executable: { status: 422, title: "Harness cannot execute" },
  memory_block_limit_exceeded: { status: 422, title: "Memory block limit exceeded" },
  memory_limit_exceeded: { status: 422, title: "Memory limit exceeded" },
  invalid_memory_snapshot: { status: 422, title: "Invalid memory snapshot" },
  // 429 — limits.
  rate_limited: { status: 429, title: "Rate limit exceeded" },
  // 5xx — our side or the harness's.
  internal_error: { status: 500, title: "Internal server error" },
  capability_not_supported: { status: 501, title: "Capability not supported" },
  upstream_unavailable: { status: 503, title: "Upstream unavailable" },
  // Files (workspace), hooks and webhooks (domains 10–11).
  invalid_path: { status: 400, title: "Invalid workspace path" },
  invalid_pattern: { status: 400, title: "Invalid search pattern" },
  file_not_found: { status: 404, title: "File not found" },
  hook_not_found: { status: 404, title: "Hook not found" },
  webhook_not_found: { status: 404, title: "Webhook not found" },
  delivery_not_found: { status: 404, title: "Delivery not found" },
  file_exists: { status: 409, title: "File already exists" },
  file_read_only: { status: 409, title: "File is read-only" },
  is_a_directory: { status: 409, title: "Path is a directory" },
  not_a_directory: { status: 409, title: "Path is not a directory" },
  directory_not_empty: { status: 409, title: "Directory not empty" },
  file_conflict: { status: 409, title: "File changed concurrently" },
  delivery_in_progress: { status: 409, title: "Delivery still in progress" },
  range_not_satisfiable: { status: 416, title: "Range not satisfiable" },
  upload_rejected: { status: 422, title: "Upload batch rejected" },
  hook_handler_unsupported: { status: 422, title: "Hook handler not supported" },
  // Domains 4–5 (MCP servers, tools) and outbound network policy.
  network_blocked: { status: 422, title: "Outbound URL refused by the network policy" },
  mcp_server_not_found: { status: 404, title: "MCP server not found" },
  mcp_server_exists: { status: 409, title: "MCP server already exists" },
  mcp_server_inherited: { status: 409, title: "MCP server belongs to a parent harness" },
  mcp_server_managed: { status: 409, title: "MCP server is managed by the harness definition" },
  mcp_authorization_required: { status: 409, title: "MCP server needs authorization" },
  mcp_transport_unsupported: { status: 422, title: "MCP transport not supported on the edge" },
  mcp_oauth_callback_invalid: { status: 400, title: "Invalid OAuth callback" },
  mcp_server_unavailable: { status: 502, title: "MCP server unavailable" },
  tool_not_found: { status: 404, title: "Tool not found" },
  tool_exists: { status: 409, title: "Tool already exists" },
  tool_not_custom: { status: 409, title: "Only custom tools can be unregistered" },
  tool_handler_unsupported: { status: 422, title: "Tool handler not supported on the edge" },
  secrets_unavailable: { status: 503, title: "Credentials cannot be stored" },
} as const satisfies Record<string, ErrorSpec>;

/** A stable, snake_case error code from {@link ERROR_TABLE}. */
export type ErrorCode = keyof typeof ERROR_TABLE;
