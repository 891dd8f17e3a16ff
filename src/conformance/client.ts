/**
 * The HTTP client the conformance runner drives an Open Harness server with — any server, over the
 * wire: plain `fetch` against `baseUrl` (which includes the API's base path, e.g. `https://host/v1`)
 * with a bearer token. Every exchange is remembered (bounded) so a failed check can show the observed
 * request and response.
 */

/** One request and what came back, as a failed check reports it. */
export interface Exchange {
  method: string;
  url: string;
  requestBody?: string;
  status: number;
  /** The response body, cut to {@link EXCHANGE_BODY_CHARS}. */
  responseBody: string;
}

/** Characters of a request or response body kept in an {@link Exchange}. */
export const EXCHANGE_BODY_CHARS = 2_000;
/** How long `result()` polls a running execution before giving up, in milliseconds. */
export const RESULT_WAIT_MS = 60_000;
/** How long one request may take, in milliseconds (streams: the whole stream). */
export const REQUEST_TIMEOUT_MS = 60_000;

/** A parsed response: status, headers and the JSON body (or the text when it is not JSON). */
export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** One SSE frame. */
export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: any;
}

/** What a stream yielded: its frames, the response headers, and whether it ended after a terminal event. */
export interface StreamReply {
  status: number;
  headers: Headers;
  contentType: string;
  events: SseEvent[];
  /** Milliseconds from the request to each frame, in order (incremental delivery is observable). */
  arrivals: number[];
  /** A frame whose `data` was not JSON (the raw text), if any. */
  unparsable?: string;
  problem?: any;
}

/** Options of {@link ConformanceClient}. */
export interface ClientOptions {
  /** The API base, e.g. `https://harness.example.com/v1`. */
  baseUrl: string;
  /** The bearer token (API key or access token). */
  token: string;
  /** The fetch to use (a service binding's, a test's); default global fetch. */
  fetch?: (request: Request) => Promise<Response>;
}

const cut = (text: string) => (text.length > EXCHANGE_BODY_CHARS ? `${text.slice(0, EXCHANGE_BODY_CHARS)}…` : text);

/** A small Open Harness client: JSON calls, executions waited for, SSE streams read to their end. */
export class ConformanceClient {
  readonly exchanges: Exchange[] = [];
  private readonly options: ClientOptions;
  private readonly doFetch: (request: Request) => Promise<Response>;

  // No parameter properties: Node runs the conformance CLI by stripping types only.
  constructor(options: ClientOptions) {
    this.options = options;
    this.doFetch = options.fetch ?? ((request) => fetch(request));
  }

  /** The last exchange (what a failed check shows). */
  last(): Exchange | undefined {
    return this.exchanges.at(-1);
  }

  private url(path: string): string {
    return `${this.options.baseUrl.replace(/\/+$/, "")}${path}`;
  }

  private remember(exchange: Exchange): void {
    this.exchanges.push(exchange);
    if (this.exchanges.length > 50) this.exchanges.shift();
  }

  /** Any request; `body` objects are sent as JSON. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.options.token}`, ...headers } };
    let sent: string | undefined;
    if (body !== undefined) {
      sent = typeof body === "string" ? body : JSON.stringify(body);
      init.body = sent;
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    const response = await this.doFetch(new Request(this.url(path), { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the text is the body.
    }
    this.remember({
      method,
      url: this.url(path),
      ...(sent ? { requestBody: cut(sent) } : {}),
      status: response.status,
      responseBody: cut(text),
    });
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(path: string): Promise<Reply> {
    return this.request("GET", path);
  }

  /**
   * `POST /execute` (202), then polls `GET …/result` until it is no longer 409 (running).
   * @returns the final reply of `result` (200 with `{result}`), or the refusal of `execute`.
   */
  async run(harness: string, body: Record<string, unknown>): Promise<Reply> {
    const started = await this.request("POST", `/harnesses/${harness}/execute`, body);
    if (started.status >= 300) return started;
    const id = started.body?.execution_id ?? started.headers.get("x-execution-id");
    const deadline = Date.now() + RESULT_WAIT_MS;
    for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
      const result = await this.get(`/harnesses/${harness}/executions/${id}/result`);
      if (result.status !== 409 || Date.now() > deadline) return result;
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** A streaming request read to its end (or to the timeout), frame by frame. */
  async stream(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<StreamReply> {
    const started = Date.now();
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, accept: "text/event-stream", ...headers },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    const response = await this.doFetch(new Request(this.url(path), init));
    const contentType = response.headers.get("content-type") ?? "";
    const reply: StreamReply = { status: response.status, headers: response.headers, contentType, events: [], arrivals: [] };
    if (!response.ok || !response.body) {
      const text = await response.text();
      reply.problem = (() => {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      })();
      this.remember({ method, url: this.url(path), status: response.status, responseBody: cut(text) });
      return reply;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let raw = "";
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value;
      raw += chunk.value;
      let split: number;
      while ((split = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        if (frame.startsWith(":") || frame.trim() === "") continue;
        const event: SseEvent = { id: undefined, event: undefined, data: undefined };
        for (const line of frame.split("\n")) {
          const colon = line.indexOf(":");
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
          else if (field === "data") {
            try {
              event.data = JSON.parse(value);
            } catch {
              reply.unparsable ??= value;
            }
          }
        }
        reply.events.push(event);
        reply.arrivals.push(Date.now() - started);
      }
    }
    this.remember({ method, url: this.url(path), status: response.status, responseBody: cut(raw) });
    return reply;
  }
}

/** The concatenated `text` of a stream. */
export function streamText(reply: StreamReply): string {
  return reply.events
    .filter((e) => e.data?.type === "text")
    .map((e) => String(e.data.content ?? ""))
    .join("");
}
