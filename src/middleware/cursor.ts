import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors/api-error.ts";
import { decodeCursor } from "../lib/page.ts";

/**
 * `?cursor=` of a paginated operation (the reference TypeScript client's paging, spec §9.1 #1) turned
 * into the `offset` it stands for, before the query is validated, so every list verb pages by offset
 * alone. `createRouter` adds it to every route whose query has a `cursor`.
 * @throws ApiError `validation_error` naming `query.cursor` for a cursor this server did not issue, or
 *   one that contradicts an `offset` sent beside it.
 */
export const cursorToOffset = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const cursor = url.searchParams.get("cursor");
  if (cursor === null) return next();
  const offset = decodeCursor(cursor);
  const sentOffset = url.searchParams.get("offset");
  if (offset === undefined || (sentOffset !== null && sentOffset !== String(offset))) {
    const detail =
      offset === undefined
        ? "query.cursor: not a cursor this server issued; pass the `cursor` of a previous page unchanged."
        : "query.cursor: contradicts query.offset; send one of them.";
    throw new ApiError("validation_error", detail, {
      details: { field: "query.cursor", issues: [{ field: "query.cursor", message: detail, code: "invalid_cursor" }] },
      actions: [{ rel: "fix-input", hint: "Omit cursor to start from the first page, or pass the `cursor` a response returned." }],
    });
  }
  url.searchParams.set("offset", String(offset));
  c.req.raw = new Request(url, c.req.raw);
  return next();
});
