/**
 * `web_fetch` (capability ref `web_fetch`): GET or HEAD one URL and read it. The fetching goes through
 * the run's {@link WebPort} (network policy and SSRF rules at every redirect hop, time and size limits,
 * applied by the services); this tool turns what came back into something a model reads: HTML as
 * Markdown (node-html-markdown — the page's `<main>`/`<article>` when it has one, scripts, styles and
 * navigation left out), text and JSON as text, anything else described by its content type and size.
 */
import { NodeHtmlMarkdown } from "node-html-markdown";
import { z } from "zod";
import { ToolError } from "../contract.ts";
import { defineTool } from "../define.ts";
import type { WebFetchResponse } from "../ports.ts";

/** The capability ref that enables the tool. */
export const WEB_FETCH_REF = "web_fetch";
/** Longest text handed back to the model, in characters (the rest is cut, and the result says so). */
export const WEB_FETCH_MAX_OUTPUT_CHARS = 100_000;
/** Longest URL accepted, in characters. */
export const WEB_FETCH_MAX_URL_CHARS = 2_048;

const converter = new NodeHtmlMarkdown({ ignore: ["script", "style", "noscript", "nav", "footer", "svg", "iframe", "form"] });

const input = z.strictObject({
  url: z.string().min(1).max(WEB_FETCH_MAX_URL_CHARS).describe("The absolute http(s) URL to fetch."),
  method: z.enum(["GET", "HEAD"]).default("GET").describe("GET reads the page; HEAD only its status and headers."),
  format: z
    .enum(["markdown", "text"])
    .default("markdown")
    .describe("How an HTML page is returned: Markdown (headings, links, lists kept) or plain text."),
});

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset=([^;]+)/i.exec(contentType)?.[1]?.trim().replace(/^"|"$/g, "") ?? "utf-8";
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** The page's `<title>`, if any. */
function titleOf(html: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  return title ? NodeHtmlMarkdown.translate(title).trim() || undefined : undefined;
}

/** The readable part of a page: its `<main>` or `<article>` when it has one, else its `<body>` (or all of it). */
function readablePart(html: string): string {
  for (const tag of ["main", "article", "body"]) {
    const match = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*)</${tag}>`, "i").exec(html);
    if (match?.[1]?.trim()) return match[1];
  }
  return html;
}

function isHtml(type: string): boolean {
  return type === "text/html" || type === "application/xhtml+xml";
}

function isText(type: string): boolean {
  return type.startsWith("text/") || /^application\/([\w.+-]*\+)?(json|xml|javascript|x-ndjson|yaml|x-yaml|csv)$/.test(type);
}

/** What the model reads from a response. */
export function readResponse(response: WebFetchResponse, format: "markdown" | "text", method: "GET" | "HEAD"): Record<string, unknown> {
  const type = response.contentType.split(";")[0]!.trim().toLowerCase();
  const base: Record<string, unknown> = {
    url: response.url,
    status: response.status,
    content_type: response.contentType || null,
    ...(response.redirects.length > 1 ? { redirects: response.redirects } : {}),
  };
  if (method === "HEAD") return { ...base, headers: response.headers };
  let content: string | null;
  let title: string | undefined;
  let kind: string;
  if (isHtml(type) || (!type && /^\s*<(!doctype html|html)/i.test(decode(response.body.subarray(0, 64), "")))) {
    const html = decode(response.body, response.contentType);
    title = titleOf(html);
    const markdown = converter.translate(readablePart(html)).trim();
    content = format === "markdown" ? markdown : markdown.replace(/[*_`#>]+/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    kind = format;
  } else if (isText(type) || type === "") {
    content = decode(response.body, response.contentType);
    if (type.endsWith("json")) {
      try {
        content = JSON.stringify(JSON.parse(content), null, 2);
      } catch {
        /* keep the text as sent */
      }
    }
    kind = "text";
  } else {
    content = null;
    kind = "binary";
  }
  const cut = content !== null && content.length > WEB_FETCH_MAX_OUTPUT_CHARS;
  return {
    ...base,
    ...(title ? { title } : {}),
    format: kind,
    content: cut ? content!.slice(0, WEB_FETCH_MAX_OUTPUT_CHARS) : content,
    bytes: response.body.byteLength,
    truncated: response.truncated || cut,
    ...(kind === "binary" ? { note: `${type || "binary"} content (${response.body.byteLength} bytes) is not shown as text` } : {}),
    ...(response.truncated ? { note: "the body was longer than the size limit; only its beginning was read" } : {}),
  };
}

/** `web_fetch`: GET or HEAD a URL under the network policy, HTML read as Markdown. */
export const webFetchTool = defineTool({
  name: "web_fetch",
  description:
    "Fetch a web page or file by URL (GET, or HEAD for status and headers only). HTML comes back as Markdown (or plain text), text and JSON as text. Redirects are followed; private addresses and hosts the harness's network policy does not allow are refused.",
  inputSchema: input,
  async execute({ url, method, format }, ctx) {
    if (!ctx.web) throw new ToolError("capability_unavailable", "web_fetch cannot reach the network here.");
    const response = await ctx.web.fetch({ url, method, ...(ctx.abortSignal ? { signal: ctx.abortSignal } : {}) });
    return readResponse(response, format, method);
  },
});
