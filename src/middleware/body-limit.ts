import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors/api-error.ts";

/**
 * Refuses a request whose declared `Content-Length` exceeds `maxBytes` before its body is read
 * (413 `payload_too_large`). Bodies without a length are bounded again where they are parsed.
 */
export function limitRequestBody(maxBytes: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? "0");
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw new ApiError("payload_too_large", `The request body is ${declared} bytes; this operation accepts at most ${maxBytes} bytes.`, {
        details: { limit_bytes: maxBytes },
        actions: [{ rel: "fix-input", hint: "Send a smaller body." }],
      });
    }
    return next();
  });
}
