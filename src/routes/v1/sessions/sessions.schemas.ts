import { z } from "@hono/zod-openapi";
import { NetworkAccess } from "../harnesses/harnesses.schemas.ts";
import type { MessageRecord } from "../../../../durable-objects/session/session.protocol.ts";
import { BooleanQuery, PaginationQuery, paginated } from "../../../openapi/schemas.ts";
import type { SessionRow } from "../../../services/sessions/find.ts";
import { HarnessIdParam } from "../harnesses/harnesses.schemas.ts";
import { MAX_MESSAGE_CHARS, MAX_SYSTEM_PROMPT_CHARS } from "../../../lib/limits.ts";

export const SessionStatus = z.enum(["active", "paused", "ended"]).openapi("SessionStatus");

export const SessionParams = HarnessIdParam.extend({
  sessionId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "sessionId", in: "path" } }),
});

export const SessionSchema = z
  .object({
    id: z.string(),
    harness_id: z.string(),
    name: z.string().optional(),
    status: SessionStatus,
    message_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    agent_id: z.string().nullable(),
    forked_from: z.string().nullable(),
    ended_at: z.string().nullable(),
  })
  .openapi("Session");

export const SessionEnvelope = z.object({ session: SessionSchema }).openapi("SessionResponse");
export const SessionWithConnect = z.object({ session: SessionSchema, connect_url: z.string() }).openapi("SessionConnectResponse");
export const SessionPage = paginated(SessionSchema, "SessionPage");

export const CreateSessionBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    agent_id: z.string().min(1).max(100).optional(),
    skills: z.array(z.string().min(1).max(100)).max(50).optional(),
    system_prompt: z
      .string()
      .max(MAX_SYSTEM_PROMPT_CHARS)
      .optional()
      .openapi({ description: "Initial context, added to every turn's system prompt." }),
    network_access: NetworkAccess.nullable().optional().openapi({
      description: "Narrows the harness's network policy for this session's turns (allowed lists intersect, blocked lists union).",
    }),
  })
  .strict()
  .openapi("CreateSessionRequest");

export const UpdateSessionBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    status: z.enum(["active", "paused"]).optional().openapi({ description: "Pause or resume; `ended` is set by sessions.end only." }),
  })
  .strict()
  .openapi("UpdateSessionRequest");

export const ListSessionsQuery = PaginationQuery.extend({
  status: SessionStatus.optional().openapi({ description: "Filter; without it ended sessions are left out." }),
  agent_id: z.string().min(1).max(100).optional(),
});

export const EndSessionQuery = z.object({ delete_history: BooleanQuery.optional() });

export const HistoryQuery = PaginationQuery.extend({
  since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only messages created after this time (ISO 8601)." }),
});

const ToolCallSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    output: z.record(z.string(), z.unknown()).optional(),
    status: z.enum(["pending", "running", "completed", "failed"]),
  })
  .openapi("ToolCall");

export const MessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(["user", "assistant", "system"]),
    content: z.string(),
    tool_calls: z.array(ToolCallSchema).optional(),
    created_at: z.string(),
    execution_id: z.string().optional().openapi({ description: "The turn's execution." }),
    status: z.string().optional().openapi({ description: "Assistant messages: how the turn ended." }),
  })
  .openapi("Message");

export const MessagePage = paginated(MessageSchema, "MessagePage");

export const ForkBody = z
  .object({ new_name: z.string().min(1).max(100).optional(), from_message_id: z.string().min(1).max(64).optional() })
  .strict()
  .openapi("ForkSessionRequest");

export const ForkResponse = z
  .object({ session: SessionSchema, forked_from: z.string(), message_count: z.number().int() })
  .openapi("ForkSessionResponse");

export const SendMessageBody = z
  .object({ content: z.string().min(1).max(MAX_MESSAGE_CHARS) })
  .strict()
  .openapi("SendMessageRequest");
export const SendMessageResponse = z
  .object({ message: MessageSchema, response: MessageSchema, execution_id: z.string() })
  .openapi("SendMessageResponse");

/** Longest `?token=` accepted, in characters: an API key (≈ 60) or an RFC 9068 access token (≈ 800). */
export const MAX_WS_TOKEN_CHARS = 4096;

export const ConnectQuery = z.object({
  token: z.string().max(MAX_WS_TOKEN_CHARS).optional().openapi({
    description:
      "An API key or an access token for this API, for clients that cannot set headers on a WebSocket (browsers; a `bearer.<token>` subprotocol entry works too).",
  }),
  after: z
    .string()
    .regex(/^\d{1,15}$/, "must be a non-negative integer: the `seq` of the last message received")
    .optional()
    .openapi({ description: "Replay only events of the turn in progress after this seq." }),
});

/** The Open Harness `Session` view (plus agent, fork origin and end time). */
export function toSessionView(row: SessionRow, harnessSlug: string): z.infer<typeof SessionSchema> {
  return {
    id: row.id,
    harness_id: harnessSlug,
    ...(row.name ? { name: row.name } : {}),
    status: row.status as z.infer<typeof SessionStatus>,
    message_count: row.messageCount,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    agent_id: row.agentId,
    forked_from: row.forkedFrom,
    ended_at: row.endedAt,
  };
}

/** A history message as the API shows it. */
export function toMessageView(m: MessageRecord): z.infer<typeof MessageSchema> {
  return m;
}
