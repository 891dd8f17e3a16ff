import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";

/** Tags (one per Open Harness domain served) with descriptions, in document order. */
export const TAGS = [
  { name: "Harness Registry", description: "Open Harness domain 1: register harnesses, configure them, check health and credentials." },
  { name: "Agents", description: "Open Harness domain 2: agents imported from Open Agent Format packages." },
  {
    name: "Skills",
    description:
      "Open Harness domain 3: Agent Skills folders registered per harness, every upload an immutable version (content hash, size, uploader), rollback, validation with file and line, discovery.",
  },
  { name: "Execution", description: "Open Harness domain 6: run agents with live, resumable event streams." },
  { name: "Sessions", description: "Open Harness domain 7: persistent conversations over WebSockets, SSE and plain HTTP." },
  {
    name: "Files",
    description:
      "Open Harness domain 10: the workspace the agent's file tools use (R2 objects beside a path index); `session_id` addresses a session's own workspace.",
  },
  {
    name: "Hooks & Events",
    description:
      "Open Harness domain 11: hooks on the harness's events (pre_tool hooks can block a call), its live event stream and webhooks.",
  },
  {
    name: "Webhook deliveries",
    description: "Management API (`/api/v1`): the deliveries of a harness's webhooks — what failed for good, and sending it again.",
  },
  {
    name: "Memory",
    description:
      "Open Harness domain 8: an agent's core-memory blocks (rendered into its system prompt, each with a character limit) and its archive, full-text searchable, exported and imported as ZIP.",
  },
  {
    name: "Subagents",
    description:
      "Open Harness domain 9: children of an agent with their own instructions, model and tools; each delegated task is an execution linked to its parent.",
  },
  {
    name: "Planning",
    description: "Open Harness domain 12: an execution's plan (its todo list), kept by the run and streamed as it changes.",
  },
  {
    name: "Harness definitions",
    description:
      "The Everruns-style view of harnesses (system prompt, capability refs, model, files, MCP servers, network policy, inheritance) and the catalog of capability refs.",
  },
  {
    name: "Conformance and diagnostics",
    description:
      "Open Harness domain 13: certify a harness against the conformance checklist over HTTP (runs in their own Durable Objects, streamed resumably).",
  },
  { name: "Not served yet", description: "Operations of the Open Harness API this deployment answers with 501 for now." },
  {
    name: "Usage and limits",
    description: "Management API (`/api/v1`): the usage ledger and the organization's daily request quota and token budget.",
  },
  {
    name: "Organization",
    description: "Management API (`/api/v1`): the organization's name and default model. Everyone reads; owners and admins write.",
  },
  {
    name: "Members and invitations",
    description:
      "Management API (`/api/v1`): members and their roles (owner, admin, member), invitations by email, and the invitee's answer. An organization always keeps an owner.",
  },
  {
    name: "API keys",
    description: "Management API (`/api/v1`): organization API keys (`eh_sk_…`), the token shown once; revoked keys stop at once.",
  },
  {
    name: "Machine clients",
    description:
      "Management API (`/api/v1`): confidential OAuth clients for `client_credentials`, acting as the organization's service principal.",
  },
  {
    name: "Assistant",
    description: "External API (`/api/external/v1`): one-request, non-streaming chat with the organization's assistant.",
  },
  {
    name: "MCP Servers",
    description:
      "Open Harness domain 4: the harness as an MCP client — remote servers over Streamable HTTP or HTTP+SSE, with no auth, static headers / API keys (sealed) or OAuth; scoped to harnesses and agents, inherited by child harnesses.",
  },
  {
    name: "Tools",
    description:
      "Open Harness domain 5: every tool a run could use (built-in, MCP, custom webhook tools), custom tool registration, and running a tool outside an execution.",
  },
];

let cached: unknown;

/**
 * The OpenAPI 3.1 document, generated from the route definitions once per isolate. Multi-segment path
 * parameters are routed as `{path{.+}}` (`routes/operation-route.ts`) and documented as `{path}`.
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>): unknown {
  cached ??= documentPaths(
    app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "EdgeHarness API",
        version: "0.1.0",
        description:
          "The Open Harness API (spec 0.2.0) served by EdgeHarness on Cloudflare. Errors are RFC 9457 problem details with a stable `code`, `allowed_actions` and the Open Harness `error` envelope.",
      },
      tags: TAGS,
    }),
  );
  return cached;
}

function documentPaths<D extends { paths?: Record<string, unknown> }>(doc: D): D {
  if (!doc.paths) return doc;
  doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path.replace(/\{(\w+)\{[^}]*\}\}/g, "{$1}"), item]));
  return doc;
}
