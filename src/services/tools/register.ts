import { and, eq } from "drizzle-orm";
import { customTools } from "../../db/schema.ts";
import { ApiError } from "../../errors/api-error.ts";
import { newId } from "../../lib/ids.ts";
import { validateJsonSchema, type JsonSchemaObject } from "../../lib/json-schema.ts";
import { nowIso } from "../../lib/time.ts";
import { newWebhookSecret } from "../../lib/webhook-signature.ts";
import { sealString } from "../../lib/crypto.ts";
import { CAPABILITY_CATALOG } from "../../runtime/tools/sources/capability-refs.ts";
import type { AuthedContext, VerbArgs } from "../context.ts";
import { writableHarness } from "../mcp/connect.ts";
import { sealingKey } from "../secrets.ts";
import { assertOutboundAllowed, networkPolicyLayers } from "../network/policy.ts";
import type { CustomToolRow } from "./custom-port.ts";
import { toolSecretAad } from "./custom-port.ts";

/** Names a model provider accepts for a tool. */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Shortest signing secret a caller may choose, in characters. */
export const MIN_TOOL_SECRET_CHARS = 16;

/** Open Harness `ToolHandler` (+ an optional signing secret for webhooks). */
export type ToolHandlerInput = { type: "webhook"; url: string; secret?: string } | { type: "command"; command: string; args?: string[] };

/** Input of {@link registerTool} (Open Harness `tools.register` body). */
export interface RegisterToolInput {
  ref: string;
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  handler: ToolHandlerInput;
}

function invalid(field: string, detail: string, hint: string): ApiError {
  return new ApiError("validation_error", `${field}: ${detail}`, { details: { field }, actions: [{ rel: "fix-input", hint }] });
}

/**
 * tools.register — a custom tool run by a webhook: every call a signed POST (Standard Webhooks headers
 * and `X-OpenHarness-Signature`, with the returned `signing_secret`, shown only here), 30 s deadline.
 * @throws ApiError `harness_not_found`, `harness_read_only`, `validation_error` (name, schema, secret),
 *   `tool_handler_unsupported` (422, command), `network_blocked` (422, naming the rule), `tool_exists` (409),
 *   `secrets_unavailable` (503)
 */
export async function registerTool({
  ctx,
  input,
}: VerbArgs<AuthedContext, RegisterToolInput>): Promise<{ row: CustomToolRow; secret: string }> {
  const harness = await writableHarness(ctx, input.ref);
  if (input.handler.type === "command") {
    throw new ApiError(
      "tool_handler_unsupported",
      "body.handler.type: command handlers cannot run here — EdgeHarness runs on Cloudflare Workers, which start no processes. Serve the command behind an HTTPS endpoint and register it as a webhook handler.",
      {
        domain: "tools",
        operation: "tools.register",
        details: { field: "body.handler.type", handler: "command" },
        actions: [
          { rel: "fix-input", hint: 'Send {"type": "webhook", "url": "https://…"}: each call is a signed POST of the input as JSON.' },
        ],
      },
    );
  }
  if (!TOOL_NAME.test(input.name)) {
    throw invalid(
      "body.name",
      "a tool name is 1–64 ASCII letters, digits, _ or - (what model providers accept)",
      "Rename the tool, e.g. lookup_order.",
    );
  }
  const schema = input.input_schema as JsonSchemaObject;
  if (schema.type !== undefined && schema.type !== "object")
    throw invalid(
      "body.input_schema.type",
      'a tool input is an object: "type" must be "object"',
      'Use {"type": "object", "properties": {…}}.',
    );
  const probe = validateJsonSchema({ type: "object", ...schema }, {});
  if (!probe.ok && probe.issues.some((i) => i.includes("cannot be used")))
    throw invalid("body.input_schema", probe.issues[0]!, "Send a JSON Schema (2020-12) object.");
  if (input.handler.secret !== undefined && input.handler.secret.length < MIN_TOOL_SECRET_CHARS)
    throw invalid("body.handler.secret", `at least ${MIN_TOOL_SECRET_CHARS} characters`, "Omit it to have one generated.");
  const builtIn = Object.values(CAPABILITY_CATALOG)
    .flatMap((c) => c.tools)
    .find((t) => t.name === input.name);
  const conflict = (detail: string, extra: Record<string, unknown> = {}) =>
    new ApiError("tool_exists", detail, {
      domain: "tools",
      operation: "tools.register",
      details: { name: input.name, ...extra },
      actions: [{ rel: "fix-input", hint: "Choose another name." }],
    });
  if (builtIn) throw conflict(`${input.name} is the name of a built-in tool.`);
  const layers = await networkPolicyLayers(ctx, { harness });
  assertOutboundAllowed(ctx, input.handler.url, layers, "body.handler.url", { domain: "tools", operation: "tools.register" });
  const key = await sealingKey(ctx);
  const id = newId("tool");
  const secret = input.handler.secret ?? newWebhookSecret();
  const now = nowIso();
  const row: CustomToolRow = {
    id,
    orgId: ctx.principal.orgId,
    harnessId: harness.id,
    name: input.name,
    description: input.description,
    inputSchema: { type: "object", ...input.input_schema },
    handlerType: "webhook",
    url: input.handler.url,
    sealedSecret: await sealString(key, secret, toolSecretAad(id)),
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await ctx.db.insert(customTools).values(row).onConflictDoNothing().returning({ id: customTools.id });
  if (inserted.length === 0) {
    const existing = await ctx.db
      .select({ id: customTools.id })
      .from(customTools)
      .where(and(eq(customTools.harnessId, harness.id), eq(customTools.name, input.name)))
      .get();
    throw conflict(`Harness ${harness.slug} already has a custom tool named ${input.name}.`, existing ? { tool_id: existing.id } : {});
  }
  return { row, secret };
}
