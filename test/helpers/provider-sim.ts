/**
 * Local LLM provider simulator used by the test suite.
 *
 * A plain `node:http` server that speaks the real wire protocols of
 *   - OpenAI Chat Completions (`POST /openai/v1/chat/completions`, streaming SSE and JSON),
 *   - Anthropic Messages (`POST /anthropic/v1/messages`, streaming SSE events and JSON),
 *   - model listing (`GET /openai/v1/models`, `GET /anthropic/v1/models`),
 * so the Worker can be exercised through the real Vercel AI SDK providers
 * (`@ai-sdk/openai`, `@ai-sdk/openai-compatible`, `@ai-sdk/anthropic`) with
 * `baseURL = ${url}/openai/v1` or `${url}/anthropic/v1`.
 *
 * Behaviour is deterministic and derived from the request only:
 *   1. last message is a tool result (OpenAI `role: "tool"`, Anthropic user message with a
 *      `tool_result` block) -> text `Tool result received: <content, first 200 chars>`, stop.
 *   2. last user text contains `use current_time` (case-insensitive) -> text `Checking the time.`
 *      followed by a `current_time` tool call with input `{}` (finish `tool_calls` / `tool_use`),
 *      provided the request offers a tool named `current_time`; otherwise text
 *      `No current_time tool offered.`.
 *   3. contains `use write_file` -> `write_file` tool call with
 *      `{"path":"notes/sim.txt","content":"written by the simulator"}`.
 *   3b. contains `use skill <name>` -> a `load_skill` tool call with `{"name": "<name>"}` (when offered).
 *   4. contains `fail please` -> HTTP 500 with the provider's error JSON.
 *   4b. contains `call <tool> with <JSON object>` -> a `<tool>` tool call with that input, provided the
 *      request offers that tool; otherwise text `No <tool> tool offered.`.
 *   5. otherwise -> `Simulated <openai|anthropic> reply to: <last user text, first 200 chars>`,
 *      streamed word by word.
 * Usage: input tokens = ceil(prompt chars / 4), output tokens = ceil(output chars / 4).
 *
 * Every request (except the `/__requests` endpoints) is recorded; `GET /__requests` returns them
 * as a JSON array and `DELETE /__requests` clears the log.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** The only API key the simulated OpenAI endpoints accept (sent as `Authorization: Bearer <key>`). */
export const SIM_OPENAI_KEY = "sim-openai-key";

/** The only API key the simulated Anthropic endpoints accept (sent as `x-api-key: <key>`). */
export const SIM_ANTHROPIC_KEY = "sim-anthropic-key";

/** Model ids returned by `GET /openai/v1/models`. Any model id is accepted by the chat endpoint. */
export const SIM_OPENAI_MODELS: readonly string[] = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini"];

/** Model ids returned by `GET /anthropic/v1/models`. Any model id is accepted by the messages endpoint. */
export const SIM_ANTHROPIC_MODELS: readonly string[] = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"];

/** Maximum characters echoed back from the user text or tool result. */
const ECHO_LIMIT = 200;

/** Arguments of the simulated `write_file` tool call. */
const WRITE_FILE_INPUT = {
  path: "notes/sim.txt",
  content: "written by the simulator",
} as const;

/** One request as seen by the simulator, as returned by `GET /__requests`. */
export interface SimRecordedRequest {
  /** HTTP method. */
  method: string;
  /** URL path without the query string, e.g. `/openai/v1/chat/completions`. */
  path: string;
  /** A subset of the request headers: only presence is recorded for credentials. */
  headers: {
    authorization: boolean;
    "x-api-key": boolean;
    "anthropic-version": string | null;
    "content-type": string | null;
  };
  /** Parsed JSON body, or `null` when there was no (valid JSON) body. */
  body: unknown;
  /** HTTP status the simulator answered with. */
  status: number;
}

/** Handle returned by {@link startProviderSimulator}. */
export interface ProviderSimulator {
  /** TCP port the simulator listens on (127.0.0.1). */
  port: number;
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server, dropping any open connections. */
  close: () => Promise<void>;
}

type Provider = "openai" | "anthropic";

type Json = Record<string, unknown>;

/** The simulator's decision for one chat/messages request. */
type Plan = { kind: "text"; text: string } | { kind: "tool"; preamble: string; toolName: string; input: Json } | { kind: "error" };

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Text of a content value that is either a string or an array of `{type:"text", text}` parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  return asArray(content)
    .filter((part): part is Json => isRecord(part) && part.type === "text")
    .map((part) => str(part.text))
    .join("\n");
}

function tokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function shortHash(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(value) ?? "")
    .digest("hex")
    .slice(0, 24);
}

/** Splits text into word-sized deltas, keeping the whitespace so the deltas concatenate back. */
function splitWords(text: string): string[] {
  const parts = text.split(/(?<=\s)/).filter((part) => part.length > 0);
  return parts.length > 0 ? parts : [text];
}

/** Splits a JSON string into (at least two, when possible) roughly equal pieces. */
function splitJson(json: string): string[] {
  const size = Math.max(1, Math.ceil(json.length / 4));
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
  return pieces;
}

/** Chooses the reply from the conversation's final state (shared by both providers). */
function plan(provider: Provider, toolResult: string | null, lastUserText: string, offeredTools: ReadonlySet<string>): Plan {
  if (toolResult !== null) {
    return {
      kind: "text",
      text: `Tool result received: ${toolResult.slice(0, ECHO_LIMIT)}`,
    };
  }
  const lowered = lastUserText.toLowerCase();
  if (lowered.includes("use current_time")) {
    if (!offeredTools.has("current_time")) return { kind: "text", text: "No current_time tool offered." };
    return {
      kind: "tool",
      preamble: "Checking the time.",
      toolName: "current_time",
      input: {},
    };
  }
  if (lowered.includes("use write_file")) {
    return {
      kind: "tool",
      preamble: "",
      toolName: "write_file",
      input: { ...WRITE_FILE_INPUT },
    };
  }
  const skill = /use skill ([a-z0-9-]+)/.exec(lowered);
  if (skill) {
    if (!offeredTools.has("load_skill")) return { kind: "text", text: "No load_skill tool offered." };
    return { kind: "tool", preamble: "", toolName: "load_skill", input: { name: skill[1]! } };
  }
  if (lowered.includes("fail please")) return { kind: "error" };
  const call = /\bcall ([A-Za-z0-9_-]+) with (\{[\s\S]*\})/.exec(lastUserText);
  if (call) {
    const toolName = call[1]!;
    if (!offeredTools.has(toolName)) return { kind: "text", text: `No ${toolName} tool offered.` };
    return { kind: "tool", preamble: "", toolName, input: JSON.parse(call[2]!) as Record<string, unknown> };
  }
  return {
    kind: "text",
    text: `Simulated ${provider} reply to: ${lastUserText.slice(0, ECHO_LIMIT)}`,
  };
}

function outputChars(p: Plan): number {
  if (p.kind === "text") return p.text.length;
  if (p.kind === "tool") return p.preamble.length + JSON.stringify(p.input).length;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Request analysis
// ---------------------------------------------------------------------------------------------

interface Analysis {
  toolResult: string | null;
  lastUserText: string;
  promptChars: number;
  tools: Set<string>;
}

function analyzeOpenAI(body: Json): Analysis {
  const messages = asArray(body.messages).filter(isRecord);
  let promptChars = 0;
  for (const message of messages) {
    promptChars += contentText(message.content).length;
    for (const call of asArray(message.tool_calls)) {
      if (isRecord(call) && isRecord(call.function)) promptChars += str(call.function.arguments).length;
    }
  }
  const last = messages.at(-1);
  const toolResult = last?.role === "tool" ? contentText(last.content) : null;
  const lastUser = messages.findLast((message) => message.role === "user");
  const tools = new Set<string>();
  for (const entry of asArray(body.tools)) {
    if (isRecord(entry) && isRecord(entry.function)) tools.add(str(entry.function.name));
  }
  return {
    toolResult,
    lastUserText: lastUser ? contentText(lastUser.content) : "",
    promptChars,
    tools,
  };
}

function anthropicBlocks(content: unknown): Json[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return asArray(content).filter(isRecord);
}

function analyzeAnthropic(body: Json): Analysis {
  const messages = asArray(body.messages).filter(isRecord);
  let promptChars = contentText(body.system).length;
  for (const message of messages) {
    for (const block of anthropicBlocks(message.content)) {
      if (block.type === "text") promptChars += str(block.text).length;
      else if (block.type === "tool_use") promptChars += JSON.stringify(block.input ?? {}).length;
      else if (block.type === "tool_result") promptChars += contentText(block.content).length;
    }
  }
  const last = messages.at(-1);
  let toolResult: string | null = null;
  if (last?.role === "user") {
    const results = anthropicBlocks(last.content).filter((block) => block.type === "tool_result");
    const final = results.at(-1);
    if (final) toolResult = contentText(final.content);
  }
  let lastUserText = "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== "user") continue;
    const text = anthropicBlocks(message.content)
      .filter((block) => block.type === "text")
      .map((block) => str(block.text))
      .join("\n");
    if (text.length > 0) {
      lastUserText = text;
      break;
    }
  }
  const tools = new Set<string>();
  for (const entry of asArray(body.tools)) if (isRecord(entry)) tools.add(str(entry.name));
  return { toolResult, lastUserText, promptChars, tools };
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function startSse(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function openaiError(message: string, type: string, code: string | null, param: string | null = null): Json {
  return { error: { message, type, param, code } };
}

function anthropicError(type: string, message: string, requestId: string): Json {
  return { type: "error", error: { type, message }, request_id: requestId };
}

function maskKey(key: string): string {
  if (key.length <= 8) return `${key.slice(0, 2)}***`;
  return `${key.slice(0, 3)}***${key.slice(-4)}`;
}

/** Returns an OpenAI 401 body when the bearer key is wrong, otherwise null. */
function checkOpenAIAuth(req: IncomingMessage): Json | null {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) {
    return openaiError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      "invalid_request_error",
      null,
    );
  }
  const key = match[1].trim();
  if (key === SIM_OPENAI_KEY) return null;
  return openaiError(
    `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    "invalid_request_error",
    "invalid_api_key",
  );
}

/** Returns `[status, body]` for a rejected Anthropic request, otherwise null. */
function checkAnthropicAuth(req: IncomingMessage, requestId: string): [number, Json] | null {
  const key = req.headers["x-api-key"];
  if (typeof key !== "string" || key.length === 0) {
    return [401, anthropicError("authentication_error", "x-api-key header is required", requestId)];
  }
  if (key !== SIM_ANTHROPIC_KEY) return [401, anthropicError("authentication_error", "invalid x-api-key", requestId)];
  if (typeof req.headers["anthropic-version"] !== "string" || req.headers["anthropic-version"].length === 0) {
    return [400, anthropicError("invalid_request_error", "anthropic-version: header is required", requestId)];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// OpenAI Chat Completions
// ---------------------------------------------------------------------------------------------

function handleOpenAIChat(res: ServerResponse, body: Json): void {
  const analysis = analyzeOpenAI(body);
  const decision = plan("openai", analysis.toolResult, analysis.lastUserText, analysis.tools);
  const id = `chatcmpl-sim${shortHash(body)}`;
  const headers = {
    "x-request-id": `req_sim${shortHash([body, "req"])}`,
    "openai-processing-ms": "1",
  };
  if (decision.kind === "error") {
    sendJson(
      res,
      500,
      openaiError(
        "The server had an error while processing your request. Sorry about that! (simulated failure: fail please)",
        "server_error",
        null,
      ),
      { ...headers, "retry-after-ms": "10" },
    );
    return;
  }
  const model = str(body.model) || "gpt-4o-mini";
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = tokens(analysis.promptChars);
  const completionTokens = tokens(outputChars(decision));
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const text = decision.kind === "text" ? decision.text : decision.preamble;
  const finishReason = decision.kind === "tool" ? "tool_calls" : "stop";
  const toolCallId = `call_sim${shortHash([body, "tool"])}`;
  const argumentsJson = decision.kind === "tool" ? JSON.stringify(decision.input) : "";

  if (body.stream !== true) {
    const message: Json = {
      role: "assistant",
      content: text.length > 0 ? text : null,
      refusal: null,
      annotations: [],
    };
    if (decision.kind === "tool") {
      message.tool_calls = [
        {
          id: toolCallId,
          type: "function",
          function: { name: decision.toolName, arguments: argumentsJson },
        },
      ];
    }
    sendJson(
      res,
      200,
      {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
        service_tier: "default",
        system_fingerprint: "fp_sim",
      },
      headers,
    );
    return;
  }

  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  startSse(res, headers);
  const chunk = (delta: Json, finish: string | null = null, extra: Json = {}): void => {
    const payload: Json = {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      service_tier: "default",
      system_fingerprint: "fp_sim",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    };
    res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };

  if (text.length > 0) {
    chunk({ role: "assistant", content: "", refusal: null });
    for (const word of splitWords(text)) chunk({ content: word });
  }
  if (decision.kind === "tool") {
    const start: Json = {
      tool_calls: [
        {
          index: 0,
          id: toolCallId,
          type: "function",
          function: { name: decision.toolName, arguments: "" },
        },
      ],
    };
    chunk(text.length > 0 ? start : { role: "assistant", content: null, ...start });
    for (const piece of splitJson(argumentsJson)) chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
  }
  if (includeUsage) {
    chunk({}, finishReason);
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, service_tier: "default", system_fingerprint: "fp_sim", choices: [], usage })}\n\n`,
    );
  } else {
    // Without stream_options.include_usage, behave like the many OpenAI-compatible servers that
    // still attach usage to the final chunk, so usage is always reported.
    chunk({}, finishReason, { usage });
  }
  res.end("data: [DONE]\n\n");
}

function handleOpenAIModels(res: ServerResponse): void {
  sendJson(res, 200, {
    object: "list",
    data: SIM_OPENAI_MODELS.map((id) => ({
      id,
      object: "model",
      created: 1715367049,
      owned_by: "system",
    })),
  });
}

// ---------------------------------------------------------------------------------------------
// Anthropic Messages
// ---------------------------------------------------------------------------------------------

function handleAnthropicMessages(res: ServerResponse, body: Json, requestId: string): void {
  const analysis = analyzeAnthropic(body);
  const decision = plan("anthropic", analysis.toolResult, analysis.lastUserText, analysis.tools);
  const headers = { "request-id": requestId };
  if (decision.kind === "error") {
    sendJson(res, 500, anthropicError("api_error", "Internal server error (simulated failure: fail please)", requestId), {
      ...headers,
      "retry-after-ms": "10",
      "x-should-retry": "true",
    });
    return;
  }
  const id = `msg_sim${shortHash(body)}`;
  const model = str(body.model) || "claude-sonnet-4-5";
  const inputTokens = tokens(analysis.promptChars);
  const outputTokens = tokens(outputChars(decision));
  const text = decision.kind === "text" ? decision.text : decision.preamble;
  const stopReason = decision.kind === "tool" ? "tool_use" : "end_turn";
  const toolUseId = `toolu_sim${shortHash([body, "tool"])}`;

  if (body.stream !== true) {
    const content: Json[] = [];
    if (text.length > 0) content.push({ type: "text", text });
    if (decision.kind === "tool") {
      content.push({
        type: "tool_use",
        id: toolUseId,
        name: decision.toolName,
        input: decision.input,
      });
    }
    sendJson(
      res,
      200,
      {
        id,
        type: "message",
        role: "assistant",
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: {
          input_tokens: inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: outputTokens,
          service_tier: "standard",
        },
      },
      headers,
    );
    return;
  }

  startSse(res, headers);
  const event = (type: string, data: Json): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  event("message_start", {
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 1,
        service_tier: "standard",
      },
    },
  });
  event("ping", {});
  let index = 0;
  if (text.length > 0) {
    event("content_block_start", {
      index,
      content_block: { type: "text", text: "" },
    });
    for (const word of splitWords(text))
      event("content_block_delta", {
        index,
        delta: { type: "text_delta", text: word },
      });
    event("content_block_stop", { index });
    index++;
  }
  if (decision.kind === "tool") {
    event("content_block_start", {
      index,
      content_block: {
        type: "tool_use",
        id: toolUseId,
        name: decision.toolName,
        input: {},
      },
    });
    event("content_block_delta", {
      index,
      delta: { type: "input_json_delta", partial_json: "" },
    });
    for (const piece of splitJson(JSON.stringify(decision.input))) {
      event("content_block_delta", {
        index,
        delta: { type: "input_json_delta", partial_json: piece },
      });
    }
    event("content_block_stop", { index });
  }
  event("message_delta", {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: {
      input_tokens: inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: outputTokens,
    },
  });
  event("message_stop", {});
  res.end();
}

function handleAnthropicModels(res: ServerResponse, requestId: string): void {
  const data = SIM_ANTHROPIC_MODELS.map((id) => ({
    type: "model",
    id,
    display_name: id,
    created_at: "2025-01-01T00:00:00Z",
  }));
  sendJson(
    res,
    200,
    {
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    },
    { "request-id": requestId },
  );
}

// ---------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------

async function route(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string, record: SimRecordedRequest): Promise<void> {
  const method = req.method ?? "GET";
  let body: unknown = null;
  let bodyError = false;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      bodyError = true;
    }
  }
  record.body = body;

  if (path.startsWith("/openai/v1/")) {
    const authError = checkOpenAIAuth(req);
    if (authError) return sendJson(res, 401, authError);
    if (method === "GET" && path === "/openai/v1/models") return handleOpenAIModels(res);
    if (method === "POST" && path === "/openai/v1/chat/completions") {
      if (bodyError || !isRecord(body)) {
        return sendJson(res, 400, openaiError("We could not parse the JSON body of your request.", "invalid_request_error", null));
      }
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        return sendJson(
          res,
          400,
          openaiError("Missing required parameter: 'messages'.", "invalid_request_error", "missing_required_parameter", "messages"),
        );
      }
      return handleOpenAIChat(res, body);
    }
    return sendJson(res, 404, openaiError(`Invalid URL (${method} ${path.slice("/openai".length)})`, "invalid_request_error", null));
  }

  if (path.startsWith("/anthropic/v1/")) {
    const requestId = `req_sim${shortHash([method, path, rawBody, Date.now(), Math.random()])}`;
    const rejection = checkAnthropicAuth(req, requestId);
    if (rejection)
      return sendJson(res, rejection[0], rejection[1], {
        "request-id": requestId,
      });
    if (method === "GET" && path === "/anthropic/v1/models") return handleAnthropicModels(res, requestId);
    if (method === "POST" && path === "/anthropic/v1/messages") {
      if (bodyError || !isRecord(body)) {
        return sendJson(res, 400, anthropicError("invalid_request_error", "Request body is not valid JSON.", requestId));
      }
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        return sendJson(res, 400, anthropicError("invalid_request_error", "messages: Field required", requestId));
      }
      if (typeof body.max_tokens !== "number") {
        return sendJson(res, 400, anthropicError("invalid_request_error", "max_tokens: Field required", requestId));
      }
      return handleAnthropicMessages(res, body, requestId);
    }
    return sendJson(res, 404, anthropicError("not_found_error", "Not found", requestId));
  }

  sendJson(res, 404, { error: `No simulator route for ${method} ${path}` });
}

/**
 * Starts the provider simulator on `127.0.0.1` with an OS-assigned port.
 *
 * @returns the port, the base URL (`http://127.0.0.1:<port>`) and a `close()` that stops it.
 */
export async function startProviderSimulator(): Promise<ProviderSimulator> {
  const requests: SimRecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const method = req.method ?? "GET";

    // A Client ID Metadata Document for the OAuth tests: its client_id is its own URL.
    if (path === "/cimd/client.json" && method === "GET") {
      req.resume();
      const self = `http://${req.headers.host}${path}`;
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=300" });
      res.end(
        JSON.stringify({
          client_id: self,
          client_name: "CIMD Test Client",
          redirect_uris: ["http://127.0.0.1:9/callback"],
          token_endpoint_auth_method: "none",
        }),
      );
      return;
    }

    if (path === "/__requests") {
      req.resume();
      if (method === "GET") return sendJson(res, 200, requests);
      if (method === "DELETE") {
        requests.length = 0;
        return sendJson(res, 200, { cleared: true });
      }
      return sendJson(res, 405, { error: "method not allowed" });
    }

    const header = (name: string): string | null => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    const record: SimRecordedRequest = {
      method,
      path,
      headers: {
        authorization: header("authorization") !== null,
        "x-api-key": header("x-api-key") !== null,
        "anthropic-version": header("anthropic-version"),
        "content-type": header("content-type"),
      },
      body: null,
      status: 0,
    };
    requests.push(record);
    res.on("finish", () => {
      record.status = res.statusCode;
    });

    readBody(req)
      .then((rawBody) => route(req, res, path, rawBody, record))
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: `simulator failure: ${String(error)}` });
        else res.end();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
