import type { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors/api-error.ts";

/** The media type essence of a `Content-Type` value (`application/json; charset=utf-8` → `application/json`). */
function essence(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** True when `received` (an essence) is acceptable for the declared media type `declared`. */
function accepts(declared: string, received: string): boolean {
  const want = declared.toLowerCase();
  if (want === "application/json") return received === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(received);
  return received === want;
}

/** The parts of a multipart form schema, required ones first, for the problem body. */
function formParts(schema: z.ZodType | undefined): { name: string; required: boolean }[] {
  const shape = (schema as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (!shape) return [];
  return Object.entries(shape)
    .map(([name, field]) => ({ name, required: !field.safeParse(undefined).success }))
    .sort((a, b) => Number(b.required) - Number(a.required));
}

/**
 * Refuses a request body whose `Content-Type` is not one the operation declares (415
 * `unsupported_media_type`, naming the media type to send and, for `multipart/form-data`, its parts),
 * before the body is parsed. A body sent without any `Content-Type` is refused the same way; an empty
 * body without one passes (the body schema then decides), and an empty JSON body is read as `{}`.
 * `createRouter` puts this in front of every
 * route that declares a request body, so no route can answer a wrong media type with anything else.
 * RFC 9110 §15.5.16.
 */
export function requireMediaType(content: Partial<Record<string, unknown>>, operationId: string | undefined) {
  const declared = Object.keys(content);
  return createMiddleware<AppEnv>(async (c, next) => {
    // `*/*`: the body is raw bytes of any type (files.write); nothing to refuse.
    if (declared.includes("*/*")) return next();
    const header = c.req.header("content-type");
    if (header !== undefined && declared.some((type) => accepts(type, essence(header)))) {
      // An empty JSON body is `{}` (spec §9.3 R10: the reference client sends Content-Type without a body).
      if (accepts("application/json", essence(header)) && (c.req.raw.body === null || c.req.header("content-length") === "0")) {
        const headers = new Headers(c.req.raw.headers);
        headers.delete("content-length");
        c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: "{}" });
      }
      return next();
    }
    if (header === undefined) {
      const raw = c.req.raw;
      const empty = raw.body === null || c.req.header("content-length") === "0" || (await c.req.arrayBuffer()).byteLength === 0;
      if (empty) return next();
    }
    const multipart = declared.includes("multipart/form-data");
    const parts = multipart ? formParts((content["multipart/form-data"] as { schema?: z.ZodType } | undefined)?.schema) : [];
    const required = parts.filter((p) => p.required).map((p) => p.name);
    const what = `${operationId ?? "This operation"} takes ${declared.join(" or ")}`;
    const withParts = multipart && required.length > 0 ? ` with the ${required.map((n) => `\`${n}\``).join(", ")} part` : "";
    const sent = header === undefined ? "without a Content-Type" : `as ${essence(header) || "an empty Content-Type"}`;
    throw new ApiError("unsupported_media_type", `${what}${withParts}; the body was sent ${sent}.`, {
      ...(operationId ? { operation: operationId } : {}),
      details: {
        accepted_media_types: declared,
        received_media_type: header === undefined ? null : essence(header),
        ...(multipart ? { form_parts: parts } : {}),
      },
      actions: [
        {
          rel: "fix-input",
          hint: multipart
            ? `Send Content-Type: multipart/form-data${required.length > 0 ? ` with the file in the \`${required[0]}\` part` : ""}.`
            : `Send the body as ${declared[0]} with Content-Type: ${declared[0]}.`,
        },
      ],
    });
  });
}
